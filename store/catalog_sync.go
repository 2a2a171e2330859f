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
	prepared, err := prepareCatalog(c)
	if err != nil {
		return SyncRun{}, err
	}
	run := SyncRun{StartedAt: started.UTC(), OK: true}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
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
		return insertSyncRun(ctx, tx, &run)
	})
	if err != nil {
		return SyncRun{}, err
	}
	return run, nil
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
