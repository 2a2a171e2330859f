package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// JobRefund works an order's queued refunds: the vendor cancel, then the
// payment refund, each recorded as it is done (see Refund).
const JobRefund = "refund"

// States of a refund's two steps. A vendor step is VendorNone when the
// refund cancels nothing at the vendor.
const (
	RefundQueued = "queued"
	RefundDone   = "done"
	RefundFailed = "failed"
	VendorNone   = "none"
)

// Vendor calls a refund may make: F008 cancels the whole vendor order,
// F017 (after-sale, receivingState=1) the chosen eSIMs.
const (
	VendorCancelOrder = "F008"
	VendorAfterSale   = "F017"
)

// MaxRefundReason bounds a refund's reason, in bytes.
const MaxRefundReason = 500

// Refund is one (possibly partial) refund of an order.
type Refund struct {
	ID, OrderID int64
	Amount      int64 // minor units of the order's currency
	Reason      string
	Admin       string
	// ICCIDs are the eSIMs cancelled at the vendor; Installed the
	// installed ones refunded anyway (not cancelled: the vendor refuses).
	ICCIDs, Installed []string
	VendorCall        string // VendorCancelOrder, VendorAfterSale or ""
	VendorState       string // VendorNone, RefundQueued, RefundDone, RefundFailed
	VendorAnswer      string // the vendor's answer, for the operator
	BalanceBefore     string // vendor balance (F014) before the cancel, "" unknown
	BalanceAfter      string
	PaymentState      string // RefundQueued, RefundDone, RefundFailed
	PaymentRef        string // the provider's refund id once done
	PaymentError      string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Pending reports whether a step of the refund is still to be done.
func (r Refund) Pending() bool {
	return r.VendorState == RefundQueued || r.PaymentState == RefundQueued
}

// RefundInput asks for a refund. Amount is computed by the caller (from
// the chosen lines, or typed by the operator); the store checks it
// against what is left.
type RefundInput struct {
	OrderID           int64
	Amount            int64
	Reason, Admin     string
	ICCIDs, Installed []string
	VendorCall        string
}

// refundableStatuses are the statuses whose money was taken.
var refundableStatuses = []OrderStatus{StatusPaid, StatusPlacing, StatusPlaced, StatusDelivered, StatusNeedsAttention}

// CreateRefund records a refund and queues the order's refund job, in one
// transaction. It refuses (EINVALID) a blank or over-long reason, a
// non-positive amount, eSIMs not of the order or already in another
// refund, and a vendor call that does not match the eSIMs; ECONFLICT an
// order that was not paid or is refunded already, and an amount over what
// is left (the total less every refund whose payment did not fail).
// Nothing changes when it refuses.
func (db *DB) CreateRefund(ctx context.Context, in RefundInput) (Refund, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	switch {
	case in.Reason == "":
		return Refund{}, Errorf(EINVALID, "a refund needs a reason")
	case len(in.Reason) > MaxRefundReason || !utf8.ValidString(in.Reason):
		return Refund{}, Errorf(EINVALID, "the reason is longer than %d bytes", MaxRefundReason)
	case in.Amount <= 0:
		return Refund{}, Errorf(EINVALID, "a refund amount must be positive")
	case (in.VendorCall == "") != (len(in.ICCIDs) == 0):
		return Refund{}, Errorf(EINVALID, "a vendor cancel needs eSIMs, and eSIMs a vendor cancel")
	case in.VendorCall != "" && in.VendorCall != VendorCancelOrder && in.VendorCall != VendorAfterSale:
		return Refund{}, Errorf(EINVALID, "unknown vendor call %q", in.VendorCall)
	}
	var out Refund
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `id = ?`, in.OrderID)
		if err != nil {
			return err
		}
		if o.PaidAt.IsZero() || o.RefundID != "" || !slices.Contains(refundableStatuses, o.Status) {
			return Errorf(ECONFLICT, "order %s is %s: no payment to refund", o.Number, o.Status)
		}
		prior, err := refundsOf(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		if left := refundLeft(o.Total, prior); in.Amount > left {
			return Errorf(ECONFLICT, "only %d (minor units) is left to refund of order %s", left, o.Number)
		}
		if err := checkRefundESIMs(o, prior, in); err != nil {
			return err
		}
		now := db.now().UTC()
		vendorState := VendorNone
		if in.VendorCall != "" {
			vendorState = RefundQueued
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO refunds (order_id, amount, reason, admin, iccids, installed,
			vendor_call, vendor_state, payment_state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.ID, in.Amount, in.Reason, in.Admin, strings.Join(in.ICCIDs, " "), strings.Join(in.Installed, " "),
			in.VendorCall, vendorState, RefundQueued, now, now)
		if err != nil {
			return fmt.Errorf("store: insert refund: %w", err)
		}
		id, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("store: insert refund: %w", err)
		}
		state, err := jobState(ctx, tx, JobRefund, o.ID)
		if err != nil {
			return err
		}
		if err := db.requeue(ctx, tx, JobRefund, o.ID, state); err != nil {
			return err
		}
		note := fmt.Sprintf("refund #%d of %d (minor units) requested by %s: %s", id, in.Amount, in.Admin, in.Reason)
		if err := insertOrderEvent(ctx, tx, o.ID, now, o.Status, o.Status, note); err != nil {
			return err
		}
		out, err = scanRefund(tx.QueryRowContext(ctx, refundSelect+` WHERE id = ?`, id))
		return err
	})
	return out, err
}

// checkRefundESIMs refuses eSIMs that are not the order's, repeated, or
// in an earlier refund whose vendor step did not fail.
func checkRefundESIMs(o Order, prior []Refund, in RefundInput) error {
	taken := map[string]bool{}
	for _, r := range prior {
		if r.VendorState == RefundFailed || r.PaymentState == RefundFailed {
			continue
		}
		for _, id := range append(slices.Clone(r.ICCIDs), r.Installed...) {
			taken[id] = true
		}
	}
	seen := map[string]bool{}
	for _, id := range append(slices.Clone(in.ICCIDs), in.Installed...) {
		if !slices.ContainsFunc(o.ESIMs, func(e ESIM) bool { return e.ICCID == id }) {
			return Errorf(EINVALID, "eSIM %s is not of order %s", id, o.Number)
		}
		if seen[id] || taken[id] {
			return Errorf(EINVALID, "eSIM %s is refunded already", id)
		}
		seen[id] = true
	}
	return nil
}

// refundLeft is what is left to refund of total: every refund counts
// unless its payment failed.
func refundLeft(total int64, rs []Refund) int64 {
	for _, r := range rs {
		if r.PaymentState != RefundFailed {
			total -= r.Amount
		}
	}
	return max(total, 0)
}

const refundSelect = `SELECT id, order_id, amount, reason, admin, iccids, installed, vendor_call, vendor_state,
	vendor_answer, balance_before, balance_after, payment_state, payment_ref, payment_error, created_at, updated_at FROM refunds`

func scanRefund(s scanner) (Refund, error) {
	var r Refund
	var iccids, installed string
	err := s.Scan(&r.ID, &r.OrderID, &r.Amount, &r.Reason, &r.Admin, &iccids, &installed, &r.VendorCall, &r.VendorState,
		&r.VendorAnswer, &r.BalanceBefore, &r.BalanceAfter, &r.PaymentState, &r.PaymentRef, &r.PaymentError, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return Refund{}, fmt.Errorf("store: scan refund: %w", err)
	}
	r.ICCIDs, r.Installed = strings.Fields(iccids), strings.Fields(installed)
	return r, nil
}

// refundsOf lists an order's refunds, oldest first, in tx.
func refundsOf(ctx context.Context, tx *sql.Tx, orderID int64) ([]Refund, error) {
	rows, err := tx.QueryContext(ctx, refundSelect+` WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("store: list refunds: %w", err)
	}
	defer rows.Close()
	var out []Refund
	for rows.Next() {
		r, err := scanRefund(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Refunds lists an order's refunds, oldest first.
func (db *DB) Refunds(ctx context.Context, orderID int64) (out []Refund, err error) {
	err = db.withReadTx(ctx, func(tx *sql.Tx) error {
		out, err = refundsOf(ctx, tx, orderID)
		return err
	})
	return out, err
}

// RefundLeft is what is left to refund of an order (see CreateRefund).
func (db *DB) RefundLeft(ctx context.Context, o Order) (int64, error) {
	rs, err := db.Refunds(ctx, o.ID)
	if err != nil || o.RefundID != "" {
		return 0, err
	}
	return refundLeft(o.Total, rs), nil
}

// SetRefundVendor records the vendor step of a refund: its state
// (RefundDone or RefundFailed), the vendor's answer and the balance
// around it. A step no longer queued is left alone (changed=false): a
// second worker's late answer does not overwrite the first.
func (db *DB) SetRefundVendor(ctx context.Context, id int64, state, answer, before, after string) (changed bool, err error) {
	if state != RefundDone && state != RefundFailed {
		return false, Errorf(EINVALID, "vendor step state %q", state)
	}
	return db.setRefundStep(ctx, `UPDATE refunds SET vendor_state = ?, vendor_answer = ?, balance_before = ?,
		balance_after = ?, updated_at = ? WHERE id = ? AND vendor_state = 'queued'`,
		state, truncateUTF8(answer, 1000), before, after, db.now().UTC(), id)
}

// SetRefundPayment records the payment step of a refund: RefundDone with
// the provider's refund id, or RefundFailed with the reason. As for
// SetRefundVendor, only a queued step changes.
func (db *DB) SetRefundPayment(ctx context.Context, id int64, state, ref, failure string) (changed bool, err error) {
	switch {
	case state != RefundDone && state != RefundFailed:
		return false, Errorf(EINVALID, "payment step state %q", state)
	case state == RefundDone && !validVendorID(ref):
		return false, Errorf(EINVALID, "a done refund needs the provider's refund id")
	}
	return db.setRefundStep(ctx, `UPDATE refunds SET payment_state = ?, payment_ref = ?, payment_error = ?,
		updated_at = ? WHERE id = ? AND payment_state = 'queued'`,
		state, ref, truncateUTF8(failure, 1000), db.now().UTC(), id)
}

// setRefundStep runs one guarded refund UPDATE and reports whether it hit.
func (db *DB) setRefundStep(ctx context.Context, q string, args ...any) (changed bool, err error) {
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: record refund step: %w", err)
		}
		n, err := res.RowsAffected()
		changed = n == 1
		return err
	})
	return changed, err
}
