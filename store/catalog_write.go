package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"
)

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

// upsertCountries inserts or updates every country; countries the vendor
// stopped listing stay, as old products and orders may still name them.
func upsertCountries(ctx context.Context, tx *sql.Tx, cs []Country) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO countries (code, continent, flag_url) VALUES (?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET continent = excluded.continent, flag_url = excluded.flag_url`)
	if err != nil {
		return fmt.Errorf("store: prepare country upsert: %w", err)
	}
	defer stmt.Close()
	for _, co := range cs {
		if _, err := stmt.ExecContext(ctx, co.Code, co.Continent, co.FlagURL); err != nil {
			return fmt.Errorf("store: upsert country %s: %w", co.Code, err)
		}
	}
	return nil
}

// storedState is what a sync needs to know about a product already stored.
type storedState struct {
	active bool
	hash   string
}

// catalogStmts are the prepared statements a sync runs once per product or
// child row; preparing them once is what keeps a 5,000-SKU sync fast.
type catalogStmts struct {
	insertProduct, updateProduct, setActive *sql.Stmt
	deleteTiers, deleteCoverage             *sql.Stmt
	insertTier, insertCoverage, selectTiers *sql.Stmt
}

// productCols assigns the vendor columns of a product, in the order of
// productArgs.
const productCols = `name = ?, description = ?, type = ?, days = ?, plan_type = ?, data_kb = ?, daily_kb = ?,
	speed_after_kbps = ?, hotspot_raw = ?, validity_days = ?, usage_count = ?, rechargeable = ?,
	needs_use_time = ?, refund_policy = ?, speed_limit_rule = ?, provider = ?, apply_to_device = ?,
	region = ?, content_hash = ?`

// prepareCatalogStmts prepares every statement writeProducts uses on tx.
func prepareCatalogStmts(ctx context.Context, tx *sql.Tx) (*catalogStmts, error) {
	s := &catalogStmts{}
	queries := []struct {
		dst **sql.Stmt
		sql string
	}{
		{&s.insertProduct, `INSERT INTO products (name, description, type, days, plan_type, data_kb, daily_kb,
			speed_after_kbps, hotspot_raw, validity_days, usage_count, rechargeable, needs_use_time,
			refund_policy, speed_limit_rule, provider, apply_to_device, region, content_hash,
			sku_id, active, hidden, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?)`},
		{&s.updateProduct, `UPDATE products SET ` + productCols + `, active = 1, updated_at = ? WHERE sku_id = ?`},
		{&s.setActive, `UPDATE products SET active = ?, updated_at = ? WHERE sku_id = ?`},
		{&s.deleteTiers, `DELETE FROM price_tiers WHERE sku_id = ?`},
		{&s.deleteCoverage, `DELETE FROM coverage WHERE sku_id = ?`},
		{&s.insertTier, `INSERT INTO price_tiers (sku_id, copies, retail_price, settlement_price) VALUES (?, ?, ?, ?)`},
		{&s.insertCoverage, `INSERT INTO coverage (sku_id, country_code, apn, apn_username, apn_password, apn_manual, operators)
			VALUES (?, ?, ?, ?, ?, ?, ?)`},
		{&s.selectTiers, `SELECT copies, retail_price, settlement_price FROM price_tiers WHERE sku_id = ? ORDER BY copies`},
	}
	for _, q := range queries {
		st, err := tx.PrepareContext(ctx, q.sql)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("store: prepare catalog statement: %w", err)
		}
		*q.dst = st
	}
	return s, nil
}

// close releases the statements prepared so far.
func (s *catalogStmts) close() {
	for _, st := range []*sql.Stmt{s.insertProduct, s.updateProduct, s.setActive, s.deleteTiers,
		s.deleteCoverage, s.insertTier, s.insertCoverage, s.selectTiers} {
		if st != nil {
			st.Close()
		}
	}
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

// appendSKU adds sku to a sync run's list unless the list is full.
func appendSKU(list []string, sku string) []string {
	if len(list) >= MaxSyncRunSKUs {
		return list
	}
	return append(list, sku)
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

// productArgs lists pp's column values in the order of productCols.
func productArgs(pp *preparedProduct) []any {
	p := &pp.p
	return []any{p.Name, p.Description, p.Type, p.Days, int(p.PlanType), p.DataKB, p.DailyKB,
		p.SpeedAfterKbps, p.HotspotRaw, p.ValidityDays, p.UsageCount, boolInt(p.Rechargeable),
		boolInt(p.NeedsUseTime), p.RefundPolicy, p.SpeedLimitRule, p.Provider, p.ApplyToDevice,
		p.Region, pp.hash}
}

// insertChildren writes pp's price tiers and coverage rows.
func (s *catalogStmts) insertChildren(ctx context.Context, pp *preparedProduct) error {
	sku := pp.p.SKUID
	for _, t := range pp.p.Tiers {
		if _, err := s.insertTier.ExecContext(ctx, sku, t.Copies, t.RetailPrice, t.SettlementPrice); err != nil {
			return fmt.Errorf("store: insert tier %d of %q: %w", t.Copies, sku, err)
		}
	}
	for i, cv := range pp.p.Coverage {
		if _, err := s.insertCoverage.ExecContext(ctx, sku, cv.CountryCode, cv.APN, cv.APNUsername, cv.APNPassword,
			boolInt(cv.APNManual), pp.ops[i]); err != nil {
			return fmt.Errorf("store: insert coverage %s of %q: %w", cv.CountryCode, sku, err)
		}
	}
	return nil
}

// tiersChanged compares pp's tiers with the stored ones by value, so a
// vendor rewriting "12.50" as "12.5" is not reported as a price change.
func (s *catalogStmts) tiersChanged(ctx context.Context, pp *preparedProduct) (bool, error) {
	old, err := s.storedTiers(ctx, pp.p.SKUID)
	if err != nil {
		return false, err
	}
	return !tiersEqual(old, pp.p.Tiers), nil
}

// SetHidden hides a product from the shop (or shows it again) without
// touching its catalog data; syncs keep the flag. ENOTFOUND for an unknown
// SKU.
func (db *DB) SetHidden(ctx context.Context, skuID string, hidden bool) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE products SET hidden = ?, updated_at = ? WHERE sku_id = ?`,
			boolInt(hidden), db.now().UTC(), skuID)
		if err != nil {
			return fmt.Errorf("store: set hidden: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("store: set hidden: %w", err)
		}
		if n == 0 {
			return Errorf(ENOTFOUND, "product %q not found", skuID)
		}
		return nil
	})
}

// nonNegative clamps a duration measured across a wall-clock jump.
func nonNegative(d time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	return d
}
