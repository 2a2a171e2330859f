package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// deliveredOrder returns a database with one delivered order whose
// place_order job is done and whose send_esim_email job is queued.
func deliveredOrder(t *testing.T) (*DB, *testClock, Order) {
	t.Helper()
	db, clk, o := paidOrder(t)
	ctx := context.Background()
	j := mustClaim(t, db, t0)
	mustPlacing(t, db, o.ID)
	if err := db.MarkPlaced(ctx, o.ID, "V1", nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if err := db.CompleteJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	if _, delivered, err := db.StoreDelivery(ctx, o.Number, "V1", fullDelivery(o)); err != nil || !delivered {
		t.Fatalf("StoreDelivery = %v, %v", delivered, err)
	}
	return db, clk, statusOf(t, db, o.ID)
}

// jobOf returns the job of kind for an order.
func jobOf(t *testing.T, db *DB, kind string, orderID int64) Job {
	t.Helper()
	j, err := db.JobByKind(context.Background(), kind, orderID)
	if err != nil {
		t.Fatalf("JobByKind(%s): %v", kind, err)
	}
	return j
}

func TestMarkRefundedFromEachStatus(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		status OrderStatus
		want   string // error code; "" for success
	}{
		{StatusPaid, ""},
		{StatusPlacing, ""},
		{StatusPlaced, ""},
		{StatusDelivered, ""},
		{StatusNeedsAttention, ""},
		{StatusPendingPayment, ECONFLICT},
		{StatusPaymentFailed, ECONFLICT},
		{StatusExpired, ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(string(tt.status), func(t *testing.T) {
			db, clk, o := paidOrder(t)
			setStatus(t, db, o.ID, tt.status)
			at := t0.Add(time.Hour)
			clk.set(at)
			changed, err := db.MarkRefunded(ctx, o.ID, "re_1", "buyer cancelled trip")
			if tt.want != "" {
				if changed || ErrorCode(err) != tt.want {
					t.Fatalf("MarkRefunded = %v, %v; want %s", changed, err, tt.want)
				}
				if got := statusOf(t, db, o.ID); got.Status != tt.status || got.RefundID != "" {
					t.Errorf("refused refund changed the order: %+v", got)
				}
				return
			}
			if err != nil || !changed {
				t.Fatalf("MarkRefunded = %v, %v", changed, err)
			}
			got := statusOf(t, db, o.ID)
			if got.Status != StatusRefunded || got.RefundID != "re_1" || !got.RefundedAt.Equal(at) || got.Attention != "" {
				t.Errorf("refunded order = %+v", got)
			}
			if n := countEventsTo(t, db, o.ID, StatusRefunded); n != 1 {
				t.Errorf("%d refunded events, want 1", n)
			}
		})
	}
	db, _, _ := paidOrder(t)
	if _, err := db.MarkRefunded(ctx, 999, "re_1", ""); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown order: %v, want ENOTFOUND", err)
	}
	if _, err := db.MarkRefunded(ctx, 1, " ", ""); ErrorCode(err) != EINVALID {
		t.Errorf("no refund id: %v, want EINVALID", err)
	}
}

func TestMarkRefundedIsIdempotentAndCancelsJobs(t *testing.T) {
	ctx := context.Background()
	db, _, o := paidOrder(t)
	other := newPaidOrder(t, db, "cs_2")
	running := mustClaim(t, db, t0) // o's place_order job, mid-run
	if running.OrderID != o.ID {
		t.Fatalf("claimed order %d, want %d", running.OrderID, o.ID)
	}
	if _, err := db.EnqueueJob(ctx, JobReconcile, o.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false, false} {
		changed, err := db.MarkRefunded(ctx, o.ID, "re_1", "operator")
		if err != nil || changed != want {
			t.Fatalf("call %d: MarkRefunded = %v, %v; want %v", i+1, changed, err, want)
		}
	}
	if n := countEventsTo(t, db, o.ID, StatusRefunded); n != 1 {
		t.Errorf("%d refunded events, want 1", n)
	}
	for _, kind := range []string{JobPlaceOrder, JobReconcile} {
		if j := jobOf(t, db, kind, o.ID); j.State != JobFailed || j.LastError != "refunded" || !j.LeaseUntil.IsZero() {
			t.Errorf("%s job after refund = %+v; want failed, refunded", kind, j)
		}
	}
	// The worker that was running the placement loses its lease.
	if err := db.CompleteJob(ctx, running); !errors.Is(err, ErrJobLeaseLost) {
		t.Errorf("CompleteJob after refund = %v, want ErrJobLeaseLost", err)
	}
	// Another order's job is untouched, and nothing of o is claimable.
	if j := mustClaim(t, db, t0.Add(2*time.Hour)); j.OrderID != other.ID {
		t.Errorf("claimed %+v, want the other order's job", j)
	}
	mustNoClaim(t, db, t0.Add(2*time.Hour))
	// A late payment report or flag does not reopen a refunded order.
	if changed, err := db.MarkPaid(ctx, goodPayment(o.ID), "late webhook"); err != nil || changed {
		t.Errorf("MarkPaid on refunded = %v, %v; want false, nil", changed, err)
	}
	if changed, err := db.MarkNeedsAttention(ctx, o.ID, "vendor error", "", ""); err != nil || changed {
		t.Errorf("MarkNeedsAttention on refunded = %v, %v; want false, nil", changed, err)
	}
	if got := statusOf(t, db, o.ID); got.Status != StatusRefunded {
		t.Errorf("status = %s, want refunded", got.Status)
	}
}

func TestRetryPlacementTwice(t *testing.T) {
	ctx := context.Background()
	db, clk, o := paidOrder(t)
	j := mustClaim(t, db, t0)
	mustPlacing(t, db, o.ID)
	if err := db.FailJob(ctx, j, "vendor said no"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MarkNeedsAttention(ctx, o.ID, "vendor rejected the order", "1001", "no stock"); err != nil {
		t.Fatal(err)
	}
	clk.set(t0.Add(time.Hour))
	for i, want := range []bool{true, false} {
		changed, err := db.RetryPlacement(ctx, o.ID, "stock is back")
		if err != nil || changed != want {
			t.Fatalf("click %d: RetryPlacement = %v, %v; want %v", i+1, changed, err, want)
		}
	}
	got := statusOf(t, db, o.ID)
	if got.Status != StatusPaid || got.Attention != "" {
		t.Errorf("order after retry = %s %q; want paid, no attention", got.Status, got.Attention)
	}
	if n := countJobsOf(t, db, JobPlaceOrder, o.ID); n != 1 {
		t.Errorf("%d place_order jobs, want 1", n)
	}
	if j := jobOf(t, db, JobPlaceOrder, o.ID); j.State != JobQueued || j.Attempts != 0 || !j.RunAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("job after retry = %+v; want queued, 0 attempts, due now", j)
	}
	evs := mustEvents(t, db, o.ID)
	retries := 0
	for _, e := range evs {
		if e.From == StatusNeedsAttention && e.To == StatusPaid && e.Cause == "operator retry: stock is back" {
			retries++
		}
	}
	if retries != 1 {
		t.Errorf("%d operator retry events, want 1: %+v", retries, evs)
	}
	// The worker can now place it.
	j2 := mustClaim(t, db, t0.Add(time.Hour))
	if changed, err := db.MarkPlacing(ctx, o.ID, "worker"); err != nil || !changed || j2.OrderID != o.ID {
		t.Errorf("MarkPlacing after retry = %v, %v", changed, err)
	}
	// While the job runs, a click changes nothing.
	if changed, err := db.RetryPlacement(ctx, o.ID, ""); err != nil || changed {
		t.Errorf("RetryPlacement while running = %v, %v; want false, nil", changed, err)
	}
}

func TestRetryPlacementStates(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		setup   func(t *testing.T, db *DB, o Order)
		want    bool
		wantErr string
		status  OrderStatus // after the call
	}{
		{"paid with its job queued", func(t *testing.T, db *DB, o Order) {}, false, "", StatusPaid},
		{"placing with a failed job", func(t *testing.T, db *DB, o Order) {
			j := mustClaim(t, db, t0)
			mustPlacing(t, db, o.ID)
			if err := db.FailJob(ctx, j, "timeout"); err != nil {
				t.Fatal(err)
			}
		}, true, "", StatusPlacing},
		{"flagged with the job still queued", func(t *testing.T, db *DB, o Order) {
			if _, err := db.MarkNeedsAttention(ctx, o.ID, "check", "", ""); err != nil {
				t.Fatal(err)
			}
		}, true, "", StatusPaid},
		{"flagged and never paid in full", func(t *testing.T, db *DB, o Order) {
			if _, err := db.writer.Exec(`UPDATE orders SET paid_at = NULL WHERE id = ?`, o.ID); err != nil {
				t.Fatal(err)
			}
			setStatus(t, db, o.ID, StatusNeedsAttention)
		}, false, ECONFLICT, StatusNeedsAttention},
		{"placed", func(t *testing.T, db *DB, o Order) { setStatus(t, db, o.ID, StatusPlaced) }, false, ECONFLICT, StatusPlaced},
		{"delivered", func(t *testing.T, db *DB, o Order) { setStatus(t, db, o.ID, StatusDelivered) }, false, ECONFLICT, StatusDelivered},
		{"pending", func(t *testing.T, db *DB, o Order) { setStatus(t, db, o.ID, StatusPendingPayment) }, false, ECONFLICT, StatusPendingPayment},
		{"refunded", func(t *testing.T, db *DB, o Order) {
			if _, err := db.MarkRefunded(ctx, o.ID, "re_1", ""); err != nil {
				t.Fatal(err)
			}
		}, false, ECONFLICT, StatusRefunded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _, o := paidOrder(t)
			tt.setup(t, db, o)
			changed, err := db.RetryPlacement(ctx, o.ID, "")
			if changed != tt.want || (tt.wantErr == "" && err != nil) || (tt.wantErr != "" && ErrorCode(err) != tt.wantErr) {
				t.Fatalf("RetryPlacement = %v, %v; want %v, %q", changed, err, tt.want, tt.wantErr)
			}
			if got := statusOf(t, db, o.ID); got.Status != tt.status {
				t.Errorf("status = %s, want %s", got.Status, tt.status)
			}
			if tt.wantErr == "" {
				if j := jobOf(t, db, JobPlaceOrder, o.ID); j.State != JobQueued {
					t.Errorf("job = %+v, want queued", j)
				}
			}
		})
	}
	db, _, _ := paidOrder(t)
	if _, err := db.RetryPlacement(ctx, 999, ""); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown order: %v, want ENOTFOUND", err)
	}
}

func TestResendDeliveryEmail(t *testing.T) {
	ctx := context.Background()
	db, clk, o := deliveredOrder(t)
	// The first email is still queued: a click changes nothing.
	if changed, err := db.ResendDeliveryEmail(ctx, o.ID, ""); err != nil || changed {
		t.Fatalf("while queued = %v, %v; want false, nil", changed, err)
	}
	j := mustClaim(t, db, t0)
	if j.Kind != JobSendESIMEmail {
		t.Fatalf("claimed %+v", j)
	}
	if changed, err := db.ResendDeliveryEmail(ctx, o.ID, ""); err != nil || changed {
		t.Fatalf("while running = %v, %v; want false, nil", changed, err)
	}
	if err := db.CompleteJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	clk.set(t0.Add(time.Hour))
	for i, want := range []bool{true, false} {
		changed, err := db.ResendDeliveryEmail(ctx, o.ID, "buyer lost it")
		if err != nil || changed != want {
			t.Fatalf("click %d = %v, %v; want %v", i+1, changed, err, want)
		}
	}
	if j := jobOf(t, db, JobSendESIMEmail, o.ID); j.State != JobQueued || j.Attempts != 0 || !j.RunAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("email job = %+v; want queued again, due now", j)
	}
	if n := countJobsOf(t, db, JobSendESIMEmail, o.ID); n != 1 {
		t.Errorf("%d email jobs, want 1", n)
	}
	if got := notes(t, db, o.ID); len(got) != 1 || got[0] != "operator re-sent the eSIM email: buyer lost it" {
		t.Errorf("notes = %q", got)
	}
	// A failed email job can be re-sent too.
	j = mustClaim(t, db, t0.Add(time.Hour))
	if err := db.FailJob(ctx, j, "smtp down"); err != nil {
		t.Fatal(err)
	}
	if changed, err := db.ResendDeliveryEmail(ctx, o.ID, ""); err != nil || !changed {
		t.Errorf("after failure = %v, %v; want true", changed, err)
	}

	paid := newPaidOrder(t, db, "cs_9")
	if _, err := db.ResendDeliveryEmail(ctx, paid.ID, ""); ErrorCode(err) != ECONFLICT {
		t.Errorf("undelivered order: %v, want ECONFLICT", err)
	}
	if _, err := db.ResendDeliveryEmail(ctx, 999, ""); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown order: %v, want ENOTFOUND", err)
	}
}
