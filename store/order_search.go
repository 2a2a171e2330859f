package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// OrderFilter selects orders for the operator's order list.
type OrderFilter struct {
	// Q matches, exactly or as a prefix: the order number (case ignored;
	// all digits also matches the order id), the buyer's email (case
	// ignored), an eSIM ICCID, the vendor order id, the Stripe checkout
	// session id or payment intent id; from three characters on, any part
	// of those, of a SKU or of a plan title (full-text, trigram). "" matches
	// every order.
	Q      string
	Status OrderStatus // "" for any
	// From and To bound created_at as [From, To); a zero time is open.
	From, To time.Time
	// Limit defaults to 50 (at most 1000); Offset skips that many rows.
	Limit, Offset int
}

// OrderSummary is one row of the operator's order list.
type OrderSummary struct {
	ID        int64
	Number    string
	Token     string
	Email     string
	Status    OrderStatus
	Currency  string
	Total     int64 // minor units
	Attention string
	CreatedAt time.Time
	PaidAt    time.Time // zero if unpaid
	Lines     int       // number of order lines
	Title     string    // the first line's title
}

// OrderStats are the dashboard's headline numbers for a period.
type OrderStats struct {
	// Orders counts orders created in the period; ByStatus splits them by
	// their current status.
	Orders   int
	ByStatus map[OrderStatus]int
	// Paid counts orders paid in the period (by PaidAt) and not refunded;
	// Revenue sums their totals per currency (minor units).
	Paid    int
	Revenue map[string]int64
	// Refunded counts orders refunded in the period (by RefundedAt).
	Refunded int
}

// maxSearchLen bounds a search text; no key the search matches is longer.
const maxSearchLen = 254

// prefixEnd is appended to a prefix to make the exclusive upper bound of
// a range scan: U+10FFFF sorts after every valid UTF-8 text that starts
// with the prefix, in BINARY and NOCASE collation alike. A range (unlike
// LIKE) always uses the column's index.
const prefixEnd = "\U0010FFFF"

// summarySelect reads an OrderSummary; the line count and first title come
// from order_lines' (order_id, position) index.
const summarySelect = `SELECT o.id, o.number, o.token, o.email, o.status, o.currency, o.total, o.attention,
	o.created_at, o.paid_at,
	(SELECT COUNT(*) FROM order_lines l WHERE l.order_id = o.id),
	coalesce((SELECT l.title FROM order_lines l WHERE l.order_id = o.id ORDER BY l.position LIMIT 1), '')
	FROM orders o`

// SearchOrders returns one page of the orders matching f, newest first,
// and how many match in all. Every key of f.Q is looked up through its
// own index (number, email, ICCID, vendor order id, session id, payment
// intent) and the list is served in created_at order from an index, so
// the page stays fast with 100k orders.
func (db *DB) SearchOrders(ctx context.Context, f OrderFilter) ([]OrderSummary, int, error) {
	where, args := orderFilterSQL(f)
	var out []OrderSummary
	var total int
	err := db.withReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM orders o`+where, args...).Scan(&total); err != nil {
			return fmt.Errorf("store: count orders: %w", err)
		}
		var err error
		out, err = querySummaries(ctx, tx, summarySelect+where+` ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?`,
			append(args, listLimit(f.Limit), max(f.Offset, 0))...)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// orderFilterSQL turns f into a WHERE clause (possibly empty) on orders o.
func orderFilterSQL(f OrderFilter) (string, []any) {
	var conds []string
	var args []any
	if q := strings.TrimSpace(f.Q); q != "" {
		q = truncateUTF8(strings.ToValidUTF8(q, ""), maxSearchLen)
		up, low := strings.ToUpper(q), strings.ToLower(q)
		// Each arm is a range scan on one index; UNION dedupes an order
		// matched by two keys.
		arms := []string{
			`SELECT id FROM orders WHERE number >= ? AND number < ?`,
			`SELECT id FROM orders WHERE email >= ? COLLATE NOCASE AND email < ? COLLATE NOCASE`,
			`SELECT id FROM orders WHERE payment_ref >= ? AND payment_ref < ? AND payment_ref <> ''`,
			`SELECT id FROM orders WHERE payment_intent >= ? AND payment_intent < ? AND payment_intent <> ''`,
			`SELECT id FROM orders WHERE vendor_order_id >= ? AND vendor_order_id < ? AND vendor_order_id <> ''`,
			`SELECT order_id FROM esims WHERE iccid >= ? AND iccid < ?`,
		}
		args = append(args, up, up+prefixEnd, low, low+prefixEnd, q, q+prefixEnd, q, q+prefixEnd,
			q, q+prefixEnd, q, q+prefixEnd)
		if utf8.RuneCountInString(q) >= 3 {
			// Any part of a value: the trigram index (see migration 013).
			arms = append(arms, `SELECT rowid FROM order_fts WHERE order_fts MATCH ?`)
			args = append(args, ftsPhrase(q))
		}
		if id, err := strconv.ParseInt(q, 10, 64); err == nil && id > 0 {
			arms = append(arms, `SELECT ?`)
			args = append(args, id)
		}
		conds = append(conds, `o.id IN (`+strings.Join(arms, ` UNION `)+`)`)
	}
	if f.Status != "" {
		conds = append(conds, `o.status = ?`)
		args = append(args, f.Status)
	}
	if !f.From.IsZero() {
		conds = append(conds, `o.created_at >= ?`)
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		conds = append(conds, `o.created_at < ?`)
		args = append(args, f.To.UTC())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// ftsPhrase quotes q as one FTS5 phrase (a double quote is doubled), so
// whatever the operator typed is matched as text, never as query syntax.
func ftsPhrase(q string) string { return `"` + strings.ReplaceAll(q, `"`, `""`) + `"` }

// querySummaries runs a summarySelect query.
func querySummaries(ctx context.Context, q querier, query string, args ...any) ([]OrderSummary, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query orders: %w", err)
	}
	defer rows.Close()
	var out []OrderSummary
	for rows.Next() {
		var s OrderSummary
		var paid sql.NullTime
		if err := rows.Scan(&s.ID, &s.Number, &s.Token, &s.Email, &s.Status, &s.Currency, &s.Total, &s.Attention,
			&s.CreatedAt, &paid, &s.Lines, &s.Title); err != nil {
			return nil, fmt.Errorf("store: scan order: %w", err)
		}
		s.CreatedAt, s.PaidAt = s.CreatedAt.UTC(), fromNullTime(paid)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query orders: %w", err)
	}
	return out, nil
}

// OrdersNeedingAttention returns orders flagged needs_attention, the
// longest waiting first (they are the operator's to-do list), at most
// limit (50 when limit <= 0, never more than 1000).
func (db *DB) OrdersNeedingAttention(ctx context.Context, limit int) ([]OrderSummary, error) {
	return querySummaries(ctx, db.reader, summarySelect+` WHERE o.status = ?
		ORDER BY o.created_at, o.id LIMIT ?`, StatusNeedsAttention, listLimit(limit))
}

// OrderStats returns the dashboard's numbers since since (zero: all
// time): orders created and their current statuses, orders paid and not
// refunded with their revenue per currency, and refunds.
func (db *DB) OrderStats(ctx context.Context, since time.Time) (OrderStats, error) {
	st := OrderStats{ByStatus: map[OrderStatus]int{}, Revenue: map[string]int64{}}
	from := since.UTC() // the zero time sorts before every stored time
	err := db.withReadTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT status, COUNT(*) FROM orders WHERE created_at >= ? GROUP BY status`, from)
		if err != nil {
			return fmt.Errorf("store: order stats: %w", err)
		}
		for rows.Next() {
			var s OrderStatus
			var n int
			if err := rows.Scan(&s, &n); err != nil {
				rows.Close()
				return fmt.Errorf("store: order stats: %w", err)
			}
			st.ByStatus[s], st.Orders = n, st.Orders+n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: order stats: %w", err)
		}
		rows, err = tx.QueryContext(ctx, `SELECT currency, COUNT(*), SUM(total) FROM orders
			WHERE paid_at IS NOT NULL AND paid_at >= ? AND status <> 'refunded' GROUP BY currency`, from)
		if err != nil {
			return fmt.Errorf("store: revenue: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var cur string
			var n int
			var sum int64
			if err := rows.Scan(&cur, &n, &sum); err != nil {
				return fmt.Errorf("store: revenue: %w", err)
			}
			st.Revenue[cur], st.Paid = sum, st.Paid+n
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: revenue: %w", err)
		}
		rows.Close()
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM orders WHERE status = 'refunded' AND refunded_at >= ?`,
			from).Scan(&st.Refunded)
		if err != nil {
			return fmt.Errorf("store: count refunds: %w", err)
		}
		return nil
	})
	if err != nil {
		return OrderStats{}, err
	}
	return st, nil
}
