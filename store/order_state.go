package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
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

// MarkPaid applies a payment to its order in one write transaction and
// reports whether the order changed:
//   - already paid or beyond (placing, placed, delivered, or
//     needs_attention with its job queued): nothing changes, changed=false;
//   - the payment does not match the order (provider, amount, currency,
//     or checkout session when the order has one): a pending, failed or
//     expired order becomes needs_attention with the reason in Attention,
//     no job is queued, and the error wraps ErrPaymentMismatch. A
//     mismatch on an order already flagged or fulfilled changes nothing
//     but is still reported, so a second charge is never silent;
//   - a matching payment on a pending, failed or expired order (money
//     arrived, so it must be fulfilled): status paid, PaidAt set, and one
//     place_order job queued. UNIQUE(kind, order_id) in the schema makes
//     a second job impossible even if this logic were wrong.
//
// A matching payment on an order flagged needs_attention without a job is
// not applied automatically (an operator is already deciding about it);
// it is reported as ErrPaymentMismatch too. Unknown order: ENOTFOUND.
func (db *DB) MarkPaid(ctx context.Context, p Payment, cause string) (changed bool, err error) {
	if p.OrderID <= 0 {
		return false, Errorf(EINVALID, "payment names no order")
	}
	var mismatch error
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `id = ?`, p.OrderID)
		if err != nil {
			return err
		}
		reason := paymentMismatch(o, p)
		switch o.Status {
		case StatusPaid, StatusPlacing, StatusPlaced, StatusDelivered, StatusRefunded:
			if reason != "" {
				mismatch = mismatchError(o, "payment not applied, order already paid: "+reason)
				return nil
			}
			// A repeated report (webhook after the success page) may be
			// the first to name the payment intent; keep it for refunds.
			return setPaymentIntent(ctx, tx, o, p.PaymentIntent)
		case StatusNeedsAttention:
			queued, err := hasJob(ctx, tx, JobPlaceOrder, o.ID)
			switch {
			case err != nil:
				return err
			case reason != "":
				mismatch = mismatchError(o, reason)
			case !queued:
				mismatch = mismatchError(o, "order awaits an operator ("+o.Attention+"); payment not applied")
			}
			return nil
		}
		if reason != "" {
			mismatch = mismatchError(o, reason)
			if err := db.transition(ctx, tx, &o, StatusNeedsAttention, cause+": "+reason); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE orders SET attention = ? WHERE id = ?`,
				truncateUTF8(reason, maxCauseLen), o.ID)
			if err != nil {
				return fmt.Errorf("store: flag order: %w", err)
			}
			return nil
		}
		if err := db.transition(ctx, tx, &o, StatusPaid, cause); err != nil {
			return err
		}
		// A provider without sessions (demo) leaves PaymentRef empty; a
		// session id learned only now is kept for reconciliation.
		ref := o.PaymentRef
		if ref == "" {
			ref = p.Ref
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET paid_at = ?, payment_ref = ? WHERE id = ?`,
			o.UpdatedAt, ref, o.ID); err != nil {
			return fmt.Errorf("store: set paid_at: %w", err)
		}
		if err := setPaymentIntent(ctx, tx, o, p.PaymentIntent); err != nil {
			return err
		}
		if err := insertJob(ctx, tx, JobPlaceOrder, o.ID, o.UpdatedAt); err != nil {
			return err
		}
		changed = true
		return nil
	})
	if err != nil {
		return false, err
	}
	return changed, mismatch
}

// setPaymentIntent stores a payment intent on o unless o has one already
// or intent is empty or implausible, in tx. It never overwrites: a second
// intent for one order would be a second charge, which mismatch reports.
func setPaymentIntent(ctx context.Context, tx *sql.Tx, o Order, intent string) error {
	intent = strings.TrimSpace(intent)
	if o.PaymentIntent != "" || !validVendorID(intent) {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE orders SET payment_intent = ? WHERE id = ? AND payment_intent = ''`,
		intent, o.ID); err != nil {
		return fmt.Errorf("store: set payment intent: %w", err)
	}
	return nil
}

// paymentMismatch explains how p disagrees with o, or returns "".
func paymentMismatch(o Order, p Payment) string {
	var why []string
	if p.Provider != o.Provider {
		why = append(why, fmt.Sprintf("paid via %q, expected %q", p.Provider, o.Provider))
	}
	if p.Amount != o.Total || !strings.EqualFold(p.Currency, o.Currency) {
		why = append(why, fmt.Sprintf("paid %d %s, expected %d %s", p.Amount, strings.ToLower(p.Currency), o.Total, o.Currency))
	}
	if o.PaymentRef != "" && p.Ref != o.PaymentRef {
		why = append(why, fmt.Sprintf("paid through session %q, expected %q", p.Ref, o.PaymentRef))
	}
	if o.PaymentIntent != "" && p.PaymentIntent != "" && p.PaymentIntent != o.PaymentIntent {
		why = append(why, fmt.Sprintf("paid through payment intent %q, expected %q", p.PaymentIntent, o.PaymentIntent))
	}
	return truncateUTF8(strings.Join(why, "; "), maxCauseLen)
}

// mismatchError wraps ErrPaymentMismatch with a user-safe *Error.
func mismatchError(o Order, reason string) error {
	return fmt.Errorf("%w: %w", ErrPaymentMismatch, Errorf(ECONFLICT, "order %s: %s", o.Number, reason))
}

// MarkPaymentFailed records that the provider reported the payment failed.
// Only a pending_payment order changes; otherwise changed=false.
func (db *DB) MarkPaymentFailed(ctx context.Context, orderID int64, cause string) (bool, error) {
	return db.markUnpaid(ctx, orderID, StatusPaymentFailed, cause)
}

// MarkExpired records that the payment page expired unpaid. Only a
// pending_payment order changes; otherwise changed=false.
func (db *DB) MarkExpired(ctx context.Context, orderID int64, cause string) (bool, error) {
	return db.markUnpaid(ctx, orderID, StatusExpired, cause)
}

// markUnpaid moves a pending_payment order to to; any other status is left
// alone, since a late failure report must never undo a payment.
func (db *DB) markUnpaid(ctx context.Context, orderID int64, to OrderStatus, cause string) (changed bool, err error) {
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `id = ?`, orderID)
		if err != nil {
			return err
		}
		if o.Status != StatusPendingPayment {
			return nil
		}
		if err := db.transition(ctx, tx, &o, to, cause); err != nil {
			return err
		}
		changed = true
		return nil
	})
	return changed, err
}
