package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Bounds on job input: kinds are short constants; an error is kept long
// enough for a vendor message plus context, no longer.
const (
	maxJobKindLen  = 64
	maxJobErrorLen = 1000
)

// ErrJobLeaseLost is wrapped (with an ECONFLICT *Error) by CompleteJob,
// RetryJob, FailJob and ExtendJobLease when the job is no longer the
// caller's run: its lease ran out and another claim took it over, or it
// was finished already. The caller must drop its result and not retry; the
// new run owns the job.
var ErrJobLeaseLost = errors.New("job lease lost")

// EnqueueJob queues a job of kind for an order, due at runAt (zero: now).
// It is idempotent per (kind, order): queued=false when such a job already
// exists, in whatever state (use RequeueJob to run a finished one again).
// Unknown order: ENOTFOUND.
func (db *DB) EnqueueJob(ctx context.Context, kind string, orderID int64, runAt time.Time) (queued bool, err error) {
	if kind == "" || len(kind) > maxJobKindLen || !utf8.ValidString(kind) {
		return false, Errorf(EINVALID, "invalid job kind %q", kind)
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM orders WHERE id = ?`, orderID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return errOrderNotFound()
		}
		if err != nil {
			return fmt.Errorf("store: check order: %w", err)
		}
		queued, err = db.enqueueJob(ctx, tx, kind, orderID, runAt)
		return err
	})
	return queued, err
}

// enqueueJob inserts a queued job unless one of kind exists for the order,
// in tx, and reports whether it inserted. A zero runAt means now.
func (db *DB) enqueueJob(ctx context.Context, tx *sql.Tx, kind string, orderID int64, runAt time.Time) (bool, error) {
	now := db.now().UTC()
	if runAt.IsZero() {
		runAt = now
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO jobs (kind, order_id, state, run_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, order_id) DO NOTHING`,
		kind, orderID, JobQueued, runAt.UTC(), now, now)
	if err != nil {
		return false, fmt.Errorf("store: queue %s job for order %d: %w", kind, orderID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: queue %s job for order %d: %w", kind, orderID, err)
	}
	return n == 1, nil
}

// ClaimJob picks the next job to run, in one write transaction: a queued
// job due by now, or a running job whose lease expired before now (its
// worker died, e.g. kill -9, or hung). The oldest run_at goes first. The
// job becomes running with a lease until now+lease, Attempts and Claim
// grow by one, and the updated job is returned; ok=false when nothing is
// due. The worker must finish within the lease or extend it
// (ExtendJobLease), otherwise another claim may run the job again — every
// job must therefore be safe to run twice (F040 is idempotent on the order
// number; the store's own steps are idempotent).
func (db *DB) ClaimJob(ctx context.Context, now time.Time, lease time.Duration) (j Job, ok bool, err error) {
	if lease <= 0 {
		return Job{}, false, Errorf(EINVALID, "job lease must be positive")
	}
	now = now.UTC()
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		j, err = scanJob(tx.QueryRowContext(ctx, jobSelect+`
			WHERE (state = 'queued' AND run_at <= ?) OR (state = 'running' AND lease_until < ?)
			ORDER BY run_at, id LIMIT 1`, now, now))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: pick job: %w", err)
		}
		j.State, j.Attempts, j.Claim, j.LeaseUntil = JobRunning, j.Attempts+1, j.Claim+1, now.Add(lease)
		if _, err := tx.ExecContext(ctx, `UPDATE jobs SET state = ?, attempts = ?, claim = ?, lease_until = ?,
			updated_at = ? WHERE id = ?`, j.State, j.Attempts, j.Claim, j.LeaseUntil, db.now().UTC(), j.ID); err != nil {
			return fmt.Errorf("store: claim job: %w", err)
		}
		ok = true
		return nil
	})
	if err != nil || !ok {
		return Job{}, false, err
	}
	return j, true, nil
}

// CompleteJob marks the claimed run j done. ErrJobLeaseLost if j's claim
// is no longer current.
func (db *DB) CompleteJob(ctx context.Context, j Job) error {
	return db.finishJob(ctx, j, `state = 'done', lease_until = NULL`)
}

// RetryJob puts the claimed run j back in the queue, due at runAt, with
// lastErr kept for the operator. ErrJobLeaseLost if j's claim is no longer
// current.
func (db *DB) RetryJob(ctx context.Context, j Job, runAt time.Time, lastErr string) error {
	if runAt.IsZero() {
		return Errorf(EINVALID, "retry needs a time")
	}
	return db.finishJob(ctx, j, `state = 'queued', lease_until = NULL, run_at = ?, last_error = ?`,
		runAt.UTC(), truncateUTF8(lastErr, maxJobErrorLen))
}

// FailJob gives up on the claimed run j: it stays failed until an operator
// requeues it. ErrJobLeaseLost if j's claim is no longer current.
func (db *DB) FailJob(ctx context.Context, j Job, lastErr string) error {
	return db.finishJob(ctx, j, `state = 'failed', lease_until = NULL, last_error = ?`,
		truncateUTF8(lastErr, maxJobErrorLen))
}

// ExtendJobLease moves the lease of the claimed run j to until, for work
// that outlasts the lease it was claimed with. ErrJobLeaseLost if j's claim
// is no longer current.
func (db *DB) ExtendJobLease(ctx context.Context, j Job, until time.Time) error {
	if until.IsZero() {
		return Errorf(EINVALID, "lease needs a time")
	}
	return db.finishJob(ctx, j, `lease_until = ?`, until.UTC())
}

// finishJob applies set (SQL assignments with args) to job j only while j
// is running under the same claim: the claim is the fencing token that
// keeps a worker whose lease was taken over from clobbering the new run.
func (db *DB) finishJob(ctx context.Context, j Job, set string, args ...any) error {
	return db.withTx(ctx, func(tx *sql.Tx) error { return db.finishJobTx(ctx, tx, j, set, args...) })
}

// finishJobTx is finishJob in tx.
func (db *DB) finishJobTx(ctx context.Context, tx *sql.Tx, j Job, set string, args ...any) error {
	args = append(args, db.now().UTC(), j.ID, j.Claim)
	res, err := tx.ExecContext(ctx, `UPDATE jobs SET `+set+`, updated_at = ?
		WHERE id = ? AND state = 'running' AND claim = ?`, args...)
	if err != nil {
		return fmt.Errorf("store: update job %d: %w", j.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: update job %d: %w", j.ID, err)
	}
	if n == 1 {
		return nil
	}
	var state string
	var claim int64
	err = tx.QueryRowContext(ctx, `SELECT state, claim FROM jobs WHERE id = ?`, j.ID).Scan(&state, &claim)
	if errors.Is(err, sql.ErrNoRows) {
		return Errorf(ENOTFOUND, "job %d not found", j.ID)
	}
	if err != nil {
		return fmt.Errorf("store: load job %d: %w", j.ID, err)
	}
	return fmt.Errorf("%w: %w", ErrJobLeaseLost,
		Errorf(ECONFLICT, "job %d claim %d is no longer current (now %s, claim %d)", j.ID, j.Claim, state, claim))
}

// CompleteMailJob records the outcome of the mail with id (sent or
// logged) and completes the claimed job j that sent it, in one
// transaction: a crash can no longer leave a sent mail whose job runs
// again and sends it twice. ErrJobLeaseLost if j's claim is no longer
// current (nothing is changed then).
func (db *DB) CompleteMailJob(ctx context.Context, j Job, id int64, status string) error {
	if !validMailStatus(status) {
		return Errorf(EINVALID, "invalid mail status %q", status)
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		if err := db.setMailStatusTx(ctx, tx, id, status, ""); err != nil {
			return err
		}
		return db.finishJobTx(ctx, tx, j, `state = 'done', lease_until = NULL`)
	})
}

// RequeueJob queues a finished (done or failed) job of kind for an order
// again, due at runAt (zero: now), with Attempts reset — an operator's
// "retry". LastError is kept until the next run replaces it. A job already
// queued is left as it is; a running one is ECONFLICT (its worker owns
// it); none at all is ENOTFOUND.
func (db *DB) RequeueJob(ctx context.Context, kind string, orderID int64, runAt time.Time) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		var id int64
		var state string
		err := tx.QueryRowContext(ctx, `SELECT id, state FROM jobs WHERE kind = ? AND order_id = ?`, kind, orderID).
			Scan(&id, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "no %s job for order %d", kind, orderID)
		}
		if err != nil {
			return fmt.Errorf("store: load job: %w", err)
		}
		switch state {
		case JobQueued:
			return nil
		case JobRunning:
			return Errorf(ECONFLICT, "the %s job of order %d is running", kind, orderID)
		}
		now := db.now().UTC()
		if runAt.IsZero() {
			runAt = now
		}
		if _, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'queued', attempts = 0, lease_until = NULL,
			run_at = ?, updated_at = ? WHERE id = ?`, runAt.UTC(), now, id); err != nil {
			return fmt.Errorf("store: requeue job: %w", err)
		}
		return nil
	})
}

// requeue makes the job of kind for an order queued and due now with
// Attempts reset, in tx: creating it when state is "" (none), resetting
// it when finished, leaving it when queued already.
func (db *DB) requeue(ctx context.Context, tx *sql.Tx, kind string, orderID int64, state string) error {
	now := db.now().UTC()
	switch state {
	case "":
		_, err := db.enqueueJob(ctx, tx, kind, orderID, now)
		return err
	case JobQueued:
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'queued', attempts = 0, lease_until = NULL,
		run_at = ?, updated_at = ? WHERE kind = ? AND order_id = ?`, now, now, kind, orderID); err != nil {
		return fmt.Errorf("store: requeue %s job: %w", kind, err)
	}
	return nil
}

// NextJobAt returns when the worker should next look for work: the
// earliest run_at of a queued job or lease expiry of a running one (so a
// dead worker's job is picked up without polling). ok=false when there is
// neither; the worker then sleeps until woken by new work.
func (db *DB) NextJobAt(ctx context.Context) (next time.Time, ok bool, err error) {
	err = db.withReadTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`SELECT run_at FROM jobs WHERE state = 'queued' ORDER BY run_at LIMIT 1`,
			`SELECT lease_until FROM jobs WHERE state = 'running' AND lease_until IS NOT NULL ORDER BY lease_until LIMIT 1`,
		} {
			var t time.Time
			err := tx.QueryRowContext(ctx, q).Scan(&t)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("store: next job time: %w", err)
			}
			if t = t.UTC(); !ok || t.Before(next) {
				next, ok = t, true
			}
		}
		return nil
	})
	return next, ok, err
}
