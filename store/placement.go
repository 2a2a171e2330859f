package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// maxVendorTextLen bounds what the store keeps of vendor error texts.
const maxVendorTextLen = 500

// MarkPlacing records that the worker is about to place a paid order at
// the vendor: paid → placing, changed=true. An order already placing (a
// retried or re-claimed job) is left as it is: changed=false, no error.
// Any other status is ECONFLICT; the worker then reloads the order and
// completes its job if the order is placed or delivered already, and fails
// it otherwise (an operator flagged it, or it was never paid).
func (db *DB) MarkPlacing(ctx context.Context, orderID int64, cause string) (changed bool, err error) {
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `id = ?`, orderID)
		if err != nil {
			return err
		}
		switch o.Status {
		case StatusPlacing:
			return nil
		case StatusPaid:
			changed = true
			return db.transition(ctx, tx, &o, StatusPlacing, cause)
		}
		return Errorf(ECONFLICT, "order %s is %s, not paid", o.Number, o.Status)
	})
	return changed, err
}

// MarkPlaced stores what the vendor answered to F040 — its order id and,
// per line Number (channelSubOrderId), its subOrderId — and moves the
// order on:
//   - placing (or paid, when the job's own MarkPlacing was lost) → placed,
//     PlacedAt set;
//   - placed or delivered (N009 came before this reply) → only the ids and
//     a missing PlacedAt are stored;
//   - needs_attention → the ids are stored and a note added; the status is
//     the operator's to change.
//
// Unless the order is delivered, a reconcile job is queued at reconcileAt
// (queued again if an earlier one finished, see armReconcile; a zero
// reconcileAt queues none) to ask the vendor should N009 never come. A vendor order id that differs from one stored earlier
// is ECONFLICT and stores nothing: the vendor is idempotent on the order
// number, so two ids mean two vendor orders and an operator must look. A
// line number the order does not have is noted and ignored. An unpaid
// order is ECONFLICT.
func (db *DB) MarkPlaced(ctx context.Context, orderID int64, vendorOrderID string, subOrders map[string]string, reconcileAt time.Time) error {
	vendorOrderID = strings.TrimSpace(vendorOrderID)
	if !validVendorID(vendorOrderID) {
		return Errorf(EINVALID, "invalid vendor order id")
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `id = ?`, orderID)
		if err != nil {
			return err
		}
		if o.VendorOrderID != "" && o.VendorOrderID != vendorOrderID {
			return Errorf(ECONFLICT, "order %s: vendor answered order id %q, but %q is stored",
				o.Number, vendorOrderID, o.VendorOrderID)
		}
		notes, err := storeVendorIDs(ctx, tx, &o, vendorOrderID, subOrders)
		if err != nil {
			return err
		}
		cause := "vendor accepted the order as " + vendorOrderID
		switch o.Status {
		case StatusPaid:
			if err := db.transition(ctx, tx, &o, StatusPlacing, cause); err != nil {
				return err
			}
			fallthrough
		case StatusPlacing:
			if err := db.transition(ctx, tx, &o, StatusPlaced, cause); err != nil {
				return err
			}
		case StatusPlaced, StatusDelivered:
		case StatusNeedsAttention:
			notes = append(notes, cause+"; status left for the operator")
		default:
			return Errorf(ECONFLICT, "order %s is %s: it cannot have been placed", o.Number, o.Status)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET placed_at = COALESCE(placed_at, ?) WHERE id = ?`,
			db.now().UTC(), o.ID); err != nil {
			return fmt.Errorf("store: set placed_at: %w", err)
		}
		if err := db.addNotes(ctx, tx, o, notes); err != nil {
			return err
		}
		if o.Status != StatusDelivered && !reconcileAt.IsZero() {
			if err := db.armReconcile(ctx, tx, o.ID, reconcileAt); err != nil {
				return err
			}
		}
		return nil
	})
}

// storeVendorIDs stores a vendor order id and line sub-order ids that are
// not known yet, in tx, and updates o to match. It never overwrites a
// stored id; what it could not store is returned as notes for the order's
// history. subOrders maps line Number to the vendor's subOrderId.
func storeVendorIDs(ctx context.Context, tx *sql.Tx, o *Order, vendorOrderID string, subOrders map[string]string) (notes []string, err error) {
	switch {
	case vendorOrderID == "" || vendorOrderID == o.VendorOrderID:
	case o.VendorOrderID != "":
		notes = append(notes, fmt.Sprintf("vendor named order id %q, but %q is stored; kept the stored one",
			vendorOrderID, o.VendorOrderID))
	default:
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET vendor_order_id = ? WHERE id = ?`, vendorOrderID, o.ID); err != nil {
			return nil, fmt.Errorf("store: set vendor order id: %w", err)
		}
		o.VendorOrderID = vendorOrderID
	}
	numbers := make([]string, 0, len(subOrders))
	for n := range subOrders {
		numbers = append(numbers, n)
	}
	sort.Strings(numbers) // deterministic notes
	for _, number := range numbers {
		sub := strings.TrimSpace(subOrders[number])
		if sub == "" {
			continue
		}
		i := lineIndex(*o, number)
		switch {
		case i < 0:
			notes = append(notes, fmt.Sprintf("vendor named line %q, which the order does not have", number))
		case !validVendorID(sub):
			notes = append(notes, fmt.Sprintf("vendor sent an invalid sub-order id for line %s", o.Lines[i].Number))
		case o.Lines[i].VendorSubOrderID == sub:
		case o.Lines[i].VendorSubOrderID != "":
			notes = append(notes, fmt.Sprintf("vendor named sub-order %q for line %s, but %q is stored",
				sub, o.Lines[i].Number, o.Lines[i].VendorSubOrderID))
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE order_lines SET vendor_sub_order_id = ? WHERE id = ?`,
				sub, o.Lines[i].ID); err != nil {
				return nil, fmt.Errorf("store: set vendor sub-order id: %w", err)
			}
			o.Lines[i].VendorSubOrderID = sub
		}
	}
	return notes, nil
}

// lineIndex returns the index of the line with number (compared as the
// order number is: case and spaces ignored), or -1.
func lineIndex(o Order, number string) int {
	number = strings.ToUpper(strings.TrimSpace(number))
	for i, l := range o.Lines {
		if l.Number == number {
			return i
		}
	}
	return -1
}

// validVendorID reports whether s is a plausible vendor id: non-empty,
// bounded, valid UTF-8.
func validVendorID(s string) bool {
	return s != "" && len(s) <= maxRefLen && utf8.ValidString(s)
}

// MarkNeedsAttention flags an order for an operator with reason (shown in
// Order.Attention), keeping the vendor's error code and message when given.
// It works from any status but delivered and refunded and reports whether
// the status changed: an order already flagged gets the new reason,
// unchanged status. A delivered order is never flagged — the buyer has the
// eSIM — nor a refunded one (final); the reason is added to its history
// and the vendor error kept.
func (db *DB) MarkNeedsAttention(ctx context.Context, orderID int64, reason, vendorCode, vendorMsg string) (changed bool, err error) {
	reason = truncateUTF8(strings.TrimSpace(reason), maxCauseLen)
	if reason == "" {
		return false, Errorf(EINVALID, "a reason is required")
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `id = ?`, orderID)
		if err != nil {
			return err
		}
		changed, err = db.flag(ctx, tx, &o, reason, vendorCode, vendorMsg)
		return err
	})
	return changed, err
}

// flag hands o to the operator with reason (and the vendor's code and
// message, when given), in tx; see MarkNeedsAttention.
func (db *DB) flag(ctx context.Context, tx *sql.Tx, o *Order, reason, vendorCode, vendorMsg string) (changed bool, err error) {
	if vendorCode != "" || vendorMsg != "" {
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET vendor_code = ?, vendor_msg = ? WHERE id = ?`,
			truncateUTF8(vendorCode, maxVendorTextLen), truncateUTF8(vendorMsg, maxVendorTextLen), o.ID); err != nil {
			return false, fmt.Errorf("store: set vendor error: %w", err)
		}
	}
	switch o.Status {
	case StatusDelivered, StatusRefunded:
		return false, db.addNotes(ctx, tx, *o, []string{"not flagged, already " + string(o.Status) + ": " + reason})
	case StatusNeedsAttention:
		if err := db.addNotes(ctx, tx, *o, []string{reason}); err != nil {
			return false, err
		}
	default:
		if err := db.transition(ctx, tx, o, StatusNeedsAttention, reason); err != nil {
			return false, err
		}
		changed = true
	}
	if _, err := tx.ExecContext(ctx, `UPDATE orders SET attention = ? WHERE id = ?`, reason, o.ID); err != nil {
		return false, fmt.Errorf("store: flag order: %w", err)
	}
	o.Attention = reason
	return changed, nil
}
