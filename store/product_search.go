package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// ProductFilter selects products for the operator's catalog view.
type ProductFilter struct {
	Country string // ISO code the product covers; "" for any
	Region  string // a RegionSlugs slug; "" for any
	Type    int    // TypeESIMSelfSelected or TypeESIMFixed; 0 for any
	Active  *bool  // nil for any
	Hidden  *bool  // nil for any
	// Q matches the SKU id exactly or as a prefix, or the vendor name as a
	// case-insensitive substring.
	Q string
	// Limit defaults to 50 (at most 1000); Offset skips that many rows.
	Limit, Offset int
}

// SearchProducts returns one page of the products matching f, active or
// not, ordered by SKU, each with its tiers and coverage, and how many
// match in all. It runs in one read snapshot, so a sync committing
// meanwhile is seen entirely or not at all.
func (db *DB) SearchProducts(ctx context.Context, f ProductFilter) ([]Product, int, error) {
	where, args := productFilterSQL(f)
	var out []Product
	var total int
	err := db.withReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM products`+where, args...).Scan(&total); err != nil {
			return fmt.Errorf("store: count products: %w", err)
		}
		var lookup func(string) *Product
		var err error
		out, lookup, err = queryProducts(ctx, tx, productSelect+where+` ORDER BY sku_id LIMIT ? OFFSET ?`,
			append(args, listLimit(f.Limit), max(f.Offset, 0))...)
		if err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		skus := make([]any, len(out))
		for i, p := range out {
			skus[i] = p.SKUID
		}
		in := ` WHERE sku_id IN (?` + strings.Repeat(`, ?`, len(skus)-1) + `)`
		return loadChildren(ctx, tx, in, skus, lookup)
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// productFilterSQL turns f into a WHERE clause (possibly empty) on products.
func productFilterSQL(f ProductFilter) (string, []any) {
	var conds []string
	var args []any
	if c := strings.ToUpper(strings.TrimSpace(f.Country)); c != "" {
		conds = append(conds, `sku_id IN (SELECT sku_id FROM coverage WHERE country_code = ?)`)
		args = append(args, c)
	}
	if r := strings.TrimSpace(f.Region); r != "" {
		conds = append(conds, `region = ?`)
		args = append(args, r)
	}
	if f.Type != 0 {
		conds = append(conds, `type = ?`)
		args = append(args, f.Type)
	}
	if f.Active != nil {
		conds = append(conds, `active = ?`)
		args = append(args, boolInt(*f.Active))
	}
	if f.Hidden != nil {
		conds = append(conds, `hidden = ?`)
		args = append(args, boolInt(*f.Hidden))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		q = truncateUTF8(strings.ToValidUTF8(q, ""), maxSearchLen)
		conds = append(conds, `((sku_id >= ? AND sku_id < ?) OR name LIKE ? ESCAPE '\')`)
		args = append(args, q, q+prefixEnd, "%"+escapeLike(q)+"%")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// escapeLike escapes LIKE's wildcards (and the escape character itself),
// so a search for "50%" matches that text, not everything.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
