package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds on delivered eSIM fields: far above real values (an ICCID has at
// most 22 digits, an LPA string well under 300 characters), low enough
// that a hostile body cannot bloat the database.
const (
	maxICCIDLen     = 64
	maxLPALen       = 1000
	maxESIMFieldLen = 255
)

// StoreDelivery stores the eSIMs of a vendor delivery (N009) for the order
// whose Number is channelOrderID, in one write transaction, and reports
// how many eSIMs were new and whether this call delivered the order.
//
// Each eSIM is matched to its order line by LineNumber (channelSubOrderId).
// An eSIM naming no line of the order, or lacking an ICCID or LPA string,
// is skipped and noted in the order's history; when no eSIM matches at all
// the call is EINVALID and stores nothing. UNIQUE(iccid) makes a repeated
// notice add nothing (added=0); an ICCID that belongs to another order is
// noted, never moved. Vendor order and sub-order ids not yet known are
// stored (MarkPlaced may come later).
//
// When every line has at least its Quantity of eSIMs, an order that is
// paid, placing, placed or needs_attention becomes delivered (DeliveredAt
// set, Attention cleared) and one send_esim_email job is queued; only that
// call returns delivered=true. An unpaid order is never delivered: the
// eSIMs are kept and the oddity noted. Unknown order: ENOTFOUND.
func (db *DB) StoreDelivery(ctx context.Context, channelOrderID, vendorOrderID string, esims []ESIM) (added int, delivered bool, err error) {
	number := strings.ToUpper(strings.TrimSpace(channelOrderID))
	if number == "" {
		return 0, false, errOrderNotFound()
	}
	if len(esims) == 0 {
		return 0, false, Errorf(EINVALID, "delivery has no eSIMs")
	}
	vendorOrderID = strings.TrimSpace(vendorOrderID)
	if vendorOrderID != "" && !validVendorID(vendorOrderID) {
		return 0, false, Errorf(EINVALID, "invalid vendor order id")
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `number = ?`, number)
		if err != nil {
			return err
		}
		now := db.now().UTC()
		var notes []string
		subs := map[string]string{}
		counts := map[int64]int{} // line id → eSIMs stored
		matched := 0
		for _, e := range esims {
			i := lineIndex(o, e.LineNumber)
			if i < 0 {
				notes = append(notes, fmt.Sprintf("delivery names line %q, which the order does not have; eSIM %s skipped",
					truncateUTF8(e.LineNumber, 40), truncateUTF8(e.ICCID, maxICCIDLen)))
				continue
			}
			if why := invalidESIM(e); why != "" {
				notes = append(notes, fmt.Sprintf("delivery for line %s: %s; eSIM skipped", o.Lines[i].Number, why))
				continue
			}
			matched++
			line := o.Lines[i]
			have, ok := counts[line.ID]
			if !ok {
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM esims WHERE line_id = ?`, line.ID).Scan(&have); err != nil {
					return err
				}
			}
			if have >= line.Quantity {
				// A line never holds more eSIMs than were bought: an extra one
				// (a second, different N009) is kept in the raw notice and
				// flagged, not shown to the buyer. A repeat of a stored ICCID
				// is simply nothing new.
				if !esimStored(ctx, tx, e.ICCID) {
					notes = append(notes, fmt.Sprintf("line %s already has its %d eSIM(s); extra eSIM %s skipped",
						line.Number, line.Quantity, truncateUTF8(strings.TrimSpace(e.ICCID), maxICCIDLen)))
				}
				counts[line.ID] = have
				continue
			}
			n, owner, err := insertESIM(ctx, tx, o.ID, line.ID, e, now)
			if err != nil {
				return err
			}
			if n == 1 {
				if err := applyWaitingProfileStatus(ctx, tx, o.Number, strings.TrimSpace(e.ICCID)); err != nil {
					return err
				}
			}
			added += n
			counts[line.ID] = have + n
			if owner != o.ID {
				notes = append(notes, fmt.Sprintf("delivery names ICCID %s, which belongs to order id %d; not moved",
					strings.TrimSpace(e.ICCID), owner))
				continue
			}
			if e.VendorSubOrderID != "" {
				subs[o.Lines[i].Number] = e.VendorSubOrderID
			}
		}
		if matched == 0 {
			return Errorf(EINVALID, "no eSIM in the delivery matches a line of order %s", o.Number)
		}
		idNotes, err := storeVendorIDs(ctx, tx, &o, vendorOrderID, subs)
		if err != nil {
			return err
		}
		notes = append(notes, idNotes...)
		complete, err := deliveryComplete(ctx, tx, o)
		if err != nil {
			return err
		}
		if complete && o.Status != StatusDelivered {
			switch {
			case o.PaidAt.IsZero():
				// Kept for the operator, never shown to an unpaid buyer.
				if _, err := db.flag(ctx, tx, &o, "eSIMs arrived for an order that is not paid; kept, not delivered", "", ""); err != nil {
					return err
				}
			case !canTransition(o.Status, StatusDelivered):
				notes = append(notes, fmt.Sprintf("eSIMs arrived for an order that is %s; not delivered", o.Status))
			default:
				if err := db.deliver(ctx, tx, &o, fmt.Sprintf("vendor delivered %d eSIM(s)", countESIMs(o, added))); err != nil {
					return err
				}
				delivered = true
			}
		}
		return db.addNotes(ctx, tx, o, notes)
	})
	if err != nil {
		return 0, false, err
	}
	return added, delivered, nil
}

// esimStored reports whether an eSIM with this ICCID is stored.
func esimStored(ctx context.Context, tx *sql.Tx, iccid string) bool {
	var one int
	return tx.QueryRowContext(ctx, `SELECT 1 FROM esims WHERE iccid = ?`, strings.TrimSpace(iccid)).Scan(&one) == nil
}

// invalidESIM says what makes e unstorable, or returns "".
func invalidESIM(e ESIM) string {
	iccid, lpa := strings.TrimSpace(e.ICCID), strings.TrimSpace(e.LPA)
	switch {
	case iccid == "" || len(iccid) > maxICCIDLen || !utf8.ValidString(iccid):
		return "missing or invalid ICCID"
	case lpa == "" || len(lpa) > maxLPALen || !utf8.ValidString(lpa):
		return fmt.Sprintf("eSIM %s has a missing or invalid LPA string", iccid)
	}
	for _, f := range []string{e.VendorSubOrderID, e.UID, e.SMDP, e.ActivationCode, e.APN, e.PIN, e.PUK, e.MSISDN} {
		if len(f) > maxESIMFieldLen || !utf8.ValidString(f) {
			return fmt.Sprintf("eSIM %s has an oversized or invalid field", iccid)
		}
	}
	return ""
}

// insertESIM stores e for the line unless its ICCID is stored already, in
// tx. It returns 1 if it inserted, and the id of the order that owns the
// ICCID (orderID itself unless another order got it first).
func insertESIM(ctx context.Context, tx *sql.Tx, orderID, lineID int64, e ESIM, now time.Time) (inserted int, owner int64, err error) {
	iccid := strings.TrimSpace(e.ICCID)
	res, err := tx.ExecContext(ctx, `INSERT INTO esims (order_id, line_id, vendor_sub_order_id, uid, iccid, lpa, smdp,
		activation_code, apn, pin, puk, msisdn, install_by, rechargeable, profile_status, created_at,
		confirmation_code, apn_username, apn_password, confirmation_required)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (iccid) DO NOTHING`,
		orderID, lineID, strings.TrimSpace(e.VendorSubOrderID), e.UID, iccid, strings.TrimSpace(e.LPA), e.SMDP,
		e.ActivationCode, e.APN, e.PIN, e.PUK, e.MSISDN, nullTime(e.InstallBy), boolInt(e.Rechargeable),
		ProfileUnknown, now, strings.TrimSpace(e.ConfirmationCode), e.APNUsername, e.APNPassword, boolInt(e.ConfirmationRequired))
	if err != nil {
		return 0, 0, fmt.Errorf("store: insert esim: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, 0, fmt.Errorf("store: insert esim: %w", err)
	}
	if n == 1 {
		return 1, orderID, nil
	}
	if err := tx.QueryRowContext(ctx, `SELECT order_id FROM esims WHERE iccid = ?`, iccid).Scan(&owner); err != nil {
		return 0, 0, fmt.Errorf("store: load esim owner: %w", err)
	}
	return 0, owner, nil
}

// deliveryComplete reports whether every line of o has at least its
// quantity of eSIMs stored, in tx.
func deliveryComplete(ctx context.Context, tx *sql.Tx, o Order) (bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT line_id, COUNT(*) FROM esims WHERE order_id = ? GROUP BY line_id`, o.ID)
	if err != nil {
		return false, fmt.Errorf("store: count esims: %w", err)
	}
	defer rows.Close()
	have := map[int64]int{}
	for rows.Next() {
		var line int64
		var n int
		if err := rows.Scan(&line, &n); err != nil {
			return false, fmt.Errorf("store: count esims: %w", err)
		}
		have[line] = n
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("store: count esims: %w", err)
	}
	for _, l := range o.Lines {
		if have[l.ID] < l.Quantity {
			return false, nil
		}
	}
	return len(o.Lines) > 0, nil
}

// countESIMs is the number of eSIMs o will hold after this delivery: those
// loaded with it plus the ones just added.
func countESIMs(o Order, added int) int { return len(o.ESIMs) + added }

// deliver moves o to delivered, sets DeliveredAt, clears Attention and
// queues the eSIM email once per order, in tx.
func (db *DB) deliver(ctx context.Context, tx *sql.Tx, o *Order, cause string) error {
	if err := db.transition(ctx, tx, o, StatusDelivered, cause); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE orders SET delivered_at = ?, attention = '' WHERE id = ?`,
		o.UpdatedAt, o.ID); err != nil {
		return fmt.Errorf("store: set delivered_at: %w", err)
	}
	o.DeliveredAt, o.Attention = o.UpdatedAt, ""
	if _, err := db.enqueueJob(ctx, tx, JobSendESIMEmail, o.ID, o.UpdatedAt); err != nil {
		return err
	}
	return nil
}
