package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// UpdateProducts applies a vendor commodity-change notice (N006): for each
// product whose SKU is stored, its descriptive fields and coverage are
// replaced and Region recomputed, while its price tiers, Active and Hidden
// stay (N006 carries no prices; the next full sync brings those). Unknown
// SKUs are ignored: the next full sync adds them with their prices. It
// runs in one write transaction and returns how many products changed.
//
// Each known product is validated like ReplaceCatalog does (minus the
// tiers requirement); any problem is EINVALID naming the SKU, and nothing
// is written. The stored content hash is recomputed with the stored tiers,
// so the next sync sees exactly what changed.
func (db *DB) UpdateProducts(ctx context.Context, ps []Product) (updated int, err error) {
	seen := make(map[string]bool, len(ps))
	for i, p := range ps {
		if p.SKUID == "" {
			return 0, Errorf(EINVALID, "product %d: empty SKU id", i)
		}
		if seen[p.SKUID] {
			return 0, Errorf(EINVALID, "product %q listed twice", p.SKUID)
		}
		seen[p.SKUID] = true
	}
	if len(ps) == 0 {
		return 0, nil
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		s, err := prepareCatalogStmts(ctx, tx)
		if err != nil {
			return err
		}
		defer s.close()
		now := db.now().UTC()
		for _, p := range ps {
			var hash string
			err := tx.QueryRowContext(ctx, `SELECT content_hash FROM products WHERE sku_id = ?`, p.SKUID).Scan(&hash)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("store: load product %q: %w", p.SKUID, err)
			}
			if p.Tiers, err = s.storedTiers(ctx, p.SKUID); err != nil {
				return err
			}
			pp, err := prepareProduct(p, false)
			if err != nil {
				return Errorf(EINVALID, "product %q: %s", p.SKUID, err)
			}
			if pp.hash == hash {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE products SET `+productCols+`, updated_at = ? WHERE sku_id = ?`,
				append(productArgs(&pp), now, p.SKUID)...); err != nil {
				return fmt.Errorf("store: update product %q: %w", p.SKUID, err)
			}
			if _, err := s.deleteCoverage.ExecContext(ctx, p.SKUID); err != nil {
				return fmt.Errorf("store: clear coverage of %q: %w", p.SKUID, err)
			}
			for i, cv := range pp.p.Coverage {
				if _, err := s.insertCoverage.ExecContext(ctx, p.SKUID, cv.CountryCode, cv.APN, cv.APNUsername,
					cv.APNPassword, boolInt(cv.APNManual), pp.ops[i]); err != nil {
					return fmt.Errorf("store: insert coverage %s of %q: %w", cv.CountryCode, p.SKUID, err)
				}
			}
			updated++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return updated, nil
}
