package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Customer is one buyer, keyed by email (case ignored), over their paid
// orders in one currency.
type Customer struct {
	Email    string // lower case
	Currency string
	Orders   int   // paid orders (refunded ones included)
	Refunded int   // of which refunded
	ESIMs    int64 // eSIMs in those orders
	// Spent is what the customer paid and kept paid: totals of the paid
	// orders less the refunded ones, minor units.
	Spent       int64
	First, Last time.Time // first and last purchase (paid_at)
}

// CustomerFilter selects customers: Q matches the email as a prefix
// (case ignored); Limit defaults to 50 (at most 1000).
type CustomerFilter struct {
	Q             string
	Limit, Offset int
}

// customerSelect groups paid orders by email through orders_email
// (email COLLATE NOCASE), so no temporary sort is needed.
const customerSelect = `SELECT lower(o.email), o.currency, COUNT(*), SUM(o.status = 'refunded'),
	SUM((SELECT SUM(l.quantity) FROM order_lines l WHERE l.order_id = o.id)),
	SUM(CASE WHEN o.status = 'refunded' THEN 0 ELSE o.total END), MIN(o.paid_at), MAX(o.paid_at)
	FROM orders o INDEXED BY orders_email WHERE o.paid_at IS NOT NULL`

// customerWhere is f's extra condition on the email.
func customerWhere(f CustomerFilter) (string, []any) {
	q := strings.ToLower(strings.TrimSpace(f.Q))
	if q == "" {
		return "", nil
	}
	q = truncateUTF8(strings.ToValidUTF8(q, ""), maxSearchLen)
	return ` AND o.email >= ? COLLATE NOCASE AND o.email < ? COLLATE NOCASE`, []any{q, q + prefixEnd}
}

// Customers returns one page of customers by email and how many match.
func (db *DB) Customers(ctx context.Context, f CustomerFilter) ([]Customer, int, error) {
	where, args := customerWhere(f)
	var out []Customer
	var total int
	err := db.withReadTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM orders o INDEXED BY orders_email
			WHERE o.paid_at IS NOT NULL`+where+` GROUP BY o.email COLLATE NOCASE, o.currency)`, args...).Scan(&total)
		if err != nil {
			return fmt.Errorf("store: count customers: %w", err)
		}
		return eachCustomer(ctx, tx, customerSelect+where+` GROUP BY o.email COLLATE NOCASE, o.currency
			ORDER BY o.email COLLATE NOCASE, o.currency LIMIT ? OFFSET ?`,
			append(args, listLimit(f.Limit), max(f.Offset, 0)), func(c Customer) error {
				out = append(out, c)
				return nil
			})
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// ExportCustomers calls fn with every customer matching f (Limit and
// Offset ignored), by email, reading rows as fn consumes them.
func (db *DB) ExportCustomers(ctx context.Context, f CustomerFilter, fn func(Customer) error) error {
	where, args := customerWhere(f)
	return db.withReadTx(ctx, func(tx *sql.Tx) error {
		return eachCustomer(ctx, tx, customerSelect+where+` GROUP BY o.email COLLATE NOCASE, o.currency
			ORDER BY o.email COLLATE NOCASE, o.currency`, args, fn)
	})
}

// eachCustomer runs a customerSelect query.
func eachCustomer(ctx context.Context, q querier, query string, args []any, fn func(Customer) error) error {
	err := eachRow(ctx, q, query, args, func(r *sql.Rows) error {
		var c Customer
		// MIN and MAX lose the column's DATETIME type: text comes back.
		var first, last sql.NullString
		var esims sql.NullInt64
		if err := r.Scan(&c.Email, &c.Currency, &c.Orders, &c.Refunded, &esims, &c.Spent, &first, &last); err != nil {
			return err
		}
		c.ESIMs, c.First, c.Last = esims.Int64, parseStoredTime(first.String), parseStoredTime(last.String)
		return fn(c)
	})
	if err != nil {
		return fmt.Errorf("store: customers: %w", err)
	}
	return nil
}
