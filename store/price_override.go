package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// PriceOverride is an operator-set selling price for one copies tier of a
// SKU, replacing what the pricing rule would compute.
type PriceOverride struct {
	SKUID     string
	Copies    int
	Amount    int64  // minor units, > 0
	Currency  string // ISO 4217, lower case
	UpdatedAt time.Time
}

// PriceOverrides returns every operator price override, by SKU then copies.
func (db *DB) PriceOverrides(ctx context.Context) ([]PriceOverride, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT sku_id, copies, amount, currency, updated_at
		FROM price_overrides ORDER BY sku_id, copies`)
	if err != nil {
		return nil, fmt.Errorf("store: query price overrides: %w", err)
	}
	defer rows.Close()
	var out []PriceOverride
	for rows.Next() {
		var o PriceOverride
		if err := rows.Scan(&o.SKUID, &o.Copies, &o.Amount, &o.Currency, &o.UpdatedAt); err != nil {
			return nil, fmt.Errorf("store: scan price override: %w", err)
		}
		o.UpdatedAt = o.UpdatedAt.UTC()
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query price overrides: %w", err)
	}
	return out, nil
}

// SetPriceOverride sets (or replaces) the selling price of one copies tier
// of a SKU. Amount must be positive, Currency three letters (stored lower
// case), Copies at least 1; the SKU must exist (ENOTFOUND otherwise). The
// tier need not exist today: a sync may drop and bring back tiers, and the
// override is the operator's decision until cleared. UpdatedAt is set by
// the store.
func (db *DB) SetPriceOverride(ctx context.Context, o PriceOverride) error {
	o.Currency = strings.ToLower(strings.TrimSpace(o.Currency))
	switch {
	case o.SKUID == "":
		return Errorf(EINVALID, "a price override needs a SKU")
	case o.Copies < 1:
		return Errorf(EINVALID, "copies must be at least 1")
	case o.Amount <= 0:
		return Errorf(EINVALID, "the price must be positive")
	case !validCurrency(o.Currency):
		return Errorf(EINVALID, "unsupported currency %q", truncateUTF8(o.Currency, 8))
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM products WHERE sku_id = ?`, o.SKUID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "product %q not found", truncateUTF8(o.SKUID, maxRefLen))
		}
		if err != nil {
			return fmt.Errorf("store: check product: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO price_overrides (sku_id, copies, amount, currency, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (sku_id, copies) DO UPDATE SET amount = excluded.amount,
			currency = excluded.currency, updated_at = excluded.updated_at`,
			o.SKUID, o.Copies, o.Amount, o.Currency, db.now().UTC()); err != nil {
			return fmt.Errorf("store: set price override: %w", err)
		}
		return nil
	})
}

// ClearPriceOverride removes the override of one tier, so the pricing rule
// applies again. Clearing one that does not exist is not an error.
func (db *DB) ClearPriceOverride(ctx context.Context, skuID string, copies int) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM price_overrides WHERE sku_id = ? AND copies = ?`,
			skuID, copies); err != nil {
			return fmt.Errorf("store: clear price override: %w", err)
		}
		return nil
	})
}
