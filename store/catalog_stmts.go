package store

import (
	"context"
	"database/sql"
	"fmt"
)

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
	region = ?, unlimited = ?, use_time_gap_hours = ?, content_hash = ?`

// prepareCatalogStmts prepares every statement writeProducts uses on tx.
func prepareCatalogStmts(ctx context.Context, tx *sql.Tx) (*catalogStmts, error) {
	s := &catalogStmts{}
	queries := []struct {
		dst **sql.Stmt
		sql string
	}{
		{&s.insertProduct, `INSERT INTO products (name, description, type, days, plan_type, data_kb, daily_kb,
			speed_after_kbps, hotspot_raw, validity_days, usage_count, rechargeable, needs_use_time,
			refund_policy, speed_limit_rule, provider, apply_to_device, region, unlimited, use_time_gap_hours, content_hash,
			sku_id, active, hidden, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?)`},
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

// productArgs lists pp's column values in the order of productCols.
func productArgs(pp *preparedProduct) []any {
	p := &pp.p
	return []any{p.Name, p.Description, p.Type, p.Days, int(p.PlanType), p.DataKB, p.DailyKB,
		p.SpeedAfterKbps, p.HotspotRaw, p.ValidityDays, p.UsageCount, boolInt(p.Rechargeable),
		boolInt(p.NeedsUseTime), p.RefundPolicy, p.SpeedLimitRule, p.Provider, p.ApplyToDevice,
		p.Region, boolInt(p.Unlimited), p.UseTimeGapHours, pp.hash}
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

// storedTiers returns a product's stored price tiers by copies.
func (s *catalogStmts) storedTiers(ctx context.Context, sku string) ([]PriceTier, error) {
	rows, err := s.selectTiers.QueryContext(ctx, sku)
	if err != nil {
		return nil, fmt.Errorf("store: load tiers of %q: %w", sku, err)
	}
	defer rows.Close()
	var out []PriceTier
	for rows.Next() {
		var t PriceTier
		if err := rows.Scan(&t.Copies, &t.RetailPrice, &t.SettlementPrice); err != nil {
			return nil, fmt.Errorf("store: scan tiers of %q: %w", sku, err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: load tiers of %q: %w", sku, err)
	}
	return out, nil
}
