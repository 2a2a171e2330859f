package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Job states.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// Job kinds. Each exists at most once per order (UNIQUE(kind, order_id));
// RequeueJob runs a finished one again.
const (
	// JobPlaceOrder places a paid order at the vendor (F040).
	JobPlaceOrder = "place_order"
	// JobSendESIMEmail mails the delivered eSIMs to the buyer; queued by
	// StoreDelivery when the order becomes delivered.
	JobSendESIMEmail = "send_esim_email"
	// JobReconcile asks the vendor (F011) about a placed order whose eSIMs
	// have not arrived; queued by MarkPlaced.
	JobReconcile = "reconcile"
)

// Job is a durable unit of background work for one order.
type Job struct {
	ID      int64
	Kind    string
	OrderID int64
	State   string // JobQueued, JobRunning, JobDone or JobFailed
	// Attempts counts the claims since the job was (re)queued; the worker
	// gives up (FailJob) past its limit. RequeueJob resets it.
	Attempts int
	// Claim is the fencing token of the current run: it grows with every
	// claim and is never reset. CompleteJob, RetryJob, FailJob and
	// ExtendJobLease take the Job a claim returned and refuse it once a
	// later claim took the job over (the first worker's lease ran out).
	Claim      int64
	RunAt      time.Time
	LeaseUntil time.Time // while running: when another worker may take it over
	CreatedAt  time.Time
	LastError  string
}

// jobSelect lists the jobs columns in the order scanJob reads.
const jobSelect = `SELECT id, kind, order_id, state, attempts, claim, run_at, lease_until, created_at, last_error FROM jobs`

// scanJob reads one jobSelect row; times come back in UTC.
func scanJob(s scanner) (Job, error) {
	var j Job
	var lease sql.NullTime
	err := s.Scan(&j.ID, &j.Kind, &j.OrderID, &j.State, &j.Attempts, &j.Claim, &j.RunAt, &lease, &j.CreatedAt, &j.LastError)
	j.RunAt, j.CreatedAt, j.LeaseUntil = j.RunAt.UTC(), j.CreatedAt.UTC(), fromNullTime(lease)
	return j, err
}

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

// jobState returns the state of the job of kind for an order, or "" when
// there is none, in tx.
func jobState(ctx context.Context, tx *sql.Tx, kind string, orderID int64) (string, error) {
	var state string
	err := tx.QueryRowContext(ctx, `SELECT state FROM jobs WHERE kind = ? AND order_id = ?`, kind, orderID).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: load job: %w", err)
	}
	return state, nil
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

// JobByKind returns the job of kind for an order; ENOTFOUND if none.
func (db *DB) JobByKind(ctx context.Context, kind string, orderID int64) (Job, error) {
	j, err := scanJob(db.reader.QueryRowContext(ctx, jobSelect+` WHERE kind = ? AND order_id = ?`,
		strings.TrimSpace(kind), orderID))
	if errors.Is(err, sql.ErrNoRows) {
		return Job{}, Errorf(ENOTFOUND, "no %s job for order %d", kind, orderID)
	}
	if err != nil {
		return Job{}, fmt.Errorf("store: load job: %w", err)
	}
	return j, nil
}

// CountJobs returns how many jobs of kind exist, in any state.
func (db *DB) CountJobs(ctx context.Context, kind string) (int, error) {
	var n int
	if err := db.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs WHERE kind = ?`, kind).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count jobs: %w", err)
	}
	return n, nil
}
