package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// OrderExportRow is one order line with its order, as the CSV export
// writes it. Amounts are minor units of Currency.
type OrderExportRow struct {
	OrderID                     int64
	Number, Email               string
	Status                      OrderStatus
	Currency                    string
	Total                       int64
	CreatedAt, PaidAt, RefundAt time.Time // zero when not (yet)
	VendorOrderID               string
	Line                        int // position of the line in its order
	Title, SKUID, Settlement    string
	Copies, Quantity            int
	Amount                      int64 // the line's amount
	// Cost is the line's recorded vendor cost (unit cost × quantity), 0
	// when not recorded.
	Cost int64
}

// ExportOrders calls fn with every line of every order matching f (its
// Limit and Offset are ignored), newest order first, from one read
// transaction: rows are read as they are written out, so memory stays
// constant however many orders match. fn's error stops the export.
func (db *DB) ExportOrders(ctx context.Context, f OrderFilter, fn func(OrderExportRow) error) error {
	where, args := orderFilterSQL(f)
	return db.withReadTx(ctx, func(tx *sql.Tx) error {
		err := eachRow(ctx, tx, `SELECT o.id, o.number, o.email, o.status, o.currency, o.total, o.created_at,
			o.paid_at, o.refunded_at, o.vendor_order_id, l.position, l.title, l.sku_id, l.settlement, l.copies,
			l.quantity, l.amount, coalesce(l.unit_cost * l.quantity, 0)
			FROM orders o JOIN order_lines l ON l.order_id = o.id`+where+`
			ORDER BY o.created_at DESC, o.id DESC, l.position`, args, func(r *sql.Rows) error {
			var e OrderExportRow
			var paid, refunded sql.NullTime
			if err := r.Scan(&e.OrderID, &e.Number, &e.Email, &e.Status, &e.Currency, &e.Total, &e.CreatedAt,
				&paid, &refunded, &e.VendorOrderID, &e.Line, &e.Title, &e.SKUID, &e.Settlement, &e.Copies,
				&e.Quantity, &e.Amount, &e.Cost); err != nil {
				return err
			}
			e.CreatedAt, e.PaidAt, e.RefundAt = e.CreatedAt.UTC(), fromNullTime(paid), fromNullTime(refunded)
			return fn(e)
		})
		if err != nil {
			return fmt.Errorf("store: export orders: %w", err)
		}
		return nil
	})
}
