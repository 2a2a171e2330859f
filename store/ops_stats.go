package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// GroupCount is one row of a GROUP BY count: up to two label values and
// how many rows share them.
type GroupCount struct {
	// A and B are the grouping values ("" when a query groups by one).
	A, B string
	// N is the number of rows.
	N int
}

// OpsStats is what the operator's metrics show about the database at one
// moment: every order, job, vendor notice and mail by state, and the
// catalog sync that ran last.
type OpsStats struct {
	// OrdersByStatus groups orders by status (A).
	OrdersByStatus []GroupCount
	// JobsByState groups jobs by kind (A) and state (B).
	JobsByState []GroupCount
	// OldestQueued is the age of the queued job that has waited longest
	// past its run_at (zero when none is due).
	OldestQueued time.Duration
	// NoticesByVerdict groups vendor notices by trade type (A) and
	// verdict (B).
	NoticesByVerdict []GroupCount
	// MailsByStatus groups the mail log by kind (A) and status (B).
	MailsByStatus []GroupCount
	// LastSync is the latest catalog sync; its ID is 0 when none ran.
	LastSync SyncRun
}

// opsGroups are the grouped counts of OpsStats, in its field order.
var opsGroups = []string{
	`SELECT status, '', COUNT(*) FROM orders GROUP BY status`,
	`SELECT kind, state, COUNT(*) FROM jobs GROUP BY kind, state`,
	`SELECT trade_type, verdict, COUNT(*) FROM vendor_notices GROUP BY trade_type, verdict`,
	`SELECT kind, status, COUNT(*) FROM mails GROUP BY kind, status`,
}

// OpsStats reads the current counts in one read transaction, so they are
// consistent with each other. now dates the oldest queued job.
func (db *DB) OpsStats(ctx context.Context, now time.Time) (OpsStats, error) {
	var st OpsStats
	dest := []*[]GroupCount{&st.OrdersByStatus, &st.JobsByState, &st.NoticesByVerdict, &st.MailsByStatus}
	err := db.withReadTx(ctx, func(tx *sql.Tx) error {
		for i, q := range opsGroups {
			g, err := groupCounts(ctx, tx, q)
			if err != nil {
				return err
			}
			*dest[i] = g
		}
		var oldest sql.NullTime
		if err := tx.QueryRowContext(ctx, `SELECT MIN(run_at) FROM jobs WHERE state = 'queued' AND run_at <= ?`,
			now.UTC()).Scan(&oldest); err != nil {
			return fmt.Errorf("store: oldest queued job: %w", err)
		}
		if oldest.Valid && now.After(oldest.Time) {
			st.OldestQueued = now.Sub(oldest.Time)
		}
		return nil
	})
	if err != nil {
		return OpsStats{}, err
	}
	run, err := db.LastSync(ctx)
	switch {
	case ErrorCode(err) == ENOTFOUND:
	case err != nil:
		return OpsStats{}, err
	default:
		st.LastSync = run
	}
	return st, nil
}

// groupCounts runs one of opsGroups.
func groupCounts(ctx context.Context, tx *sql.Tx, q string) ([]GroupCount, error) {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: ops stats: %w", err)
	}
	defer rows.Close()
	var out []GroupCount
	for rows.Next() {
		var g GroupCount
		if err := rows.Scan(&g.A, &g.B, &g.N); err != nil {
			return nil, fmt.Errorf("store: ops stats: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: ops stats: %w", err)
	}
	return out, nil
}
