package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Period is how a sales report groups its rows.
type Period string

// Report periods. A week starts on Monday; all buckets are UTC.
const (
	PeriodDay   Period = "day"
	PeriodWeek  Period = "week"
	PeriodMonth Period = "month"
)

// ReportFilter selects the orders a sales report covers: those paid (and,
// for refunds, refunded) in [From, To), in one currency.
type ReportFilter struct {
	From, To time.Time
	Currency string
	Period   Period
}

// SalesBucket is one period of a sales report, amounts in minor units of
// the report's currency. Costs of lines sold before costs were recorded
// are not in Cost; they are in Uncosted, for the caller to convert.
type SalesBucket struct {
	Start   string // first day of the period, YYYY-MM-DD (UTC)
	Paid    int    // orders paid in the period
	ESIMs   int    // eSIMs in those orders
	Revenue int64  // sum of those orders' totals
	// Cost is the recorded vendor cost of the eSIMs of orders paid in the
	// period, except orders refunded before the vendor was asked for them.
	Cost int64
	// Uncosted are the same eSIMs' settlement prices (vendor currency)
	// where no cost was recorded, with how many eSIMs each.
	Uncosted []SettlementCount
	Refunds  int   // orders refunded in the period
	Refunded int64 // their totals (refunds are always in full)
}

// SettlementCount is a number of eSIMs sold at one vendor settlement price.
type SettlementCount struct {
	Settlement string // decimal text in the vendor's currency
	Quantity   int64
}

// bucketSQL is the SQL expression of a period's first day for a time
// column; the period comes from a fixed set, never from input text.
func bucketSQL(p Period, col string) (string, error) {
	switch p {
	case PeriodDay:
		return `date(` + col + `)`, nil
	case PeriodWeek:
		// Back six days, then forward to the next Monday (or stay on it).
		return `date(` + col + `, '-6 days', 'weekday 1')`, nil
	case PeriodMonth:
		return `strftime('%Y-%m-01', ` + col + `)`, nil
	}
	return "", Errorf(EINVALID, "unknown report period %q", p)
}

// costedSQL says whether the vendor was (or will be) paid for an order's
// eSIMs: every paid order but one refunded before it was placed.
const costedSQL = `NOT (o.status = 'refunded' AND o.placed_at IS NULL)`

// SalesReport returns the periods of f that had a sale or a refund, in
// order. Each figure is one grouped query over a covering index
// (orders_report, orders_refunded, order_lines_report), so a range of
// 100,000 orders answers in a fraction of a second (BENCHMARKS.md).
func (db *DB) SalesReport(ctx context.Context, f ReportFilter) ([]SalesBucket, error) {
	if err := f.valid(); err != nil {
		return nil, err
	}
	paidB, err := bucketSQL(f.Period, "o.paid_at")
	if err != nil {
		return nil, err
	}
	refB, _ := bucketSQL(f.Period, "o.refunded_at")
	from, to := f.From.UTC(), f.To.UTC()
	byStart := map[string]*SalesBucket{}
	bucket := func(start string) *SalesBucket {
		b := byStart[start]
		if b == nil {
			b = &SalesBucket{Start: start}
			byStart[start] = b
		}
		return b
	}
	err = db.withReadTx(ctx, func(tx *sql.Tx) error {
		err := eachRow(ctx, tx, `SELECT `+paidB+`, COUNT(*), SUM(o.total) FROM orders o INDEXED BY orders_report
			WHERE o.paid_at >= ? AND o.paid_at < ? AND o.currency = ? GROUP BY 1`,
			[]any{from, to, f.Currency}, func(r *sql.Rows) error {
				var start string
				var n int
				var sum int64
				if err := r.Scan(&start, &n, &sum); err != nil {
					return err
				}
				b := bucket(start)
				b.Paid, b.Revenue = n, sum
				return nil
			})
		if err != nil {
			return fmt.Errorf("store: sales report: %w", err)
		}
		// Lines with a recorded cost sum it; the others are grouped by
		// settlement price (a few distinct values) for the caller.
		err = eachRow(ctx, tx, `SELECT `+paidB+`, l.unit_cost IS NULL, CASE WHEN l.unit_cost IS NULL THEN l.settlement ELSE '' END,
			SUM(l.quantity), SUM(CASE WHEN `+costedSQL+` THEN coalesce(l.unit_cost, 0) * l.quantity ELSE 0 END),
			SUM(CASE WHEN `+costedSQL+` THEN l.quantity ELSE 0 END)
			FROM orders o INDEXED BY orders_report JOIN order_lines l INDEXED BY order_lines_report ON l.order_id = o.id
			WHERE o.paid_at >= ? AND o.paid_at < ? AND o.currency = ? GROUP BY 1, 2, 3`,
			[]any{from, to, f.Currency}, func(r *sql.Rows) error {
				var start, settlement string
				var missing bool
				var qty, cost, costedQty int64
				if err := r.Scan(&start, &missing, &settlement, &qty, &cost, &costedQty); err != nil {
					return err
				}
				b := bucket(start)
				b.ESIMs += int(qty)
				b.Cost += cost
				if missing && costedQty > 0 {
					b.Uncosted = append(b.Uncosted, SettlementCount{Settlement: settlement, Quantity: costedQty})
				}
				return nil
			})
		if err != nil {
			return fmt.Errorf("store: sales report costs: %w", err)
		}
		err = eachRow(ctx, tx, `SELECT `+refB+`, COUNT(*), SUM(o.total) FROM orders o INDEXED BY orders_refunded
			WHERE o.refunded_at >= ? AND o.refunded_at < ? AND o.currency = ? GROUP BY 1`,
			[]any{from, to, f.Currency}, func(r *sql.Rows) error {
				var start string
				var n int
				var sum int64
				if err := r.Scan(&start, &n, &sum); err != nil {
					return err
				}
				b := bucket(start)
				b.Refunds, b.Refunded = n, sum
				return nil
			})
		if err != nil {
			return fmt.Errorf("store: refunds report: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sortedBuckets(byStart), nil
}

// valid checks a report filter.
func (f ReportFilter) valid() error {
	switch {
	case f.From.IsZero() || f.To.IsZero() || !f.From.Before(f.To):
		return Errorf(EINVALID, "a report needs a range whose start is before its end")
	case !validCurrency(f.Currency):
		return Errorf(EINVALID, "invalid report currency %q", f.Currency)
	}
	return nil
}

// eachRow runs a query and calls fn for every row.
func eachRow(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sortedBuckets lists the buckets by start day.
func sortedBuckets(m map[string]*SalesBucket) []SalesBucket {
	out := make([]SalesBucket, 0, len(m))
	for _, b := range m {
		out = append(out, *b)
	}
	slices.SortFunc(out, func(a, b SalesBucket) int { return strings.Compare(a.Start, b.Start) })
	return out
}

// CheckoutCounts counts the orders created (checkouts started) in
// [from, to) in currency, and how many of them were paid: the shop's
// checkout conversion. Plan views are not recorded, so it starts there.
func (db *DB) CheckoutCounts(ctx context.Context, from, to time.Time, currency string) (created, paid int, err error) {
	err = db.reader.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(paid_at) FROM orders INDEXED BY orders_created
		WHERE created_at >= ? AND created_at < ? AND currency = ?`, from.UTC(), to.UTC(), currency).Scan(&created, &paid)
	if err != nil {
		return 0, 0, fmt.Errorf("store: count checkouts: %w", err)
	}
	return created, paid, nil
}
