package store

import (
	"context"
	"database/sql"
	"fmt"
)

// PlanSales is what one SKU sold over a report's range, amounts in minor
// units of the report's currency.
type PlanSales struct {
	SKUID string
	Title string // a title it was sold under (titles follow the buyer's language)
	// Destination is the plan's region slug, or the ISO code of its one
	// country for a single-country plan ("" if unknown).
	Destination string
	Orders      int
	ESIMs       int64
	Revenue     int64 // sum of the lines' amounts
	Cost        int64 // recorded vendor cost (costed orders only)
	// Uncosted are eSIMs without a recorded cost, by settlement price.
	Uncosted []SettlementCount
}

// PlanSalesReport returns every SKU sold in orders paid in [f.From, f.To)
// in f.Currency, grouped by SKU (f.Period is ignored). A shop sells a few
// thousand SKUs at most, so the caller ranks them (by revenue, by margin)
// after converting uncosted lines.
func (db *DB) PlanSalesReport(ctx context.Context, f ReportFilter) ([]PlanSales, error) {
	f.Period = PeriodDay
	if err := f.valid(); err != nil {
		return nil, err
	}
	bySKU := map[string]*PlanSales{}
	var order []string
	err := db.withReadTx(ctx, func(tx *sql.Tx) error {
		plan := func(sku string) *PlanSales {
			p := bySKU[sku]
			if p == nil {
				p = &PlanSales{SKUID: sku}
				bySKU[sku] = p
				order = append(order, sku)
			}
			return p
		}
		// Orders counts lines: an order holds one line per plan.
		err := eachRow(ctx, tx, `SELECT l.sku_id, max(l.title), COUNT(*), SUM(l.quantity), SUM(l.amount),
			coalesce(SUM(CASE WHEN `+costedSQL+` THEN l.unit_cost * l.quantity END), 0)
			FROM orders o INDEXED BY orders_report JOIN order_lines l INDEXED BY order_lines_report ON l.order_id = o.id
			WHERE o.paid_at >= ? AND o.paid_at < ? AND o.currency = ? GROUP BY 1`,
			[]any{f.From.UTC(), f.To.UTC(), f.Currency}, func(r *sql.Rows) error {
				var sku, title string
				var orders int
				var qty, amount, cost int64
				if err := r.Scan(&sku, &title, &orders, &qty, &amount, &cost); err != nil {
					return err
				}
				p := plan(sku)
				p.Title, p.Orders, p.ESIMs, p.Revenue, p.Cost = title, orders, qty, amount, cost
				return nil
			})
		if err != nil {
			return fmt.Errorf("store: plan sales: %w", err)
		}
		err = eachUncosted(ctx, tx, "l.sku_id", f, func(sku, settlement string, qty int64) {
			p := plan(sku)
			p.Uncosted = addSettlement(p.Uncosted, settlement, qty)
		})
		if err != nil {
			return fmt.Errorf("store: plan sales uncosted: %w", err)
		}
		for _, sku := range order {
			p := bySKU[sku]
			err := tx.QueryRowContext(ctx, `SELECT
				coalesce((SELECT nullif(region, '') FROM products WHERE sku_id = ?),
					(SELECT min(country_code) FROM coverage WHERE sku_id = ?), '')`,
				sku, sku).Scan(&p.Destination)
			if err != nil {
				return fmt.Errorf("store: plan sales names: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]PlanSales, 0, len(order))
	for _, sku := range order {
		out = append(out, *bySKU[sku])
	}
	return out, nil
}
