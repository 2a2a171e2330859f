package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// OrderEvent is one status change of an order. From is "" for creation;
// From == To marks a note that changed nothing (e.g. a payment that arrived
// for an order already waiting for an operator).
type OrderEvent struct {
	ID      int64
	OrderID int64
	At      time.Time
	From    OrderStatus
	To      OrderStatus
	// Cause is human text, e.g. "stripe checkout.session.completed evt_123".
	Cause string
}

// OrderEvents returns an order's status history, oldest first (empty for an
// unknown order).
func (db *DB) OrderEvents(ctx context.Context, orderID int64) ([]OrderEvent, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT id, order_id, at, from_status, to_status, cause
		FROM order_events WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("store: query order events: %w", err)
	}
	defer rows.Close()
	var out []OrderEvent
	for rows.Next() {
		var e OrderEvent
		if err := rows.Scan(&e.ID, &e.OrderID, &e.At, &e.From, &e.To, &e.Cause); err != nil {
			return nil, fmt.Errorf("store: scan order event: %w", err)
		}
		e.At = e.At.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query order events: %w", err)
	}
	return out, nil
}

// insertOrderEvent appends one entry to an order's history.
func insertOrderEvent(ctx context.Context, tx *sql.Tx, orderID int64, at time.Time, from, to OrderStatus, cause string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO order_events (order_id, at, from_status, to_status, cause)
		VALUES (?, ?, ?, ?, ?)`, orderID, at, from, to, truncateUTF8(cause, maxCauseLen))
	if err != nil {
		return fmt.Errorf("store: insert order event: %w", err)
	}
	return nil
}

// AddOrderNote appends cause to an order's history without changing its
// status (an OrderEvent with From == To), e.g. "F011: vendor says shipped".
func (db *DB) AddOrderNote(ctx context.Context, orderID int64, cause string) error {
	cause = strings.TrimSpace(cause)
	if cause == "" {
		return Errorf(EINVALID, "a note needs text")
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		var status OrderStatus
		err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id = ?`, orderID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return errOrderNotFound()
		}
		if err != nil {
			return fmt.Errorf("store: load order: %w", err)
		}
		return insertOrderEvent(ctx, tx, orderID, db.now().UTC(), status, status, cause)
	})
}

// addNotes records each note as a status-less event of o, in tx.
func (db *DB) addNotes(ctx context.Context, tx *sql.Tx, o Order, notes []string) error {
	now := db.now().UTC()
	for _, n := range notes {
		if err := insertOrderEvent(ctx, tx, o.ID, now, o.Status, o.Status, n); err != nil {
			return err
		}
	}
	return nil
}
