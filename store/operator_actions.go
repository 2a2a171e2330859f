package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// refundCancelReason is the last_error of jobs a refund cancelled.
const refundCancelReason = "refunded"

// MarkRefunded records that an order's payment was refunded (refundID is
// the provider's refund id, required) and makes the order final, in one
// transaction: status refunded with RefundID and RefundedAt set and
// Attention cleared, and every queued or running job of the order but the
// refund job (which calls this when its refunds add up) failed with
// last_error "refunded", so nothing more happens to it (a worker in the
// middle of a job loses its lease and must drop its result). Only an
// order money was taken for — paid, placing, placed, delivered or
// needs_attention — can be refunded; others are ECONFLICT. An order
// already refunded is left alone: changed=false, nil. Unknown order:
// ENOTFOUND.
func (db *DB) MarkRefunded(ctx context.Context, orderID int64, refundID string, cause string) (changed bool, err error) {
	refundID = strings.TrimSpace(refundID)
	if !validVendorID(refundID) {
		return false, Errorf(EINVALID, "a refund needs the provider's refund id")
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `id = ?`, orderID)
		if err != nil {
			return err
		}
		if o.Status == StatusRefunded {
			return nil
		}
		if !canTransition(o.Status, StatusRefunded) {
			return Errorf(ECONFLICT, "order %s is %s: no payment to refund", o.Number, o.Status)
		}
		// One UPDATE for status and refund columns (the schema ties status
		// refunded to refunded_at), guarded by the loaded status like
		// transition's.
		now := db.now().UTC()
		res, err := tx.ExecContext(ctx, `UPDATE orders SET status = ?, refund_id = ?, refunded_at = ?,
			attention = '', updated_at = ? WHERE id = ? AND status = ?`,
			StatusRefunded, refundID, now, now, o.ID, o.Status)
		if err != nil {
			return fmt.Errorf("store: set refund: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("store: order %d is no longer %s (%d rows, %v)", o.ID, o.Status, n, err)
		}
		if err := insertOrderEvent(ctx, tx, o.ID, now, o.Status, StatusRefunded,
			joinCause("refunded as "+refundID, cause)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'failed', lease_until = NULL, last_error = ?,
			updated_at = ? WHERE order_id = ? AND state IN ('queued', 'running') AND kind <> ?`,
			refundCancelReason, now, o.ID, JobRefund); err != nil {
			return fmt.Errorf("store: cancel jobs: %w", err)
		}
		changed = true
		return nil
	})
	return changed, err
}

// RetryPlacement is the operator's "retry vendor placement" for a paid
// order that is paid, placing or needs_attention, in one transaction: the
// place_order job is queued again (Attempts reset; created if missing)
// and a needs_attention order goes back to paid with an "operator retry"
// event, so the worker places it. While the job is queued (and the order
// not flagged) or running, a second click changes nothing: false, nil.
// Delivered, placed (the vendor has it), refunded and unpaid orders are
// ECONFLICT. Unknown order: ENOTFOUND.
func (db *DB) RetryPlacement(ctx context.Context, orderID int64, cause string) (changed bool, err error) {
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `id = ?`, orderID)
		if err != nil {
			return err
		}
		switch {
		case o.Status == StatusNeedsAttention && o.PaidAt.IsZero():
			return Errorf(ECONFLICT, "order %s was never paid in full; it cannot be placed", o.Number)
		case o.Status != StatusPaid && o.Status != StatusPlacing && o.Status != StatusNeedsAttention:
			return Errorf(ECONFLICT, "order %s is %s; placement cannot be retried", o.Number, o.Status)
		}
		state, err := jobState(ctx, tx, JobPlaceOrder, o.ID)
		if err != nil {
			return err
		}
		if state == JobRunning || (state == JobQueued && o.Status != StatusNeedsAttention) {
			return nil
		}
		if err := db.requeue(ctx, tx, JobPlaceOrder, o.ID, state); err != nil {
			return err
		}
		why := joinCause("operator retry", cause)
		if o.Status == StatusNeedsAttention {
			if err := db.transition(ctx, tx, &o, StatusPaid, why); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE orders SET attention = '' WHERE id = ?`, o.ID); err != nil {
				return fmt.Errorf("store: clear attention: %w", err)
			}
		} else if err := db.addNotes(ctx, tx, o, []string{why}); err != nil {
			return err
		}
		changed = true
		return nil
	})
	return changed, err
}

// ResendDeliveryEmail is the operator's "re-send the buyer's email" for a
// delivered order: its send_esim_email job, done or failed, is queued
// again (created if missing) and the request noted in the order's
// history. While the job is queued or running: false, nil. An order not
// delivered is ECONFLICT; unknown: ENOTFOUND.
func (db *DB) ResendDeliveryEmail(ctx context.Context, orderID int64, cause string) (changed bool, err error) {
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `id = ?`, orderID)
		if err != nil {
			return err
		}
		if o.Status != StatusDelivered {
			return Errorf(ECONFLICT, "order %s is %s; only a delivered order's email can be re-sent", o.Number, o.Status)
		}
		state, err := jobState(ctx, tx, JobSendESIMEmail, o.ID)
		if err != nil {
			return err
		}
		if state == JobQueued || state == JobRunning {
			return nil
		}
		if err := db.requeue(ctx, tx, JobSendESIMEmail, o.ID, state); err != nil {
			return err
		}
		changed = true
		return db.addNotes(ctx, tx, o, []string{joinCause("operator re-sent the eSIM email", cause)})
	})
	return changed, err
}

// joinCause appends an operator's free text to a fixed cause.
func joinCause(fixed, extra string) string {
	if extra = strings.TrimSpace(extra); extra != "" {
		return fixed + ": " + extra
	}
	return fixed
}
