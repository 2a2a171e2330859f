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

// daySQL is the UTC day of a stored time column: its first ten
// characters, as times are stored as UTC text ("2006-01-02 15:04:05…").
// Slicing text is far cheaper per row than SQLite's date functions.
func daySQL(col string) string { return `substr(` + col + `, 1, 10)` }

// periodStart maps a day (YYYY-MM-DD) to the first day of its period.
func periodStart(day string, p Period) (string, error) {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return "", fmt.Errorf("store: report day %q: %w", day, err)
	}
	switch p {
	case PeriodDay:
	case PeriodWeek:
		t = t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7)) // back to Monday
	case PeriodMonth:
		t = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	default:
		return "", Errorf(EINVALID, "unknown report period %q", p)
	}
	return t.Format(time.DateOnly), nil
}

// costedSQL says whether the vendor was (or will be) paid for an order's
// eSIMs: every paid order but one refunded before it was placed.
const costedSQL = `NOT (o.status = 'refunded' AND o.placed_at IS NULL)`

// SalesReport returns the periods of f that had a sale or a refund, in
// order. Sales and refunds are each one grouped pass over a covering
// index (orders_report, orders_refunded) with no join; only lines sold
// before costs were recorded are joined (order_lines_uncosted), so a range
// of 100,000 orders answers in a fraction of a second (BENCHMARKS.md).
func (db *DB) SalesReport(ctx context.Context, f ReportFilter) ([]SalesBucket, error) {
	if err := f.valid(); err != nil {
		return nil, err
	}
	from, to := f.From.UTC(), f.To.UTC()
	// SQL groups by day (at most a few hundred rows); days fold into
	// weeks or months here.
	byStart := map[string]*SalesBucket{}
	var bucketErr error
	bucket := func(day string) *SalesBucket {
		start, err := periodStart(day, f.Period)
		if err != nil {
			bucketErr = err
		}
		b := byStart[start]
		if b == nil {
			b = &SalesBucket{Start: start}
			byStart[start] = b
		}
		return b
	}
	err := db.withReadTx(ctx, func(tx *sql.Tx) error {
		// One small range query per day over the covering index (the
		// orders carry their eSIM count and recorded cost, migration
		// 014): each reads only its day's index entries in order, where a
		// GROUP BY over the whole range would sort every row first.
		err := eachDay(ctx, tx, from, to, `SELECT COUNT(*), coalesce(SUM(o.total), 0), coalesce(SUM(o.esims), 0),
			coalesce(SUM(CASE WHEN `+costedSQL+` THEN o.cost ELSE 0 END), 0) FROM orders o INDEXED BY orders_report
			WHERE o.paid_at >= ? AND o.paid_at < ? AND o.currency = ?`, f.Currency, func(day string, r *sql.Row) error {
			var n, esims int
			var sum, cost int64
			if err := r.Scan(&n, &sum, &esims, &cost); err != nil || n == 0 {
				return err
			}
			b := bucket(day)
			b.Paid, b.Revenue, b.ESIMs, b.Cost = b.Paid+n, b.Revenue+sum, b.ESIMs+esims, b.Cost+cost
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: sales report: %w", err)
		}
		// Lines without a cost (sold before it was recorded) are a fixed,
		// shrinking set with their own partial index, summed by settlement
		// price for the caller to convert.
		err = eachUncosted(ctx, tx, daySQL("o.paid_at"), f, func(day, settlement string, qty int64) {
			b := bucket(day)
			b.Uncosted = addSettlement(b.Uncosted, settlement, qty)
		})
		if err != nil {
			return fmt.Errorf("store: sales report uncosted: %w", err)
		}
		err = eachDay(ctx, tx, from, to, `SELECT COUNT(*), coalesce(SUM(o.total), 0) FROM orders o INDEXED BY orders_refunded
			WHERE o.refunded_at >= ? AND o.refunded_at < ? AND o.currency = ?`, f.Currency, func(day string, r *sql.Row) error {
			var n int
			var sum int64
			if err := r.Scan(&n, &sum); err != nil || n == 0 {
				return err
			}
			b := bucket(day)
			b.Refunds, b.Refunded = b.Refunds+n, b.Refunded+sum
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: refunds report: %w", err)
		}
		return nil
	})
	if err == nil {
		err = bucketErr
	}
	if err != nil {
		return nil, err
	}
	return sortedBuckets(byStart), nil
}

// valid checks a report filter.
func (f ReportFilter) valid() error {
	if _, err := periodStart("2000-01-01", f.Period); err != nil {
		return err
	}
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
	err = db.reader.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(paid_at) FROM orders INDEXED BY orders_checkouts
		WHERE created_at >= ? AND created_at < ? AND currency = ?`, from.UTC(), to.UTC(), currency).Scan(&created, &paid)
	if err != nil {
		return 0, 0, fmt.Errorf("store: count checkouts: %w", err)
	}
	return created, paid, nil
}

// addSettlement adds quantity eSIMs at a settlement price to counts.
func addSettlement(counts []SettlementCount, settlement string, quantity int64) []SettlementCount {
	for i := range counts {
		if counts[i].Settlement == settlement {
			counts[i].Quantity += quantity
			return counts
		}
	}
	return append(counts, SettlementCount{Settlement: settlement, Quantity: quantity})
}

// reportSums are the order-level copies reports read without joining the
// lines: how many eSIMs, and the recorded vendor cost of the lines that
// have one. Bounded inputs (quantity ≤ 10, validated amounts) cannot
// overflow.
func reportSums(lines []OrderLine) (esims, cost int64) {
	for _, l := range lines {
		esims += int64(l.Quantity)
		cost += l.UnitCost * int64(l.Quantity)
	}
	return esims, cost
}

// eachDay runs query (which takes a day's start and end and currency) once
// per UTC day of [from, to), clipped to the range, and calls fn with the
// day (YYYY-MM-DD) and its row.
func eachDay(ctx context.Context, tx *sql.Tx, from, to time.Time, query, currency string, fn func(string, *sql.Row) error) error {
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for d := from.Truncate(24 * time.Hour); d.Before(to); d = d.AddDate(0, 0, 1) {
		start, end := d, d.AddDate(0, 0, 1)
		if start.Before(from) {
			start = from
		}
		if end.After(to) {
			end = to
		}
		if err := fn(d.Format(time.DateOnly), stmt.QueryRowContext(ctx, start, end, currency)); err != nil {
			return err
		}
	}
	return nil
}

// eachUncosted sums, by key (an SQL expression over o and l) and
// settlement price, the eSIMs of costed orders paid in f's range whose
// lines have no recorded cost, from the partial index of those lines.
func eachUncosted(ctx context.Context, tx *sql.Tx, key string, f ReportFilter, fn func(key, settlement string, qty int64)) error {
	return eachRow(ctx, tx, `SELECT `+key+`, l.settlement, SUM(l.quantity)
		FROM order_lines l INDEXED BY order_lines_uncosted JOIN orders o ON o.id = l.order_id
		WHERE l.unit_cost IS NULL AND o.paid_at >= ? AND o.paid_at < ? AND o.currency = ? AND `+costedSQL+`
		GROUP BY 1, 2`,
		[]any{f.From.UTC(), f.To.UTC(), f.Currency}, func(r *sql.Rows) error {
			var k, settlement string
			var qty int64
			if err := r.Scan(&k, &settlement, &qty); err != nil {
				return err
			}
			fn(k, settlement, qty)
			return nil
		})
}
