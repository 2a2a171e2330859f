package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

// Catalog is a complete catalog fetched from the vendor, ready to replace
// the stored one.
type Catalog struct {
	Countries []Country
	Products  []Product
	// Skipped lists the vendor records left out because they failed
	// decoding or validation; the sync run records them for the operator.
	Skipped []SkippedSKU
}

// SkippedSKU is one vendor record a sync left out, and why.
type SkippedSKU struct {
	SKU    string `json:"sku"` // "" when the record carried no readable skuId
	Reason string `json:"reason"`
}

// ReplaceCatalog makes c the shop's catalog in one write transaction and
// records the run in sync_runs. c is validated completely first; any problem
// (an empty catalog included: that is a vendor hiccup, not a closed shop) is
// an EINVALID error and nothing is written.
//
// Countries are upserted (never removed). Each product is inserted or
// updated with its tiers and coverage replaced; Region is derived from its
// coverage with RegionFor, whatever the caller set. Products missing from c
// become inactive and are never deleted, since orders reference them. The
// operator's Hidden flag survives syncs. Products whose content did not
// change since the last sync are not rewritten.
//
// The returned SyncRun counts Added (new or re-activated), Removed (newly
// inactive) and PriceChanges (previously known products whose tiers now
// differ in copies or price value); Duration runs from started to the end
// of the write.
func (db *DB) ReplaceCatalog(ctx context.Context, c Catalog, started time.Time) (SyncRun, error) {
	return db.ReplaceCatalogGuarded(ctx, c, started, 1)
}

// ReplaceCatalogGuarded is ReplaceCatalog unless c would deactivate more
// than maxDrop (a share, 0–1) of the products active now: then nothing
// changes, the run is recorded as held (Held, with Removed and
// RemovedSKUs naming what would have gone) with c kept for HeldCatalog,
// and returned without error. A maxDrop of 1 or more never holds. A sync
// that goes live forgets any held catalog.
func (db *DB) ReplaceCatalogGuarded(ctx context.Context, c Catalog, started time.Time, maxDrop float64) (SyncRun, error) {
	prepared, err := prepareCatalog(c)
	if err != nil {
		return SyncRun{}, err
	}
	run := SyncRun{StartedAt: started.UTC(), OK: true}
	setSkipped(&run, c.Skipped)
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		if maxDrop < 1 {
			held, err := holdIfDrops(ctx, tx, prepared, maxDrop, &run)
			if err != nil || held {
				if err == nil {
					run.Duration = nonNegative(db.now().Sub(started))
					err = insertSyncRun(ctx, tx, &run)
				}
				if err == nil {
					err = saveHeldCatalog(ctx, tx, run.ID, c, db.now())
				}
				return err
			}
		}
		if err := upsertCountries(ctx, tx, c.Countries); err != nil {
			return err
		}
		now := db.now().UTC()
		if err := writeProducts(ctx, tx, prepared, now, &run); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM products WHERE active = 1`).Scan(&run.Products); err != nil {
			return fmt.Errorf("store: count active products: %w", err)
		}
		run.Duration = nonNegative(db.now().Sub(started))
		if err := dropHeldCatalogs(ctx, tx); err != nil {
			return err
		}
		return insertSyncRun(ctx, tx, &run)
	})
	if err != nil {
		return SyncRun{}, err
	}
	return run, nil
}

// holdIfDrops reports whether prepared would deactivate more than maxDrop
// of the active products; if so it fills run as a held run.
func holdIfDrops(ctx context.Context, tx *sql.Tx, prepared []preparedProduct, maxDrop float64, run *SyncRun) (bool, error) {
	incoming := make(map[string]bool, len(prepared))
	for i := range prepared {
		incoming[prepared[i].p.SKUID] = true
	}
	rows, err := tx.QueryContext(ctx, `SELECT sku_id FROM products WHERE active = 1 ORDER BY sku_id`)
	if err != nil {
		return false, fmt.Errorf("store: load active products: %w", err)
	}
	defer rows.Close()
	active := 0
	var gone []string
	for rows.Next() {
		var sku string
		if err := rows.Scan(&sku); err != nil {
			return false, fmt.Errorf("store: scan active product: %w", err)
		}
		active++
		if !incoming[sku] {
			gone = append(gone, sku)
		}
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("store: load active products: %w", err)
	}
	if active == 0 || float64(len(gone)) <= maxDrop*float64(active) {
		return false, nil
	}
	run.OK, run.Held, run.Products, run.Removed = false, true, active, len(gone)
	for _, sku := range gone {
		run.RemovedSKUs = appendSKU(run.RemovedSKUs, sku)
	}
	run.Error = truncateUTF8(fmt.Sprintf("held: the new catalog would remove %d of %d live products (%.0f%%), more than the %.0f%% allowed; the live catalog is unchanged until an operator applies it",
		len(gone), active, 100*float64(len(gone))/float64(active), 100*maxDrop), maxSyncErrorLen)
	return true, nil
}

// setSkipped records the skipped vendor records on run, capped.
func setSkipped(run *SyncRun, skipped []SkippedSKU) {
	run.Skipped = len(skipped)
	if len(skipped) > MaxSyncRunSKUs {
		skipped = skipped[:MaxSyncRunSKUs]
	}
	run.SkippedSKUs = make([]SkippedSKU, len(skipped))
	for i, s := range skipped {
		run.SkippedSKUs[i] = SkippedSKU{SKU: truncateUTF8(s.SKU, 64), Reason: truncateUTF8(s.Reason, 200)}
	}
	if len(run.SkippedSKUs) == 0 {
		run.SkippedSKUs = nil
	}
}

// storedState is what a sync needs to know about a product already stored.
type storedState struct {
	active bool
	hash   string
}

// loadStoredState returns every stored product's active flag and content
// hash, inactive ones included (a returning SKU is re-activated, not added
// twice).
func loadStoredState(ctx context.Context, tx *sql.Tx) (map[string]storedState, error) {
	rows, err := tx.QueryContext(ctx, `SELECT sku_id, active, content_hash FROM products`)
	if err != nil {
		return nil, fmt.Errorf("store: load product state: %w", err)
	}
	defer rows.Close()
	m := make(map[string]storedState)
	for rows.Next() {
		var sku string
		var st storedState
		if err := rows.Scan(&sku, &st.active, &st.hash); err != nil {
			return nil, fmt.Errorf("store: scan product state: %w", err)
		}
		m[sku] = st
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: load product state: %w", err)
	}
	return m, nil
}

// writeProducts applies the prepared products inside tx and fills run's
// Added, Removed and PriceChanges.
func writeProducts(ctx context.Context, tx *sql.Tx, prepared []preparedProduct, now time.Time, run *SyncRun) error {
	stored, err := loadStoredState(ctx, tx)
	if err != nil {
		return err
	}
	s, err := prepareCatalogStmts(ctx, tx)
	if err != nil {
		return err
	}
	defer s.close()

	for i := range prepared {
		pp := &prepared[i]
		old, known := stored[pp.p.SKUID]
		delete(stored, pp.p.SKUID) // what remains afterwards is gone from the vendor
		switch {
		case !known:
			if _, err := s.insertProduct.ExecContext(ctx, append(productArgs(pp), pp.p.SKUID, now, now)...); err != nil {
				return fmt.Errorf("store: insert product %q: %w", pp.p.SKUID, err)
			}
			if err := s.insertChildren(ctx, pp); err != nil {
				return err
			}
			run.Added++
			run.AddedSKUs = appendSKU(run.AddedSKUs, pp.p.SKUID)
			continue
		case old.hash == pp.hash:
			if !old.active {
				if _, err := s.setActive.ExecContext(ctx, 1, now, pp.p.SKUID); err != nil {
					return fmt.Errorf("store: reactivate product %q: %w", pp.p.SKUID, err)
				}
			}
		default:
			changed, err := s.tiersChanged(ctx, pp)
			if err != nil {
				return err
			}
			if changed {
				run.PriceChanges++
				run.ChangedSKUs = appendSKU(run.ChangedSKUs, pp.p.SKUID)
			}
			if _, err := s.updateProduct.ExecContext(ctx, append(productArgs(pp), now, pp.p.SKUID)...); err != nil {
				return fmt.Errorf("store: update product %q: %w", pp.p.SKUID, err)
			}
			for _, del := range []*sql.Stmt{s.deleteTiers, s.deleteCoverage} {
				if _, err := del.ExecContext(ctx, pp.p.SKUID); err != nil {
					return fmt.Errorf("store: clear children of %q: %w", pp.p.SKUID, err)
				}
			}
			if err := s.insertChildren(ctx, pp); err != nil {
				return err
			}
		}
		if !old.active {
			run.Added++
			run.AddedSKUs = appendSKU(run.AddedSKUs, pp.p.SKUID)
		}
	}
	var gone []string
	for sku, old := range stored {
		if old.active {
			gone = append(gone, sku)
		}
	}
	sort.Strings(gone) // the capped list is the same whatever the map order
	for _, sku := range gone {
		if _, err := s.setActive.ExecContext(ctx, 0, now, sku); err != nil {
			return fmt.Errorf("store: deactivate product %q: %w", sku, err)
		}
		run.Removed++
		run.RemovedSKUs = appendSKU(run.RemovedSKUs, sku)
	}
	sort.Strings(run.AddedSKUs)
	sort.Strings(run.ChangedSKUs)
	return nil
}
