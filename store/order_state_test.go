package store

import (
	"context"
	"database/sql"
	"testing"
	"time"
)

func TestTransitionStateMachine(t *testing.T) {
	all := []OrderStatus{StatusPendingPayment, StatusPaid, StatusPlacing, StatusPlaced, StatusDelivered,
		StatusPaymentFailed, StatusExpired, StatusNeedsAttention}
	allowed := map[[2]OrderStatus]bool{}
	for _, pair := range [][2]OrderStatus{
		{StatusPendingPayment, StatusPaid}, {StatusPendingPayment, StatusPaymentFailed},
		{StatusPendingPayment, StatusExpired}, {StatusPendingPayment, StatusNeedsAttention},
		{StatusPaymentFailed, StatusPaid}, {StatusPaymentFailed, StatusNeedsAttention},
		{StatusExpired, StatusPaid}, {StatusExpired, StatusNeedsAttention},
		{StatusPaid, StatusPlacing}, {StatusPaid, StatusNeedsAttention}, {StatusPaid, StatusDelivered},
		{StatusPlacing, StatusPlaced}, {StatusPlacing, StatusNeedsAttention}, {StatusPlacing, StatusPaid},
		{StatusPlacing, StatusDelivered},
		{StatusPlaced, StatusDelivered}, {StatusPlaced, StatusNeedsAttention},
		{StatusNeedsAttention, StatusPaid}, {StatusNeedsAttention, StatusPlacing}, {StatusNeedsAttention, StatusDelivered},
	} {
		allowed[pair] = true
	}
	db, _, in := orderFixture(t)
	ctx := context.Background()
	o := mustCreate(t, db, in)
	for _, from := range all {
		for _, to := range all {
			// Put the stored order in state from directly, then try the move.
			if _, err := db.writer.Exec(`UPDATE orders SET status = ? WHERE id = ?`, from, o.ID); err != nil {
				t.Fatal(err)
			}
			cur := o
			cur.Status = from
			cur.PaidAt = time.Now() // the matrix is for a paid order; unpaid delivery is checked below
			before := len(mustEvents(t, db, o.ID))
			err := db.withTx(ctx, func(tx *sql.Tx) error { return db.transition(ctx, tx, &cur, to, "matrix") })
			after := mustEvents(t, db, o.ID)
			stored := statusOf(t, db, o.ID).Status
			if allowed[[2]OrderStatus{from, to}] {
				if err != nil || stored != to || len(after) != before+1 || after[len(after)-1].From != from {
					t.Errorf("%s -> %s refused: %v (stored %s, %d events)", from, to, err, stored, len(after)-before)
				}
				continue
			}
			if ErrorCode(err) != ECONFLICT || stored != from || len(after) != before {
				t.Errorf("%s -> %s allowed: %v (stored %s, %d events)", from, to, err, stored, len(after)-before)
			}
		}
	}
	// An order that was never paid is never delivered, from any status.
	for _, from := range all {
		if _, err := db.writer.Exec(`UPDATE orders SET status = ? WHERE id = ?`, from, o.ID); err != nil {
			t.Fatal(err)
		}
		cur := o
		cur.Status = from
		err := db.withTx(ctx, func(tx *sql.Tx) error { return db.transition(ctx, tx, &cur, StatusDelivered, "unpaid") })
		if ErrorCode(err) != ECONFLICT || statusOf(t, db, o.ID).Status != from {
			t.Errorf("unpaid %s -> delivered: %v", from, err)
		}
	}
	// A stale in-memory order cannot overwrite a newer stored status.
	if _, err := db.writer.Exec(`UPDATE orders SET status = 'delivered' WHERE id = ?`, o.ID); err != nil {
		t.Fatal(err)
	}
	stale := o // still pending_payment in memory
	err := db.withTx(ctx, func(tx *sql.Tx) error { return db.transition(ctx, tx, &stale, StatusPaid, "stale") })
	if err == nil || statusOf(t, db, o.ID).Status != StatusDelivered {
		t.Errorf("stale transition = %v; stored status must stay delivered", err)
	}
}
