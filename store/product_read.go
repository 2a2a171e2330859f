package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// productSelect lists the products columns in the order scanProduct reads.
const productSelect = `SELECT sku_id, name, description, type, days, plan_type, data_kb, daily_kb,
	speed_after_kbps, hotspot_raw, validity_days, usage_count, rechargeable, needs_use_time,
	refund_policy, speed_limit_rule, provider, apply_to_device, region, active, hidden, updated_at, unlimited, use_time_gap_hours
	FROM products`

// scanProduct reads one productSelect row; times come back in UTC.
func scanProduct(s scanner) (Product, error) {
	var p Product
	var planType int
	err := s.Scan(&p.SKUID, &p.Name, &p.Description, &p.Type, &p.Days, &planType, &p.DataKB, &p.DailyKB,
		&p.SpeedAfterKbps, &p.HotspotRaw, &p.ValidityDays, &p.UsageCount, &p.Rechargeable, &p.NeedsUseTime,
		&p.RefundPolicy, &p.SpeedLimitRule, &p.Provider, &p.ApplyToDevice, &p.Region, &p.Active, &p.Hidden,
		&p.UpdatedAt, &p.Unlimited, &p.UseTimeGapHours)
	p.PlanType = PlanType(planType)
	p.UpdatedAt = p.UpdatedAt.UTC()
	return p, err
}

// ActiveProducts returns every active product, hidden ones included (with
// Hidden set), ordered by SKU, each with Coverage sorted by country code,
// Operators by priority and Tiers by copies. It runs three queries in one
// read snapshot whatever the catalog size, so a sync committing meanwhile is
// seen entirely or not at all.
func (db *DB) ActiveProducts(ctx context.Context) ([]Product, error) {
	var out []Product
	err := db.withReadTx(ctx, func(tx *sql.Tx) error {
		var lookup func(string) *Product
		var err error
		out, lookup, err = queryProducts(ctx, tx, productSelect+` WHERE active = 1 ORDER BY sku_id`)
		if err != nil {
			return err
		}
		const activeOnly = ` WHERE sku_id IN (SELECT sku_id FROM products WHERE active = 1)`
		return loadChildren(ctx, tx, activeOnly, nil, lookup)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryProducts runs a products query in tx and returns the products with
// a lookup by SKU for loadChildren (pointers into the returned slice).
func queryProducts(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]Product, func(string) *Product, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: query products: %w", err)
	}
	defer rows.Close()
	var out []Product
	idx := map[string]int{}
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, nil, fmt.Errorf("store: scan product: %w", err)
		}
		idx[p.SKUID] = len(out)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: query products: %w", err)
	}
	return out, func(sku string) *Product {
		if i, ok := idx[sku]; ok {
			return &out[i]
		}
		return nil
	}, nil
}

// Product returns one product, active or not, with its coverage and tiers;
// ENOTFOUND for an unknown SKU. Orders use it to show what was bought even
// after the SKU left the vendor's catalog.
func (db *DB) Product(ctx context.Context, skuID string) (Product, error) {
	var p Product
	err := db.withReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = scanProduct(tx.QueryRowContext(ctx, productSelect+` WHERE sku_id = ?`, skuID))
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "product %q not found", skuID)
		}
		if err != nil {
			return fmt.Errorf("store: query product: %w", err)
		}
		return loadChildren(ctx, tx, ` WHERE sku_id = ?`, []any{skuID}, func(string) *Product { return &p })
	})
	if err != nil {
		return Product{}, err
	}
	return p, nil
}

// loadChildren reads the tiers and coverage rows matching where (a WHERE
// clause on sku_id with args) and appends them to the product lookup
// returns, in the order the Product fields promise.
func loadChildren(ctx context.Context, tx *sql.Tx, where string, args []any, lookup func(sku string) *Product) error {
	rows, err := tx.QueryContext(ctx, `SELECT sku_id, copies, retail_price, settlement_price
		FROM price_tiers`+where+` ORDER BY sku_id, copies`, args...)
	if err != nil {
		return fmt.Errorf("store: query tiers: %w", err)
	}
	for rows.Next() {
		var sku string
		var t PriceTier
		if err := rows.Scan(&sku, &t.Copies, &t.RetailPrice, &t.SettlementPrice); err != nil {
			rows.Close()
			return fmt.Errorf("store: scan tier: %w", err)
		}
		if p := lookup(sku); p != nil {
			p.Tiers = append(p.Tiers, t)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: query tiers: %w", err)
	}

	rows, err = tx.QueryContext(ctx, `SELECT sku_id, country_code, apn, apn_username, apn_password, apn_manual, operators
		FROM coverage`+where+` ORDER BY sku_id, country_code`, args...)
	if err != nil {
		return fmt.Errorf("store: query coverage: %w", err)
	}
	defer rows.Close()
	// The same country's operator list and APN repeat across many SKUs:
	// decode each distinct operator JSON once and share the slice, and
	// share repeated strings, so a 5,000-SKU catalog stays small in memory.
	// Callers treat loaded products as read-only.
	decoded := map[string][]Operator{}
	strs := map[string]string{}
	intern := func(v string) string {
		if u, ok := strs[v]; ok {
			return u
		}
		strs[v] = v
		return v
	}
	for rows.Next() {
		var sku, ops string
		var c Coverage
		if err := rows.Scan(&sku, &c.CountryCode, &c.APN, &c.APNUsername, &c.APNPassword, &c.APNManual, &ops); err != nil {
			return fmt.Errorf("store: scan coverage: %w", err)
		}
		p := lookup(sku)
		if p == nil {
			continue
		}
		list, ok := decoded[ops]
		if !ok {
			if list, err = decodeOperators(ops); err != nil {
				return fmt.Errorf("store: coverage %s of %q: %w", c.CountryCode, sku, err)
			}
			decoded[ops] = list
		}
		c.Operators = list
		c.CountryCode, c.APN = intern(c.CountryCode), intern(c.APN)
		c.APNUsername, c.APNPassword = intern(c.APNUsername), intern(c.APNPassword)
		p.Coverage = append(p.Coverage, c)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: query coverage: %w", err)
	}
	return nil
}

// CountActiveProducts returns how many products are active (hidden ones
// included), for health checks and the dashboard.
func (db *DB) CountActiveProducts(ctx context.Context) (int, error) {
	var n int
	if err := db.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM products WHERE active = 1`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count active products: %w", err)
	}
	return n, nil
}
