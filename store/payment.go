package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Payment is what a payment provider says was paid, and for which order
// (from the session's client_reference_id / metadata).
type Payment struct {
	Provider string
	Ref      string // checkout session id; "" when the provider has none
	// PaymentIntent is Stripe's payment_intent id ("" when the provider has
	// none); MarkPaid stores it on the order for refunds.
	PaymentIntent string
	Amount        int64 // minor units
	Currency      string
	OrderID       int64
}

// ErrPaymentMismatch is wrapped by MarkPaid's error when a payment does not
// match its order (amount, currency, provider or payment reference). The
// order is flagged needs_attention and not fulfilled; the caller should log
// it and record the event's verdict as VerdictMismatch.
var ErrPaymentMismatch = errors.New("payment does not match the order")

// SetPaymentRef records the provider's checkout session for an order that
// is still pending payment. Setting the same ref again is a no-op whatever
// the status; a different ref when one is set, a ref another order already
// has, or a first ref on an order no longer pending is ECONFLICT.
func (db *DB) SetPaymentRef(ctx context.Context, orderID int64, ref string) error {
	if ref == "" || len(ref) > maxRefLen || !utf8.ValidString(ref) {
		return Errorf(EINVALID, "invalid payment reference")
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		var status OrderStatus
		var current string
		err := tx.QueryRowContext(ctx, `SELECT status, payment_ref FROM orders WHERE id = ?`, orderID).Scan(&status, &current)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "order not found")
		}
		if err != nil {
			return fmt.Errorf("store: load order: %w", err)
		}
		switch {
		case current == ref:
			return nil
		case current != "":
			return Errorf(ECONFLICT, "order already has another payment reference")
		case status != StatusPendingPayment:
			return Errorf(ECONFLICT, "order is no longer awaiting payment")
		}
		var other int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM orders WHERE payment_ref = ?`, ref).Scan(&other)
		if err == nil {
			return Errorf(ECONFLICT, "payment reference belongs to another order")
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: check payment reference: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE orders SET payment_ref = ?, updated_at = ? WHERE id = ?`,
			ref, db.now().UTC(), orderID)
		if err != nil {
			return fmt.Errorf("store: set payment reference: %w", err)
		}
		return nil
	})
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
