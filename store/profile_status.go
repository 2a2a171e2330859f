package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Outcomes of ApplyProfileStatus.
const (
	ProfileApplied = "applied" // stored on the eSIM
	ProfileStale   = "stale"   // older than the status the eSIM has
	ProfileWaiting = "waiting" // the eSIM is not stored yet: kept until it is
)

// ApplyProfileStatus records a vendor profile status (N012) of the eSIM
// with iccid on the order numbered orderNumber, as of at — the vendor's
// time, so statuses arriving out of order never overwrite a newer one. An
// ICCID that belongs to another order is refused (ECONFLICT) and changes
// nothing. An ICCID not stored yet (the N012 beat its N009) is kept, the
// newest per eSIM, and applied by StoreDelivery.
func (db *DB) ApplyProfileStatus(ctx context.Context, orderNumber, iccid string, status int, at time.Time) (outcome string, err error) {
	iccid = strings.TrimSpace(iccid)
	orderNumber = strings.ToUpper(strings.TrimSpace(orderNumber))
	if iccid == "" || len(iccid) > maxICCIDLen || orderNumber == "" || status < 0 || at.IsZero() {
		return "", Errorf(EINVALID, "profile status needs an order, an ICCID, a status code >= 0 and a time")
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		var owner string
		err := tx.QueryRowContext(ctx, `SELECT o.number FROM esims e JOIN orders o ON o.id = e.order_id
			WHERE e.iccid = ?`, iccid).Scan(&owner)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			outcome = ProfileWaiting
			_, err = tx.ExecContext(ctx, `INSERT INTO pending_profile_status (iccid, order_number, status, status_at, received_at)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (iccid, order_number) DO UPDATE SET status = excluded.status,
				status_at = excluded.status_at, received_at = excluded.received_at WHERE excluded.status_at > status_at`,
				iccid, orderNumber, status, at.UTC(), db.now().UTC())
			if err != nil {
				return fmt.Errorf("store: keep profile status: %w", err)
			}
			return nil
		case err != nil:
			return fmt.Errorf("store: load esim: %w", err)
		case owner != orderNumber:
			return Errorf(ECONFLICT, "eSIM %s belongs to another order than %s", iccid, orderNumber)
		}
		applied, err := setProfileStatusTx(ctx, tx, iccid, status, at)
		outcome = ProfileStale
		if applied {
			outcome = ProfileApplied
		}
		return err
	})
	return outcome, err
}

// setProfileStatusTx stores status as of at on the eSIM unless it has a
// newer one, in tx; applied reports whether it did.
func setProfileStatusTx(ctx context.Context, tx *sql.Tx, iccid string, status int, at time.Time) (applied bool, err error) {
	res, err := tx.ExecContext(ctx, `UPDATE esims SET profile_status = ?, profile_status_at = ?
		WHERE iccid = ? AND (profile_status_at IS NULL OR profile_status_at < ?)`, status, at.UTC(), iccid, at.UTC())
	if err != nil {
		return false, fmt.Errorf("store: set profile status: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// applyWaitingProfileStatus applies the status kept for an eSIM just
// stored on the order numbered orderNumber, in tx, and forgets it.
func applyWaitingProfileStatus(ctx context.Context, tx *sql.Tx, orderNumber, iccid string) error {
	var status int
	var at time.Time
	err := tx.QueryRowContext(ctx, `SELECT status, status_at FROM pending_profile_status WHERE iccid = ? AND order_number = ?`,
		iccid, orderNumber).Scan(&status, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: load kept profile status: %w", err)
	}
	if _, err := setProfileStatusTx(ctx, tx, iccid, status, at); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM pending_profile_status WHERE iccid = ?`, iccid)
	return err
}
