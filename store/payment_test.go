package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestSetPaymentRef(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		setup    func(t *testing.T, db *DB, id int64)
		ref      string
		wantCode string
		wantRef  string
	}{
		{"first ref", nil, "cs_1", "", "cs_1"},
		{"same ref again", func(t *testing.T, db *DB, id int64) { mustSetRef(t, db, id, "cs_1") }, "cs_1", "", "cs_1"},
		{"other ref", func(t *testing.T, db *DB, id int64) { mustSetRef(t, db, id, "cs_1") }, "cs_2", ECONFLICT, "cs_1"},
		{"empty ref", nil, "", EINVALID, ""},
		{"not pending", func(t *testing.T, db *DB, id int64) {
			if _, err := db.MarkExpired(ctx, id, "test"); err != nil {
				t.Fatal(err)
			}
		}, "cs_1", ECONFLICT, ""},
		{"same ref after payment", func(t *testing.T, db *DB, id int64) {
			mustSetRef(t, db, id, "cs_1")
			mustPay(t, db, id, "cs_1")
		}, "cs_1", "", "cs_1"},
		{"ref of another order", func(t *testing.T, db *DB, id int64) {
			other := mustCreate(t, db, validNewOrder())
			mustSetRef(t, db, other.ID, "cs_1")
		}, "cs_1", ECONFLICT, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _, in := orderFixture(t)
			o := mustCreate(t, db, in)
			if tt.setup != nil {
				tt.setup(t, db, o.ID)
			}
			err := db.SetPaymentRef(ctx, o.ID, tt.ref)
			if ErrorCode(err) != tt.wantCode {
				t.Fatalf("SetPaymentRef = %v, want code %q", err, tt.wantCode)
			}
			got, err := db.OrderByID(ctx, o.ID)
			if err != nil || got.PaymentRef != tt.wantRef {
				t.Errorf("PaymentRef = %q, %v; want %q", got.PaymentRef, err, tt.wantRef)
			}
			if tt.wantRef != "" {
				if byRef, err := db.OrderByPaymentRef(ctx, tt.wantRef); err != nil || byRef.ID != o.ID {
					t.Errorf("OrderByPaymentRef = %d, %v; want %d", byRef.ID, err, o.ID)
				}
			}
		})
	}
	db, _, _ := orderFixture(t)
	if err := db.SetPaymentRef(ctx, 42, "cs_1"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown order: %v, want ENOTFOUND", err)
	}
}

func TestMarkPaidOnceThenIdempotent(t *testing.T) {
	db, o := pendingOrder(t)
	ctx := context.Background()
	for i, wantChanged := range []bool{true, false, false} {
		changed, err := db.MarkPaid(ctx, goodPayment(o.ID), "stripe checkout.session.completed evt_1")
		if err != nil || changed != wantChanged {
			t.Fatalf("call %d: MarkPaid = %v, %v; want %v, nil", i, changed, err, wantChanged)
		}
	}
	got := statusOf(t, db, o.ID)
	if got.Status != StatusPaid || got.PaidAt.IsZero() || got.Attention != "" {
		t.Errorf("order after payment = %+v", got)
	}
	jobs, err := db.Jobs(ctx, o.ID)
	if err != nil || len(jobs) != 1 || jobs[0].Kind != JobPlaceOrder || jobs[0].State != JobQueued ||
		jobs[0].Attempts != 0 || !jobs[0].RunAt.Equal(t0) {
		t.Errorf("Jobs = %+v, %v; want one queued place_order job", jobs, err)
	}
	if n, err := db.CountJobs(ctx, JobPlaceOrder); err != nil || n != 1 {
		t.Errorf("CountJobs = %d, %v", n, err)
	}
	evs, _ := db.OrderEvents(ctx, o.ID)
	if len(evs) != 2 || evs[1].From != StatusPendingPayment || evs[1].To != StatusPaid ||
		evs[1].Cause != "stripe checkout.session.completed evt_1" {
		t.Errorf("events = %+v", evs)
	}
}

func TestMarkPaidConcurrent(t *testing.T) {
	db, o := pendingOrder(t)
	const n = 20
	var wg sync.WaitGroup
	results := make(chan error, n)
	changedCount := make(chan bool, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			changed, err := db.MarkPaid(context.Background(), goodPayment(o.ID), "concurrent")
			results <- err
			changedCount <- changed
		}()
	}
	close(start)
	wg.Wait()
	close(results)
	close(changedCount)
	for err := range results {
		if err != nil {
			t.Errorf("MarkPaid: %v", err)
		}
	}
	changes := 0
	for c := range changedCount {
		if c {
			changes++
		}
	}
	if changes != 1 {
		t.Errorf("%d calls reported a change, want 1", changes)
	}
	if jobs, err := db.Jobs(context.Background(), o.ID); err != nil || len(jobs) != 1 {
		t.Errorf("jobs = %+v, %v; want exactly one", jobs, err)
	}
	if got := countEventsTo(t, db, o.ID, StatusPaid); got != 1 {
		t.Errorf("%d paid events, want 1", got)
	}
}

func TestMarkPaidMismatch(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Payment)
		reason string
	}{
		{"amount", func(p *Payment) { p.Amount = 1299 }, "paid 1299 usd, expected 3498 usd"},
		{"currency", func(p *Payment) { p.Currency = "EUR" }, "paid 3498 eur, expected 3498 usd"},
		{"ref", func(p *Payment) { p.Ref = "cs_other" }, `paid through session "cs_other", expected "cs_1"`},
		{"no ref", func(p *Payment) { p.Ref = "" }, `paid through session "", expected "cs_1"`},
		{"provider", func(p *Payment) { p.Provider = ProviderDemo }, `paid via "demo", expected "stripe"`},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, o := pendingOrder(t)
			p := goodPayment(o.ID)
			tt.change(&p)
			for i := 0; i < 2; i++ { // the repeat must change nothing further
				changed, err := db.MarkPaid(ctx, p, "evt")
				if !errors.Is(err, ErrPaymentMismatch) || changed {
					t.Fatalf("call %d: MarkPaid = %v, %v; want ErrPaymentMismatch", i, changed, err)
				}
				if ErrorCode(err) != ECONFLICT || !strings.Contains(ErrorMessage(err), tt.reason) {
					t.Errorf("error %q (code %s) does not explain %q", ErrorMessage(err), ErrorCode(err), tt.reason)
				}
			}
			got := statusOf(t, db, o.ID)
			if got.Status != StatusNeedsAttention || got.Attention != tt.reason || !got.PaidAt.IsZero() {
				t.Errorf("order = status %s attention %q paid %v; want needs_attention %q", got.Status, got.Attention, got.PaidAt, tt.reason)
			}
			if jobs, _ := db.Jobs(ctx, o.ID); len(jobs) != 0 {
				t.Errorf("mismatch queued jobs: %+v", jobs)
			}
			if n := countEventsTo(t, db, o.ID, StatusNeedsAttention); n != 1 {
				t.Errorf("%d needs_attention events, want 1", n)
			}
			// A matching payment does not override the operator's pending decision.
			changed, err := db.MarkPaid(ctx, goodPayment(o.ID), "late good payment")
			if changed || !errors.Is(err, ErrPaymentMismatch) || statusOf(t, db, o.ID).Status != StatusNeedsAttention {
				t.Errorf("good payment on a flagged order = %v, %v", changed, err)
			}
		})
	}
}

func TestMarkPaidAfterFailureOrExpiry(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		mark func(*DB, int64) (bool, error)
		want OrderStatus
	}{
		{"expired", func(db *DB, id int64) (bool, error) { return db.MarkExpired(ctx, id, "checkout.session.expired") }, StatusExpired},
		{"failed", func(db *DB, id int64) (bool, error) { return db.MarkPaymentFailed(ctx, id, "async_payment_failed") }, StatusPaymentFailed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, o := pendingOrder(t)
			if changed, err := tt.mark(db, o.ID); err != nil || !changed || statusOf(t, db, o.ID).Status != tt.want {
				t.Fatalf("mark = %v, %v", changed, err)
			}
			if changed, err := tt.mark(db, o.ID); err != nil || changed {
				t.Fatalf("second mark = %v, %v; want no change", changed, err)
			}
			changed, err := db.MarkPaid(ctx, goodPayment(o.ID), "late payment")
			if err != nil || !changed {
				t.Fatalf("MarkPaid after %s = %v, %v", tt.name, changed, err)
			}
			if got := statusOf(t, db, o.ID); got.Status != StatusPaid {
				t.Errorf("status %s, want paid", got.Status)
			}
			if jobs, _ := db.Jobs(ctx, o.ID); len(jobs) != 1 {
				t.Errorf("jobs = %+v, want one", jobs)
			}
		})
	}
}

func TestUnpaidMarksNeverUndoPayment(t *testing.T) {
	db, o := pendingOrder(t)
	ctx := context.Background()
	mustPay(t, db, o.ID, "cs_1")
	for name, mark := range map[string]func(context.Context, int64, string) (bool, error){
		"MarkExpired": db.MarkExpired, "MarkPaymentFailed": db.MarkPaymentFailed,
	} {
		if changed, err := mark(ctx, o.ID, "late"); err != nil || changed {
			t.Errorf("%s after paid = %v, %v; want false, nil", name, changed, err)
		}
	}
	if got := statusOf(t, db, o.ID); got.Status != StatusPaid {
		t.Errorf("status %s, want paid", got.Status)
	}
	if _, err := db.MarkExpired(ctx, 999, "x"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("MarkExpired unknown order: %v", err)
	}
}

func TestMarkPaidOnFulfilledOrders(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name         string
		path         []OrderStatus // transitions after paid
		payment      func(int64) Payment
		wantMismatch bool
	}{
		{"placing replay", []OrderStatus{StatusPlacing}, goodPayment, false},
		{"delivered replay", []OrderStatus{StatusPlacing, StatusPlaced, StatusDelivered}, goodPayment, false},
		{"needs attention with job", []OrderStatus{StatusPlacing, StatusNeedsAttention}, goodPayment, false},
		{"second session on paid order", nil, func(id int64) Payment {
			p := goodPayment(id)
			p.Ref = "cs_2"
			return p
		}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db, o := pendingOrder(t)
			mustPay(t, db, o.ID, "cs_1")
			o = statusOf(t, db, o.ID)
			for _, to := range tt.path {
				mustTransition(t, db, &o, to)
			}
			changed, err := db.MarkPaid(ctx, tt.payment(o.ID), "replay")
			if changed || errors.Is(err, ErrPaymentMismatch) != tt.wantMismatch || (!tt.wantMismatch && err != nil) {
				t.Fatalf("MarkPaid = %v, %v; want no change, mismatch %v", changed, err, tt.wantMismatch)
			}
			if got := statusOf(t, db, o.ID); got.Status != o.Status {
				t.Errorf("status %s, want unchanged %s", got.Status, o.Status)
			}
			if jobs, _ := db.Jobs(ctx, o.ID); len(jobs) != 1 {
				t.Errorf("jobs = %+v, want the original one", jobs)
			}
		})
	}
	db, _ := pendingOrder(t)
	if _, err := db.MarkPaid(ctx, goodPayment(999), "x"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown order: %v, want ENOTFOUND", err)
	}
	if _, err := db.MarkPaid(ctx, goodPayment(0), "x"); ErrorCode(err) != EINVALID {
		t.Errorf("no order: %v, want EINVALID", err)
	}
}

func TestMarkPaidStoresPaymentIntent(t *testing.T) {
	ctx := context.Background()
	db, o := pendingOrder(t)
	p := goodPayment(o.ID)
	p.PaymentIntent = "pi_1"
	if changed, err := db.MarkPaid(ctx, p, "webhook"); err != nil || !changed {
		t.Fatalf("MarkPaid = %v, %v", changed, err)
	}
	if got := statusOf(t, db, o.ID); got.PaymentIntent != "pi_1" {
		t.Errorf("PaymentIntent = %q, want pi_1", got.PaymentIntent)
	}
	// A repeat naming the same intent changes nothing; another intent is a
	// second charge and is reported.
	if changed, err := db.MarkPaid(ctx, p, "webhook again"); err != nil || changed {
		t.Errorf("repeat = %v, %v", changed, err)
	}
	p.PaymentIntent = "pi_2"
	if _, err := db.MarkPaid(ctx, p, "other charge"); !errors.Is(err, ErrPaymentMismatch) {
		t.Errorf("other intent = %v, want ErrPaymentMismatch", err)
	}
	if got := statusOf(t, db, o.ID); got.PaymentIntent != "pi_1" {
		t.Errorf("PaymentIntent overwritten: %q", got.PaymentIntent)
	}

	// Paid first without an intent (the success page), the webhook adds it.
	db2, o2 := pendingOrder(t)
	if changed, err := db2.MarkPaid(ctx, goodPayment(o2.ID), "success page"); err != nil || !changed {
		t.Fatal(err)
	}
	p2 := goodPayment(o2.ID)
	p2.PaymentIntent = "pi_late"
	if changed, err := db2.MarkPaid(ctx, p2, "webhook"); err != nil || changed {
		t.Errorf("late intent = %v, %v", changed, err)
	}
	if got := statusOf(t, db2, o2.ID); got.PaymentIntent != "pi_late" {
		t.Errorf("PaymentIntent = %q, want pi_late", got.PaymentIntent)
	}
}
