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
		err := eachRow(ctx, tx, `SELECT l.sku_id, l.unit_cost IS NULL,
			CASE WHEN l.unit_cost IS NULL THEN l.settlement ELSE '' END,
			max(l.title), COUNT(DISTINCT o.id), SUM(l.quantity), SUM(l.amount),
			SUM(CASE WHEN `+costedSQL+` THEN coalesce(l.unit_cost, 0) * l.quantity ELSE 0 END),
			SUM(CASE WHEN `+costedSQL+` THEN l.quantity ELSE 0 END)
			FROM orders o INDEXED BY orders_report JOIN order_lines l INDEXED BY order_lines_report ON l.order_id = o.id
			WHERE o.paid_at >= ? AND o.paid_at < ? AND o.currency = ? GROUP BY 1, 2, 3`,
			[]any{f.From.UTC(), f.To.UTC(), f.Currency}, func(r *sql.Rows) error {
				var sku, settlement, title string
				var missing bool
				var orders int
				var qty, amount, cost, costedQty int64
				if err := r.Scan(&sku, &missing, &settlement, &title, &orders, &qty, &amount, &cost, &costedQty); err != nil {
					return err
				}
				p := bySKU[sku]
				if p == nil {
					p = &PlanSales{SKUID: sku, Title: title}
					bySKU[sku] = p
					order = append(order, sku)
				}
				// An order is one line today; summing the groups' distinct
				// counts only over-counts an order mixing costed and
				// uncosted lines of one SKU, which no order does.
				p.Orders += orders
				p.ESIMs += qty
				p.Revenue += amount
				p.Cost += cost
				if missing && costedQty > 0 {
					p.Uncosted = append(p.Uncosted, SettlementCount{Settlement: settlement, Quantity: costedQty})
				}
				return nil
			})
		if err != nil {
			return fmt.Errorf("store: plan sales: %w", err)
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
