package store

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// orderSelect lists the orders columns in the order scanOrder reads.
const orderSelect = `SELECT id, number, token, email, lang, status, currency, total, provider,
	payment_ref, attention, created_at, updated_at, paid_at, vendor_order_id, placed_at, delivered_at,
	vendor_code, vendor_msg, payment_intent, refund_id, refunded_at, travel_date FROM orders`

// errOrderNotFound is the one answer for every failed lookup, so a caller
// cannot tell a malformed key from an unknown one.
func errOrderNotFound() error { return Errorf(ENOTFOUND, "order not found") }

// scanOrder reads one orderSelect row; times come back in UTC.
func scanOrder(s scanner) (Order, error) {
	var o Order
	var paid, placed, delivered, refunded sql.NullTime
	err := s.Scan(&o.ID, &o.Number, &o.Token, &o.Email, &o.Lang, &o.Status, &o.Currency, &o.Total,
		&o.Provider, &o.PaymentRef, &o.Attention, &o.CreatedAt, &o.UpdatedAt, &paid, &o.VendorOrderID,
		&placed, &delivered, &o.VendorCode, &o.VendorMsg, &o.PaymentIntent, &o.RefundID, &refunded, &o.TravelDate)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	o.PaidAt, o.PlacedAt, o.DeliveredAt = fromNullTime(paid), fromNullTime(placed), fromNullTime(delivered)
	o.RefundedAt = fromNullTime(refunded)
	return o, err
}

// loadOrder reads the order matching where (a condition on one unique
// column with one argument), its lines and its eSIMs, in tx. No row is
// ENOTFOUND.
func loadOrder(ctx context.Context, tx *sql.Tx, where string, arg any) (Order, error) {
	o, err := scanOrder(tx.QueryRowContext(ctx, orderSelect+` WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, errOrderNotFound()
	}
	if err != nil {
		return Order{}, fmt.Errorf("store: load order: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, number, sku_id, title, copies, quantity, days, data_kb,
		daily_kb, unit_amount, amount, settlement, coalesce(unit_cost, 0), vendor_sub_order_id FROM order_lines WHERE order_id = ?
		ORDER BY position`, o.ID)
	if err != nil {
		return Order{}, fmt.Errorf("store: load order lines: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l OrderLine
		if err := rows.Scan(&l.ID, &l.Number, &l.SKUID, &l.Title, &l.Copies, &l.Quantity, &l.Days, &l.DataKB,
			&l.DailyKB, &l.UnitAmount, &l.Amount, &l.Settlement, &l.UnitCost, &l.VendorSubOrderID); err != nil {
			return Order{}, fmt.Errorf("store: scan order line: %w", err)
		}
		o.Lines = append(o.Lines, l)
	}
	if err := rows.Err(); err != nil {
		return Order{}, fmt.Errorf("store: load order lines: %w", err)
	}
	rows.Close() // before the next query: the writer has one connection
	if o.ESIMs, err = queryESIMs(ctx, tx, `e.order_id = ?`, o.ID); err != nil {
		return Order{}, err
	}
	if o.TopUp, err = loadTopUp(ctx, tx, o.ID); err != nil {
		return Order{}, err
	}
	return o, nil
}

// readOrder runs loadOrder in a read snapshot.
func (db *DB) readOrder(ctx context.Context, where string, arg any) (Order, error) {
	var o Order
	err := db.withReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		o, err = loadOrder(ctx, tx, where, arg)
		return err
	})
	return o, err
}

// OrderByToken returns the order whose public token is token. Every input,
// well-formed or not, costs one hash and one indexed lookup on the hash, so
// timing tells nothing about how close a guess was; any miss is ENOTFOUND.
func (db *DB) OrderByToken(ctx context.Context, token string) (Order, error) {
	probe := token
	if len(probe) > maxTokenLen {
		probe = "" // bounded work; "" is shorter than any real token
	}
	hash := tokenHash(probe)
	o, err := db.readOrder(ctx, `token_hash = ?`, hash[:])
	if err != nil {
		return Order{}, err
	}
	if subtle.ConstantTimeCompare([]byte(o.Token), []byte(token)) != 1 {
		return Order{}, errOrderNotFound()
	}
	return o, nil
}

// OrderByID returns the order with id; ENOTFOUND if there is none.
func (db *DB) OrderByID(ctx context.Context, id int64) (Order, error) {
	return db.readOrder(ctx, `id = ?`, id)
}

// OrderByNumber returns the order with the given shop order number. Case
// and surrounding spaces are ignored, since buyers type numbers from emails.
func (db *DB) OrderByNumber(ctx context.Context, number string) (Order, error) {
	return db.readOrder(ctx, `number = ?`, strings.ToUpper(strings.TrimSpace(number)))
}

// OrderByPaymentRef returns the order paid through the given checkout
// session; ENOTFOUND if none (or ref is empty).
func (db *DB) OrderByPaymentRef(ctx context.Context, ref string) (Order, error) {
	if ref == "" {
		return Order{}, errOrderNotFound()
	}
	return db.readOrder(ctx, `payment_ref = ?`, ref)
}
