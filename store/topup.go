package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// TopUp names the eSIM a top-up order adds a plan to: its ICCID and the
// earlier order it came with.
type TopUp struct {
	ParentID int64
	ICCID    string
}

// insertTopUp records that order orderID tops up t.ICCID, in tx; the eSIM
// must belong to t.ParentID (EINVALID otherwise, storing nothing).
func insertTopUp(ctx context.Context, tx *sql.Tx, orderID int64, t TopUp) error {
	t.ICCID = strings.TrimSpace(t.ICCID)
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM esims WHERE order_id = ? AND iccid = ?`, t.ParentID, t.ICCID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return Errorf(EINVALID, "this eSIM is not part of that order")
	}
	if err != nil {
		return fmt.Errorf("store: check top-up eSIM: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO topups (order_id, parent_id, iccid) VALUES (?, ?, ?)`,
		orderID, t.ParentID, t.ICCID); err != nil {
		return fmt.Errorf("store: insert top-up: %w", err)
	}
	return nil
}

// loadTopUp reads what order orderID tops up, nil for a plain order.
func loadTopUp(ctx context.Context, q querier, orderID int64) (*TopUp, error) {
	var t TopUp
	err := q.QueryRowContext(ctx, `SELECT parent_id, iccid FROM topups WHERE order_id = ?`, orderID).Scan(&t.ParentID, &t.ICCID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: load top-up: %w", err)
	}
	return &t, nil
}

// TopUpsOf returns the top-up orders of an order, newest first.
func (db *DB) TopUpsOf(ctx context.Context, parentID int64) ([]OrderSummary, error) {
	return querySummaries(ctx, db.reader, summarySelect+` JOIN topups t ON t.order_id = o.id WHERE t.parent_id = ?
		ORDER BY o.created_at DESC, o.id DESC`, parentID)
}

// CompleteTopUp applies the vendor's top-up result (N013) to the top-up
// order numbered number: success delivers it (which queues its
// confirmation email, once), failure hands it to the operator. A repeat,
// or a result for an order already delivered or refunded, changes nothing
// (changed=false). An unknown number, or one that is no top-up, is
// ENOTFOUND.
func (db *DB) CompleteTopUp(ctx context.Context, number, vendorOrderID string, ok bool) (orderID int64, changed bool, err error) {
	number = strings.ToUpper(strings.TrimSpace(number))
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `number = ?`, number)
		if err != nil {
			return err
		}
		if o.TopUp == nil {
			return Errorf(ENOTFOUND, "order %s is not a top-up", number)
		}
		orderID = o.ID
		if vendorOrderID != "" && o.VendorOrderID == "" {
			if _, err := tx.ExecContext(ctx, `UPDATE orders SET vendor_order_id = ? WHERE id = ?`, vendorOrderID, o.ID); err != nil {
				return fmt.Errorf("store: set vendor order id: %w", err)
			}
		}
		switch {
		case o.Status == StatusDelivered || o.Status == StatusRefunded:
			return nil
		case ok:
			changed = true
			// The eSIM's cached usage lacks the new plan: fetch it afresh.
			if _, err := tx.ExecContext(ctx, `DELETE FROM esim_usage WHERE iccid = ?`, o.TopUp.ICCID); err != nil {
				return fmt.Errorf("store: forget usage: %w", err)
			}
			return db.deliver(ctx, tx, &o, "vendor topped up the eSIM (N013)")
		default:
			changed, err = db.flag(ctx, tx, &o, "the vendor could not top up the eSIM (N013 status 1): refund the buyer", "", "")
			return err
		}
	})
	return orderID, changed, err
}
