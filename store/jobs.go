package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// jobSelect lists the jobs columns in the order scanJob reads.
const jobSelect = `SELECT id, kind, order_id, state, attempts, claim, run_at, lease_until, created_at, last_error FROM jobs`

// insertJob queues a job of kind for an order, due at runAt, in tx. The
// schema's UNIQUE(kind, order_id) turns a second insert into an error that
// rolls the caller's transaction back.
func insertJob(ctx context.Context, tx *sql.Tx, kind string, orderID int64, runAt time.Time) error {
	now := runAt.UTC()
	_, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, order_id, state, run_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, kind, orderID, JobQueued, now, now, now)
	if err != nil {
		return fmt.Errorf("store: queue %s job for order %d: %w", kind, orderID, err)
	}
	return nil
}

// hasJob reports whether a job of kind exists for the order, in any state.
func hasJob(ctx context.Context, tx *sql.Tx, kind string, orderID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE kind = ? AND order_id = ?`, kind, orderID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: check jobs: %w", err)
	}
	return n > 0, nil
}

// scanJob reads one jobSelect row; times come back in UTC.
func scanJob(s scanner) (Job, error) {
	var j Job
	var lease sql.NullTime
	err := s.Scan(&j.ID, &j.Kind, &j.OrderID, &j.State, &j.Attempts, &j.Claim, &j.RunAt, &lease, &j.CreatedAt, &j.LastError)
	j.RunAt, j.CreatedAt, j.LeaseUntil = j.RunAt.UTC(), j.CreatedAt.UTC(), fromNullTime(lease)
	return j, err
}

// Jobs returns an order's jobs, oldest first (empty for an unknown order).
func (db *DB) Jobs(ctx context.Context, orderID int64) ([]Job, error) {
	rows, err := db.reader.QueryContext(ctx, jobSelect+` WHERE order_id = ? ORDER BY id`, orderID)
	if err != nil {
		return nil, fmt.Errorf("store: query jobs: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan job: %w", err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query jobs: %w", err)
	}
	return out, nil
}

// CountJobs returns how many jobs of kind exist, in any state.
func (db *DB) CountJobs(ctx context.Context, kind string) (int, error) {
	var n int
	if err := db.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE kind = ?`, kind).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count jobs: %w", err)
	}
	return n, nil
}
