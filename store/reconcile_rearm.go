package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// armReconcile makes sure the order's reconcile job will ask the vendor
// at at, in tx: created when missing, queued again when it finished (done
// or failed) — so an order placed again after an operator's retry comes
// back to the attention list if its eSIMs still do not arrive — and left
// alone while queued or running. A re-armed job starts a fresh round of
// attempts; its last error is kept until the next run.
func (db *DB) armReconcile(ctx context.Context, tx *sql.Tx, orderID int64, at time.Time) error {
	state, err := jobState(ctx, tx, JobReconcile, orderID)
	if err != nil {
		return err
	}
	switch state {
	case "":
		_, err := db.enqueueJob(ctx, tx, JobReconcile, orderID, at)
		return err
	case JobQueued, JobRunning:
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE jobs SET state = 'queued', attempts = 0, lease_until = NULL,
		run_at = ?, updated_at = ? WHERE kind = ? AND order_id = ?`, at.UTC(), db.now().UTC(), JobReconcile, orderID); err != nil {
		return fmt.Errorf("store: re-arm reconcile: %w", err)
	}
	return nil
}
