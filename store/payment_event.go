package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Payment event verdicts: what the shop made of an incoming event.
const (
	VerdictReceived  = "received" // stored, not acted on yet
	VerdictAccepted  = "accepted"
	VerdictDuplicate = "duplicate"
	VerdictRejected  = "rejected"
	VerdictIgnored   = "ignored"
	VerdictMismatch  = "mismatch"
)

// PaymentEvent is a raw incoming payment-provider event, stored as received.
type PaymentEvent struct {
	ID         int64
	Provider   string
	EventID    string
	Type       string
	OrderID    int64  // 0 if unknown
	Payload    []byte // raw, as received
	Verdict    string // one of the Verdict constants; "" means VerdictReceived
	ReceivedAt time.Time
}

// Bounds on stored payment events: the provider's ids are short, and a
// payload far beyond a real Stripe event is not kept (the web layer caps
// request bodies well below this).
const (
	maxEventIDLen   = 255
	maxEventTypeLen = 255
	maxPayloadLen   = 1 << 20
)

// validVerdict reports whether v is one of the Verdict constants.
func validVerdict(v string) bool {
	switch v {
	case VerdictReceived, VerdictAccepted, VerdictDuplicate, VerdictRejected, VerdictIgnored, VerdictMismatch:
		return true
	}
	return false
}

// RecordPaymentEvent stores a raw provider event once per (Provider,
// EventID). A redelivery returns dup=true and stores nothing: the payload
// and verdict of the first delivery are kept. An empty Verdict is stored as
// VerdictReceived; ID and ReceivedAt are set by the store.
func (db *DB) RecordPaymentEvent(ctx context.Context, e PaymentEvent) (dup bool, err error) {
	if e.Verdict == "" {
		e.Verdict = VerdictReceived
	}
	switch {
	case e.Provider == "" || len(e.Provider) > maxEventIDLen:
		return false, Errorf(EINVALID, "payment event has no provider")
	case e.EventID == "" || len(e.EventID) > maxEventIDLen || !utf8.ValidString(e.EventID):
		return false, Errorf(EINVALID, "payment event has an invalid id")
	case len(e.Type) > maxEventTypeLen || !utf8.ValidString(e.Type):
		return false, Errorf(EINVALID, "payment event has an invalid type")
	case len(e.Payload) > maxPayloadLen:
		return false, Errorf(EINVALID, "payment event payload is too large")
	case !validVerdict(e.Verdict):
		return false, Errorf(EINVALID, "invalid payment event verdict %q", e.Verdict)
	}
	payload := e.Payload
	if payload == nil {
		payload = []byte{} // NOT NULL column; an empty body is still a body
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO payment_events (provider, event_id, type, order_id, payload,
			verdict, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (provider, event_id) DO NOTHING`,
			e.Provider, e.EventID, e.Type, nullID(e.OrderID), payload, e.Verdict, db.now().UTC())
		if err != nil {
			return fmt.Errorf("store: insert payment event: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("store: insert payment event: %w", err)
		}
		dup = n == 0
		return nil
	})
	return dup, err
}

// SetPaymentEventVerdict records what the shop made of a stored event and,
// when orderID is not 0, which order it concerned. ENOTFOUND if the event
// was never recorded.
func (db *DB) SetPaymentEventVerdict(ctx context.Context, provider, eventID, verdict string, orderID int64) error {
	if !validVerdict(verdict) {
		return Errorf(EINVALID, "invalid payment event verdict %q", verdict)
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE payment_events SET verdict = ?, order_id = COALESCE(?, order_id)
			WHERE provider = ? AND event_id = ?`, verdict, nullID(orderID), provider, eventID)
		if err != nil {
			return fmt.Errorf("store: set payment event verdict: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("store: set payment event verdict: %w", err)
		}
		if n == 0 {
			return Errorf(ENOTFOUND, "payment event not found")
		}
		return nil
	})
}

// PaymentEvents returns the events recorded for an order, oldest first.
func (db *DB) PaymentEvents(ctx context.Context, orderID int64) ([]PaymentEvent, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT id, provider, event_id, type, order_id, payload, verdict,
		received_at FROM payment_events WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("store: query payment events: %w", err)
	}
	defer rows.Close()
	var out []PaymentEvent
	for rows.Next() {
		var e PaymentEvent
		var order sql.NullInt64
		if err := rows.Scan(&e.ID, &e.Provider, &e.EventID, &e.Type, &order, &e.Payload, &e.Verdict,
			&e.ReceivedAt); err != nil {
			return nil, fmt.Errorf("store: scan payment event: %w", err)
		}
		e.OrderID = order.Int64
		e.ReceivedAt = e.ReceivedAt.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query payment events: %w", err)
	}
	return out, nil
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
