package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// eSIM profile states as the vendor reports them (F042 status, N012
// profileStatus). ProfileUnknown is the store's own "no report yet".
const (
	ProfileUnknown       = -1
	ProfileNotDownloaded = 0
	ProfileDownloaded    = 1
	ProfileInstalled     = 2
	ProfileEnabled       = 3
	ProfileDisabled      = 4
	ProfileRecycled      = 5
)

// ESIM is one eSIM the vendor delivered for an order line (N009).
type ESIM struct {
	ID      int64
	OrderID int64
	LineID  int64
	// LineNumber is the line's Number (the vendor's channelSubOrderId).
	// StoreDelivery maps an eSIM to its line by it; loaded eSIMs have it set.
	LineNumber       string
	VendorSubOrderID string
	UID              string
	ICCID            string
	// LPA is the whole activation string (what the QR code encodes); SMDP
	// and ActivationCode are its parts, for manual installation. The
	// caller parses them (bc.ParseLPA); the store keeps what it is given.
	LPA            string
	SMDP           string
	ActivationCode string
	APN            string
	PIN            string
	PUK            string
	MSISDN         string
	// ConfirmationCode is the code some profiles need at installation
	// (the LPA string's confirmation flag); APNUsername and APNPassword
	// are the APN credentials, when the vendor sends them. "" if absent.
	ConfirmationCode     string
	ConfirmationRequired bool // the LPA string's confirmation flag
	APNUsername          string
	APNPassword          string
	// InstallBy is the vendor's validTime (converted by the caller from
	// the vendor's UTC+8 text); zero if absent.
	InstallBy    time.Time
	Rechargeable bool
	// ProfileStatus is the last F042/N012 code (Profile* constants);
	// ProfileUnknown until one arrives. ProfileStatusAt is when the vendor
	// recorded it, so an older report never overwrites a newer one.
	ProfileStatus   int
	ProfileStatusAt time.Time
	PlanStartAt     time.Time // N002; zero until the plan starts
	PlanEndAt       time.Time // N003 (or N002's announced end); zero until known
	CreatedAt       time.Time
}

// esimSelect lists the esims columns (joined with the line for its number)
// in the order scanESIM reads; callers add a WHERE on alias e.
const esimSelect = `SELECT e.id, e.order_id, e.line_id, l.number, e.vendor_sub_order_id, e.uid, e.iccid,
	e.lpa, e.smdp, e.activation_code, e.apn, e.pin, e.puk, e.msisdn, e.install_by, e.rechargeable,
	e.profile_status, e.profile_status_at, e.plan_start_at, e.plan_end_at, e.created_at,
	e.confirmation_code, e.apn_username, e.apn_password, e.confirmation_required
	FROM esims e JOIN order_lines l ON l.id = e.line_id`

// scanESIM reads one esimSelect row; times come back in UTC.
func scanESIM(s scanner) (ESIM, error) {
	var e ESIM
	var installBy, statusAt, start, end sql.NullTime
	err := s.Scan(&e.ID, &e.OrderID, &e.LineID, &e.LineNumber, &e.VendorSubOrderID, &e.UID, &e.ICCID,
		&e.LPA, &e.SMDP, &e.ActivationCode, &e.APN, &e.PIN, &e.PUK, &e.MSISDN, &installBy, &e.Rechargeable,
		&e.ProfileStatus, &statusAt, &start, &end, &e.CreatedAt, &e.ConfirmationCode, &e.APNUsername, &e.APNPassword, &e.ConfirmationRequired)
	e.InstallBy, e.ProfileStatusAt = fromNullTime(installBy), fromNullTime(statusAt)
	e.PlanStartAt, e.PlanEndAt = fromNullTime(start), fromNullTime(end)
	e.CreatedAt = e.CreatedAt.UTC()
	return e, err
}

// queryESIMs returns the eSIMs matching where (on alias e), ordered by line
// position then arrival.
func queryESIMs(ctx context.Context, q querier, where string, args ...any) ([]ESIM, error) {
	rows, err := q.QueryContext(ctx, esimSelect+` WHERE `+where+` ORDER BY l.position, e.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query esims: %w", err)
	}
	defer rows.Close()
	var out []ESIM
	for rows.Next() {
		e, err := scanESIM(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan esim: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query esims: %w", err)
	}
	return out, nil
}

// ESIMByICCID returns the eSIM with the given ICCID; ENOTFOUND if the shop
// never received it.
func (db *DB) ESIMByICCID(ctx context.Context, iccid string) (ESIM, error) {
	iccid = strings.TrimSpace(iccid)
	if iccid == "" {
		return ESIM{}, Errorf(ENOTFOUND, "eSIM not found")
	}
	e, err := scanESIM(db.reader.QueryRowContext(ctx, esimSelect+` WHERE e.iccid = ?`, iccid))
	if errors.Is(err, sql.ErrNoRows) {
		return ESIM{}, Errorf(ENOTFOUND, "eSIM not found")
	}
	if err != nil {
		return ESIM{}, fmt.Errorf("store: load esim: %w", err)
	}
	return e, nil
}

// SetProfileStatus records the vendor's profile status (Profile* code) of
// an eSIM as of at (F042's recordTime, or when an N012 arrived). Notices
// and polls arrive out of order, so a report not newer than the stored one
// is ignored: applied=false. Unknown ICCID: ENOTFOUND (an N012 can beat
// its N009; the caller marks the notice unmatched).
func (db *DB) SetProfileStatus(ctx context.Context, iccid string, status int, at time.Time) (applied bool, err error) {
	iccid = strings.TrimSpace(iccid)
	if iccid == "" || status < 0 || at.IsZero() {
		return false, Errorf(EINVALID, "profile status needs an ICCID, a status code >= 0 and a time")
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM esims WHERE iccid = ?`, iccid).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "eSIM not found")
		}
		if err != nil {
			return fmt.Errorf("store: load profile status: %w", err)
		}
		applied, err = setProfileStatusTx(ctx, tx, iccid, status, at)
		return err
	})
	return applied, err
}

// SetPlanTimes records when an eSIM's plan started and ends (N002/N003). A
// zero start or end leaves that field as it is, since N002 and N003 each
// carry what they know. changed reports whether a stored value differed.
// Unknown ICCID: ENOTFOUND.
func (db *DB) SetPlanTimes(ctx context.Context, iccid string, start, end time.Time) (changed bool, err error) {
	iccid = strings.TrimSpace(iccid)
	if iccid == "" {
		return false, Errorf(EINVALID, "plan times need an ICCID")
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		var oldStart, oldEnd sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT plan_start_at, plan_end_at FROM esims WHERE iccid = ?`, iccid).
			Scan(&oldStart, &oldEnd)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "eSIM not found")
		}
		if err != nil {
			return fmt.Errorf("store: load plan times: %w", err)
		}
		newStart, newEnd := fromNullTime(oldStart), fromNullTime(oldEnd)
		if !start.IsZero() {
			newStart = start.UTC()
		}
		if !end.IsZero() {
			newEnd = end.UTC()
		}
		if newStart.Equal(fromNullTime(oldStart)) && newEnd.Equal(fromNullTime(oldEnd)) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE esims SET plan_start_at = ?, plan_end_at = ? WHERE iccid = ?`,
			nullTime(newStart), nullTime(newEnd), iccid); err != nil {
			return fmt.Errorf("store: set plan times: %w", err)
		}
		changed = true
		return nil
	})
	return changed, err
}
