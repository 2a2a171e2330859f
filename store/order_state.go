package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// allowedTransitions is the order state machine. Money that arrives late
// (after a failure or expiry) must still be fulfilled, so those states lead
// back to paid; placing may fall back to paid for a retry; needs_attention
// is left by an operator's decision — or by the eSIMs arriving. Any paid
// state may become delivered: the vendor's N009 can beat its own F040
// reply, and once an eSIM exists the buyer must get it. Only states where
// money was taken may be refunded, and refunded leads nowhere.
var allowedTransitions = map[OrderStatus][]OrderStatus{
	StatusPendingPayment: {StatusPaid, StatusPaymentFailed, StatusExpired, StatusNeedsAttention},
	StatusPaymentFailed:  {StatusPaid, StatusNeedsAttention},
	StatusExpired:        {StatusPaid, StatusNeedsAttention},
	StatusPaid:           {StatusPlacing, StatusNeedsAttention, StatusDelivered, StatusRefunded},
	StatusPlacing:        {StatusPlaced, StatusNeedsAttention, StatusPaid, StatusDelivered, StatusRefunded},
	StatusPlaced:         {StatusDelivered, StatusNeedsAttention, StatusRefunded},
	StatusDelivered:      {StatusRefunded},
	StatusNeedsAttention: {StatusPaid, StatusPlacing, StatusDelivered, StatusRefunded},
}

// canTransition reports whether the state machine allows from → to.
func canTransition(from, to OrderStatus) bool {
	return slices.Contains(allowedTransitions[from], to)
}

// transition moves o to status to and records the event, in tx. Every
// status change goes through here. The UPDATE is guarded by the status o
// was loaded with, so a stale o can never overwrite a newer status.
func (db *DB) transition(ctx context.Context, tx *sql.Tx, o *Order, to OrderStatus, cause string) error {
	if !canTransition(o.Status, to) {
		return Errorf(ECONFLICT, "order %s cannot go from %s to %s", o.Number, o.Status, to)
	}
	if to == StatusDelivered && o.PaidAt.IsZero() {
		// Payment is a precondition of delivery, whatever the status says:
		// an eSIM is never handed over for money that was not taken.
		return Errorf(ECONFLICT, "order %s is not paid; it cannot be delivered", o.Number)
	}
	now := db.now().UTC()
	res, err := tx.ExecContext(ctx, `UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?`,
		to, now, o.ID, o.Status)
	if err != nil {
		return fmt.Errorf("store: update order status: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("store: order %d is no longer %s (%d rows, %v)", o.ID, o.Status, n, err)
	}
	if err := insertOrderEvent(ctx, tx, o.ID, now, o.Status, to, cause); err != nil {
		return err
	}
	o.Status, o.UpdatedAt = to, now
	return nil
}
