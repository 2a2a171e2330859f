package store

import (
	"context"
	"database/sql"
	"strings"
	"testing"
)

func TestJobUniquenessEnforcedBySchema(t *testing.T) {
	db, o := pendingOrder(t)
	mustPay(t, db, o.ID, "cs_1")
	err := db.withTx(context.Background(), func(tx *sql.Tx) error {
		return insertJob(context.Background(), tx, JobPlaceOrder, o.ID, t0)
	})
	if err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Errorf("second place_order job: %v, want a UNIQUE constraint error", err)
	}
	if n, _ := db.CountJobs(context.Background(), JobPlaceOrder); n != 1 {
		t.Errorf("%d jobs, want 1", n)
	}
}
