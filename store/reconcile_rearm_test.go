package store

import (
	"context"
	"testing"
	"time"
)

// TestRetryRearmsReconcile: an order whose reconcile check gave up (and
// was parked for the operator) gets a queued reconcile job again when it
// is retried and placed again, so it returns to the attention list if its
// eSIMs still do not come; a queued check is not moved.
func TestRetryRearmsReconcile(t *testing.T) {
	db, clk, o := paidOrder(t)
	ctx := context.Background()
	at := clk.now().Add(30 * time.Minute)
	if err := db.MarkPlaced(ctx, o.ID, "V1", nil, at); err != nil {
		t.Fatal(err)
	}
	later := at.Add(time.Hour)
	if err := db.MarkPlaced(ctx, o.ID, "V1", nil, later); err != nil {
		t.Fatal(err)
	}
	if j, err := db.JobByKind(ctx, JobReconcile, o.ID); err != nil || j.State != JobQueued || !j.RunAt.Equal(at.UTC()) {
		t.Fatalf("queued check moved: %+v, %v", j, err)
	}
	// The check gives up: the job fails and the order is parked.
	if _, err := db.writer.Exec(`UPDATE jobs SET state = 'failed', attempts = 8 WHERE kind = ? AND order_id = ?`, JobReconcile, o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MarkNeedsAttention(ctx, o.ID, "eSIM not delivered", "", ""); err != nil {
		t.Fatal(err)
	}
	if changed, err := db.RetryPlacement(ctx, o.ID, "ops"); err != nil || !changed {
		t.Fatalf("retry: %v, %v", changed, err)
	}
	if err := db.MarkPlaced(ctx, o.ID, "V1", nil, later); err != nil {
		t.Fatal(err)
	}
	j, err := db.JobByKind(ctx, JobReconcile, o.ID)
	if err != nil || j.State != JobQueued || j.Attempts != 0 || !j.RunAt.Equal(later.UTC()) {
		t.Fatalf("reconcile after retry: %+v, %v; want queued at %v", j, err, later.UTC())
	}
	if n := countJobsOf(t, db, JobReconcile, o.ID); n != 1 {
		t.Fatalf("%d reconcile jobs", n)
	}
}
