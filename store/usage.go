package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Plan states as the vendor reports them (F046 planStatus).
const (
	PlanNotUsed   = 0
	PlanInUse     = 1
	PlanFinished  = 2 // used up or ended
	PlanCancelled = 3
)

// UsagePlan is one plan on an eSIM with its data use, as last reported by
// the vendor (F046).
type UsagePlan struct {
	Name   string    `json:"name"`
	Status int       `json:"status"` // Plan* constants
	Start  time.Time `json:"start"`  // zero when the vendor gave none
	End    time.Time `json:"end"`
	Days   int       `json:"days"`
	// TotalKB is the plan's data in KB over its whole period; -1 is
	// unlimited. For a daily plan it is the daily allowance × days, or -1.
	TotalKB int64 `json:"totalKB"`
	// DailyKB is a daily plan's high-speed data per day (-1 unlimited), 0
	// for a total-data plan.
	DailyKB int64 `json:"dailyKB"`
	UsedKB  int64 `json:"usedKB"`
	// TodayKB is the data used on the vendor's latest usage day, for
	// daily plans.
	TodayKB int64 `json:"todayKB"`
}

// ESIMUsage is the cached usage of one eSIM.
type ESIMUsage struct {
	ICCID string
	// CheckedAt is when the vendor was last asked, successfully or not.
	CheckedAt time.Time
	// FetchedAt is when Plans were last current; zero if never.
	FetchedAt time.Time
	Plans     []UsagePlan
	// Error is the last failure, "" after a success.
	Error string
}

// ESIMUsage returns the cached usage of an eSIM; ENOTFOUND when the
// vendor was never asked about it.
func (db *DB) ESIMUsage(ctx context.Context, iccid string) (ESIMUsage, error) {
	u := ESIMUsage{ICCID: strings.TrimSpace(iccid)}
	var fetched sql.NullTime
	var plans string
	err := db.reader.QueryRowContext(ctx, `SELECT checked_at, fetched_at, plans, error FROM esim_usage WHERE iccid = ?`,
		u.ICCID).Scan(&u.CheckedAt, &fetched, &plans, &u.Error)
	if errors.Is(err, sql.ErrNoRows) {
		return u, Errorf(ENOTFOUND, "no usage recorded")
	}
	if err != nil {
		return u, fmt.Errorf("store: load usage: %w", err)
	}
	u.CheckedAt, u.FetchedAt = u.CheckedAt.UTC(), fromNullTime(fetched)
	if err := json.Unmarshal([]byte(plans), &u.Plans); err != nil {
		return u, fmt.Errorf("store: decode usage: %w", err)
	}
	return u, nil
}

// ClaimUsageCheck reserves the right to ask the vendor about an eSIM now:
// it succeeds (claimed) when nobody asked within every, and records now as
// the time of asking. One statement on the single writer, so of any number
// of concurrent callers — in one process or several — exactly one wins
// per period.
func (db *DB) ClaimUsageCheck(ctx context.Context, iccid string, now time.Time, every time.Duration) (claimed bool, err error) {
	iccid = strings.TrimSpace(iccid)
	if iccid == "" || len(iccid) > maxICCIDLen || now.IsZero() || every <= 0 {
		return false, Errorf(EINVALID, "a usage check needs an ICCID, a time and a period")
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO esim_usage (iccid, checked_at) VALUES (?, ?)
			ON CONFLICT (iccid) DO UPDATE SET checked_at = excluded.checked_at WHERE checked_at <= ?`,
			iccid, now.UTC(), now.Add(-every).UTC())
		if err != nil {
			return fmt.Errorf("store: claim usage check: %w", err)
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	return claimed, err
}

// SaveUsage stores the vendor's figures for an eSIM as current at
// fetchedAt and clears the last error. The check must have been claimed.
func (db *DB) SaveUsage(ctx context.Context, iccid string, plans []UsagePlan, fetchedAt time.Time) error {
	if plans == nil {
		plans = []UsagePlan{}
	}
	b, err := json.Marshal(plans)
	if err != nil {
		return fmt.Errorf("store: encode usage: %w", err)
	}
	return db.updateUsage(ctx, `UPDATE esim_usage SET plans = ?, fetched_at = ?, error = '' WHERE iccid = ?`,
		string(b), fetchedAt.UTC(), strings.TrimSpace(iccid))
}

// SaveUsageError records why asking the vendor failed; the last figures
// are kept, to be shown as such.
func (db *DB) SaveUsageError(ctx context.Context, iccid, errText string) error {
	if errText == "" {
		errText = "unknown error"
	}
	return db.updateUsage(ctx, `UPDATE esim_usage SET error = ? WHERE iccid = ?`,
		truncateUTF8(strings.ToValidUTF8(errText, ""), 500), strings.TrimSpace(iccid))
}

func (db *DB) updateUsage(ctx context.Context, query string, args ...any) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("store: save usage: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return Errorf(ENOTFOUND, "no usage check claimed for this eSIM")
		}
		return nil
	})
}
