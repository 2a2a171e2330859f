package store

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

const lease = time.Minute

// mustClaim claims the next job at now and fails unless one is due.
func mustClaim(t *testing.T, db *DB, now time.Time) Job {
	t.Helper()
	j, ok, err := db.ClaimJob(context.Background(), now, lease)
	if err != nil || !ok {
		t.Fatalf("ClaimJob(%v) = %+v, %v, %v; want a job", now, j, ok, err)
	}
	return j
}

// mustNoClaim fails if a job is due at now.
func mustNoClaim(t *testing.T, db *DB, now time.Time) {
	t.Helper()
	j, ok, err := db.ClaimJob(context.Background(), now, lease)
	if err != nil || ok {
		t.Fatalf("ClaimJob(%v) = %+v, %v, %v; want none", now, j, ok, err)
	}
}

func TestClaimThenFinish(t *testing.T) {
	ctx := context.Background()
	retryAt := t0.Add(10 * time.Minute)
	tests := []struct {
		name      string
		finish    func(db *DB, j Job) error
		wantState string
		wantErr   string
		// reclaimAt is when the job is due again; zero when never.
		reclaimAt time.Time
	}{
		{"complete", func(db *DB, j Job) error { return db.CompleteJob(ctx, j) }, JobDone, "", time.Time{}},
		{"retry", func(db *DB, j Job) error { return db.RetryJob(ctx, j, retryAt, "vendor timeout") }, JobQueued, "vendor timeout", retryAt},
		{"fail", func(db *DB, j Job) error { return db.FailJob(ctx, j, "vendor said no") }, JobFailed, "vendor said no", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _, o := paidOrder(t)
			mustNoClaim(t, db, t0.Add(-time.Second)) // not due yet
			j := mustClaim(t, db, t0)
			if j.Kind != JobPlaceOrder || j.OrderID != o.ID || j.State != JobRunning || j.Attempts != 1 ||
				j.Claim != 1 || !j.LeaseUntil.Equal(t0.Add(lease)) {
				t.Fatalf("claimed %+v", j)
			}
			stored, err := db.JobByKind(ctx, JobPlaceOrder, o.ID)
			if err != nil || stored != j {
				t.Fatalf("stored job %+v, %v; want %+v", stored, err, j)
			}
			mustNoClaim(t, db, t0.Add(lease/2)) // leased
			if err := tt.finish(db, j); err != nil {
				t.Fatalf("finish: %v", err)
			}
			got, _ := db.JobByKind(ctx, JobPlaceOrder, o.ID)
			if got.State != tt.wantState || got.LastError != tt.wantErr || !got.LeaseUntil.IsZero() {
				t.Errorf("after finish %+v; want state %s, error %q, no lease", got, tt.wantState, tt.wantErr)
			}
			// A finished run cannot be finished again.
			if err := db.CompleteJob(ctx, j); !errors.Is(err, ErrJobLeaseLost) || ErrorCode(err) != ECONFLICT {
				t.Errorf("second CompleteJob = %v, want ErrJobLeaseLost/ECONFLICT", err)
			}
			if tt.reclaimAt.IsZero() {
				mustNoClaim(t, db, t0.Add(24*time.Hour))
				return
			}
			mustNoClaim(t, db, tt.reclaimAt.Add(-time.Nanosecond))
			again := mustClaim(t, db, tt.reclaimAt)
			if again.Attempts != 2 || again.Claim != 2 || again.LastError != tt.wantErr {
				t.Errorf("re-claimed %+v; want attempt 2", again)
			}
		})
	}
}

func TestExpiredLeaseIsReclaimedAndStaleWorkerFenced(t *testing.T) {
	ctx := context.Background()
	db, _, _ := paidOrder(t)
	first := mustClaim(t, db, t0)
	// The first worker dies (kill -9): nothing happens until its lease
	// runs out, then the job is claimed again.
	mustNoClaim(t, db, first.LeaseUntil)
	second := mustClaim(t, db, first.LeaseUntil.Add(time.Nanosecond))
	if second.ID != first.ID || second.Attempts != 2 || second.Claim != 2 {
		t.Fatalf("re-claim = %+v, want same job, attempt 2", second)
	}
	// The first worker was only slow, not dead: its results are refused.
	stale := []struct {
		name string
		call func() error
	}{
		{"complete", func() error { return db.CompleteJob(ctx, first) }},
		{"retry", func() error { return db.RetryJob(ctx, first, t0, "x") }},
		{"fail", func() error { return db.FailJob(ctx, first, "x") }},
		{"extend", func() error { return db.ExtendJobLease(ctx, first, t0.Add(time.Hour)) }},
	}
	for _, s := range stale {
		if err := s.call(); !errors.Is(err, ErrJobLeaseLost) || ErrorCode(err) != ECONFLICT {
			t.Errorf("stale %s = %v, want ErrJobLeaseLost", s.name, err)
		}
	}
	got, _ := db.JobByKind(ctx, JobPlaceOrder, second.OrderID)
	if got.State != JobRunning || got.Claim != 2 || got.LastError != "" || !got.LeaseUntil.Equal(second.LeaseUntil) {
		t.Fatalf("stale worker changed the job: %+v", got)
	}
	// The current run extends its lease, then completes.
	until := second.LeaseUntil.Add(5 * time.Minute)
	if err := db.ExtendJobLease(ctx, second, until); err != nil {
		t.Fatalf("ExtendJobLease: %v", err)
	}
	mustNoClaim(t, db, second.LeaseUntil.Add(time.Minute))
	if err := db.CompleteJob(ctx, second); err != nil {
		t.Fatalf("current CompleteJob: %v", err)
	}
	if got, _ := db.JobByKind(ctx, JobPlaceOrder, second.OrderID); got.State != JobDone {
		t.Errorf("state %s, want done", got.State)
	}
	// Requeue resets attempts but never the claim: the fence stays unique.
	if err := db.RequeueJob(ctx, JobPlaceOrder, second.OrderID, t0); err != nil {
		t.Fatal(err)
	}
	third := mustClaim(t, db, t0)
	if third.Attempts != 1 || third.Claim != 3 {
		t.Errorf("after requeue claimed %+v, want attempt 1, claim 3", third)
	}
	if err := db.CompleteJob(ctx, first); !errors.Is(err, ErrJobLeaseLost) {
		t.Errorf("stale claim after requeue = %v, want ErrJobLeaseLost", err)
	}
}

func TestClaimOrderAndNextJobAt(t *testing.T) {
	ctx := context.Background()
	db, _, _ := paidOrder(t)
	if next, ok, err := db.NextJobAt(ctx); err != nil || !ok || !next.Equal(t0) {
		t.Fatalf("NextJobAt = %v, %v, %v; want %v", next, ok, err, t0)
	}
	b := newPaidOrder(t, db, "cs_2")
	// b's email job is older than a's placement: claimed first.
	if ok, err := db.EnqueueJob(ctx, JobSendESIMEmail, b.ID, t0.Add(-time.Hour)); err != nil || !ok {
		t.Fatalf("EnqueueJob = %v, %v", ok, err)
	}
	if ok, err := db.EnqueueJob(ctx, JobSendESIMEmail, b.ID, t0); err != nil || ok {
		t.Fatalf("second EnqueueJob = %v, %v; want false (exists)", ok, err)
	}
	if _, err := db.EnqueueJob(ctx, JobReconcile, 9999, t0); ErrorCode(err) != ENOTFOUND {
		t.Errorf("EnqueueJob for unknown order = %v, want ENOTFOUND", err)
	}
	if _, err := db.EnqueueJob(ctx, "", b.ID, t0); ErrorCode(err) != EINVALID {
		t.Errorf("EnqueueJob without kind = %v, want EINVALID", err)
	}
	var order []string
	for range 3 {
		j := mustClaim(t, db, t0)
		order = append(order, j.Kind)
		if j.Kind == JobPlaceOrder && j.OrderID == b.ID {
			// Leave this one running: NextJobAt must report its lease.
			continue
		}
		if err := db.CompleteJob(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	if order[0] != JobSendESIMEmail {
		t.Errorf("claim order %v, want the oldest run_at first", order)
	}
	mustNoClaim(t, db, t0)
	if next, ok, err := db.NextJobAt(ctx); err != nil || !ok || !next.Equal(t0.Add(lease)) {
		t.Errorf("NextJobAt = %v, %v, %v; want the lease expiry %v", next, ok, err, t0.Add(lease))
	}
	if _, _, err := db.ClaimJob(ctx, t0, 0); ErrorCode(err) != EINVALID {
		t.Errorf("ClaimJob with no lease = %v, want EINVALID", err)
	}
}

func TestNextJobAtEmpty(t *testing.T) {
	db, _ := openTestDB(t)
	if next, ok, err := db.NextJobAt(context.Background()); err != nil || ok || !next.IsZero() {
		t.Errorf("NextJobAt on empty queue = %v, %v, %v", next, ok, err)
	}
}

func TestRequeueJob(t *testing.T) {
	ctx := context.Background()
	db, _, o := paidOrder(t)
	tests := []struct {
		name  string
		setup func(t *testing.T)
		want  string // error code; "" for none
		state string
	}{
		{"queued stays queued", func(t *testing.T) {}, "", JobQueued},
		{"running is refused", func(t *testing.T) { mustClaim(t, db, t0) }, ECONFLICT, JobRunning},
		{"failed is queued again", func(t *testing.T) {
			j, _ := db.JobByKind(ctx, JobPlaceOrder, o.ID)
			if err := db.FailJob(ctx, j, "gave up"); err != nil {
				t.Fatal(err)
			}
		}, "", JobQueued},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup(t)
			err := db.RequeueJob(ctx, JobPlaceOrder, o.ID, t0.Add(time.Hour))
			if ErrorCode(err) != tt.want {
				t.Fatalf("RequeueJob = %v, want code %q", err, tt.want)
			}
			j, _ := db.JobByKind(ctx, JobPlaceOrder, o.ID)
			if j.State != tt.state {
				t.Errorf("state %s, want %s", j.State, tt.state)
			}
		})
	}
	j, _ := db.JobByKind(ctx, JobPlaceOrder, o.ID)
	if j.Attempts != 0 || !j.RunAt.Equal(t0.Add(time.Hour)) || j.LastError != "gave up" {
		t.Errorf("requeued job %+v; want attempts 0, run_at +1h, last error kept", j)
	}
	if err := db.RequeueJob(ctx, JobReconcile, o.ID, t0); ErrorCode(err) != ENOTFOUND {
		t.Errorf("RequeueJob of a missing job = %v, want ENOTFOUND", err)
	}
}

// TestConcurrentClaimersNeverShareAJob runs claimers on two handles to the
// same file (two processes) with several goroutines each; every job must
// be claimed exactly once.
func TestConcurrentClaimersNeverShareAJob(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	other, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	mustReplace(t, db, catalogOf(product("A", "4.50"), product("B", "9")))
	const orders = 12
	for range orders {
		o := mustCreate(t, db, validNewOrder())
		mustPay(t, db, o.ID, "")
		if _, err := db.EnqueueJob(ctx, JobSendESIMEmail, o.ID, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().Add(time.Hour)
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for w := range 6 {
		h := db
		if w%2 == 1 {
			h = other
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				j, ok, err := h.ClaimJob(ctx, now, time.Hour)
				if err != nil {
					t.Errorf("ClaimJob: %v", err)
					return
				}
				if !ok {
					return
				}
				mu.Lock()
				seen[j.ID]++
				mu.Unlock()
				if err := h.CompleteJob(ctx, j); err != nil {
					t.Errorf("CompleteJob: %v", err)
				}
			}
		}()
	}
	wg.Wait()
	if len(seen) != 2*orders {
		t.Errorf("%d distinct jobs claimed, want %d", len(seen), 2*orders)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("job %d claimed %d times", id, n)
		}
	}
}
