package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RejectedNoticesSince counts webhook deliveries rejected (bad signature
// or refused envelope) at or after since: vendor notices and Stripe
// payment events. A burst means a misconfigured secret or someone probing
// the endpoints; the dashboard shows it.
func (db *DB) RejectedNoticesSince(ctx context.Context, since time.Time) (vendor, stripe int, err error) {
	err = db.withReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM vendor_notices WHERE verdict = ? AND received_at >= ?`,
			VerdictRejected, since.UTC()).Scan(&vendor); err != nil {
			return fmt.Errorf("store: count rejected vendor notices: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM payment_events WHERE provider = ? AND verdict = ?
			AND received_at >= ?`, ProviderStripe, VerdictRejected, since.UTC()).Scan(&stripe); err != nil {
			return fmt.Errorf("store: count rejected payment events: %w", err)
		}
		return nil
	})
	return vendor, stripe, err
}

// paymentEventSelect lists the payment_events columns in the order
// scanPaymentEvent reads.
const paymentEventSelect = `SELECT id, provider, event_id, type, order_id, payload, verdict, received_at
	FROM payment_events`

// scanPaymentEvent reads one paymentEventSelect row.
func scanPaymentEvent(s scanner) (PaymentEvent, error) {
	var e PaymentEvent
	var order sql.NullInt64
	err := s.Scan(&e.ID, &e.Provider, &e.EventID, &e.Type, &order, &e.Payload, &e.Verdict, &e.ReceivedAt)
	e.OrderID, e.ReceivedAt = order.Int64, e.ReceivedAt.UTC()
	return e, err
}

// RecentPaymentEvents returns the newest payment events first, at most
// limit (50 when limit <= 0, never more than 1000), payloads included.
func (db *DB) RecentPaymentEvents(ctx context.Context, limit int) ([]PaymentEvent, error) {
	rows, err := db.reader.QueryContext(ctx, paymentEventSelect+` ORDER BY id DESC LIMIT ?`, listLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: query payment events: %w", err)
	}
	defer rows.Close()
	var out []PaymentEvent
	for rows.Next() {
		e, err := scanPaymentEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan payment event: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query payment events: %w", err)
	}
	return out, nil
}

// PaymentEventByID returns one stored payment event; ENOTFOUND if none.
func (db *DB) PaymentEventByID(ctx context.Context, id int64) (PaymentEvent, error) {
	e, err := scanPaymentEvent(db.reader.QueryRowContext(ctx, paymentEventSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return PaymentEvent{}, Errorf(ENOTFOUND, "payment event not found")
	}
	if err != nil {
		return PaymentEvent{}, fmt.Errorf("store: load payment event: %w", err)
	}
	return e, nil
}

// VendorNoticeByID returns one stored vendor notice; ENOTFOUND if none.
func (db *DB) VendorNoticeByID(ctx context.Context, id int64) (VendorNotice, error) {
	ns, err := db.queryNotices(ctx, noticeSelect+` WHERE id = ?`, id)
	if err != nil {
		return VendorNotice{}, err
	}
	if len(ns) == 0 {
		return VendorNotice{}, Errorf(ENOTFOUND, "vendor notice not found")
	}
	return ns[0], nil
}
