package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestStoreDeliveryDeliversFromEveryPaidState(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		setup func(t *testing.T, db *DB, o Order)
	}{
		{"paid (N009 before the job ran)", func(t *testing.T, db *DB, o Order) {}},
		{"placing (N009 before the F040 reply)", func(t *testing.T, db *DB, o Order) { mustPlacing(t, db, o.ID) }},
		{"placed", func(t *testing.T, db *DB, o Order) {
			mustPlacing(t, db, o.ID)
			if err := db.MarkPlaced(ctx, o.ID, "V1", nil, t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
		}},
		{"needs_attention", func(t *testing.T, db *DB, o Order) {
			if _, err := db.MarkNeedsAttention(ctx, o.ID, "F040 failed 5 times", "2001", "busy"); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, clk, o := paidOrder(t)
			tt.setup(t, db, o)
			at := t0.Add(7 * time.Minute)
			clk.set(at)
			added, delivered, err := db.StoreDelivery(ctx, strings.ToLower(o.Number), "V1", fullDelivery(o))
			if err != nil || added != 3 || !delivered {
				t.Fatalf("StoreDelivery = %d, %v, %v; want 3, true", added, delivered, err)
			}
			got := statusOf(t, db, o.ID)
			if got.Status != StatusDelivered || !got.DeliveredAt.Equal(at) || got.Attention != "" ||
				got.VendorOrderID != "V1" || len(got.ESIMs) != 3 {
				t.Errorf("order after delivery: %+v", got)
			}
			for _, l := range got.Lines {
				if l.VendorSubOrderID != "SUB-"+l.Number {
					t.Errorf("line %s vendor sub-order %q", l.Number, l.VendorSubOrderID)
				}
			}
			if n := countJobsOf(t, db, JobSendESIMEmail, o.ID); n != 1 {
				t.Errorf("%d email jobs, want 1", n)
			}
			if j, _ := db.JobByKind(ctx, JobSendESIMEmail, o.ID); j.State != JobQueued || !j.RunAt.Equal(at) {
				t.Errorf("email job %+v, want queued at %v", j, at)
			}
		})
	}
}

func TestDeliveryBeforePlacedThenMarkPlaced(t *testing.T) {
	ctx := context.Background()
	db, clk, o := paidOrder(t)
	mustPlacing(t, db, o.ID)
	if _, delivered, err := db.StoreDelivery(ctx, o.Number, "", fullDelivery(o)); err != nil || !delivered {
		t.Fatalf("StoreDelivery = %v, %v", delivered, err)
	}
	placedAt := t0.Add(time.Minute)
	clk.set(placedAt)
	subs := map[string]string{o.Lines[0].Number: "SUB-" + o.Lines[0].Number, o.Lines[1].Number: "SUB-" + o.Lines[1].Number}
	if err := db.MarkPlaced(ctx, o.ID, "V1", subs, t0.Add(time.Hour)); err != nil {
		t.Fatalf("MarkPlaced after delivery: %v", err)
	}
	got := statusOf(t, db, o.ID)
	if got.Status != StatusDelivered || got.VendorOrderID != "V1" || !got.PlacedAt.Equal(placedAt) {
		t.Errorf("order = status %s vendor %q placed %v; want delivered, V1, %v", got.Status, got.VendorOrderID, got.PlacedAt, placedAt)
	}
	if n := countJobsOf(t, db, JobReconcile, o.ID); n != 0 {
		t.Errorf("%d reconcile jobs for a delivered order, want 0", n)
	}
	if n := countEventsTo(t, db, o.ID, StatusDelivered); n != 1 {
		t.Errorf("%d events to delivered, want 1", n)
	}
}

func TestStoreDeliveryTwiceAddsNothing(t *testing.T) {
	ctx := context.Background()
	db, _, o := paidOrder(t)
	for i, want := range []struct {
		added     int
		delivered bool
	}{{3, true}, {0, false}, {0, false}} {
		added, delivered, err := db.StoreDelivery(ctx, o.Number, "V1", fullDelivery(o))
		if err != nil || added != want.added || delivered != want.delivered {
			t.Errorf("call %d: StoreDelivery = %d, %v, %v; want %d, %v", i, added, delivered, err, want.added, want.delivered)
		}
	}
	if n := countJobsOf(t, db, JobSendESIMEmail, o.ID); n != 1 {
		t.Errorf("%d email jobs, want 1", n)
	}
	if got := statusOf(t, db, o.ID); len(got.ESIMs) != 3 {
		t.Errorf("%d eSIMs stored, want 3", len(got.ESIMs))
	}
	if n := countEventsTo(t, db, o.ID, StatusDelivered); n != 1 {
		t.Errorf("%d events to delivered, want 1", n)
	}
}

func TestPartialDelivery(t *testing.T) {
	ctx := context.Background()
	db, _, o := paidOrder(t)
	mustPlacing(t, db, o.ID)
	if err := db.MarkPlaced(ctx, o.ID, "V1", nil, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	all := fullDelivery(o)
	steps := []struct {
		name      string
		esims     []ESIM
		added     int
		delivered bool
		status    OrderStatus
	}{
		{"line 1 complete, line 2 missing", all[:2], 2, false, StatusPlaced},
		{"one repeated", all[1:2], 0, false, StatusPlaced},
		{"the rest, with a repeat", all[1:], 1, true, StatusDelivered},
	}
	for _, s := range steps {
		added, delivered, err := db.StoreDelivery(ctx, o.Number, "V1", s.esims)
		if err != nil || added != s.added || delivered != s.delivered {
			t.Fatalf("%s: StoreDelivery = %d, %v, %v; want %d, %v", s.name, added, delivered, err, s.added, s.delivered)
		}
		if got := statusOf(t, db, o.ID); got.Status != s.status {
			t.Fatalf("%s: status %s, want %s", s.name, got.Status, s.status)
		}
		wantJobs := 0
		if s.status == StatusDelivered {
			wantJobs = 1
		}
		if n := countJobsOf(t, db, JobSendESIMEmail, o.ID); n != wantJobs {
			t.Fatalf("%s: %d email jobs, want %d", s.name, n, wantJobs)
		}
	}
	// Fewer eSIMs than the quantity on a single line is not delivered either.
	db2, _, o2 := paidOrder(t)
	one := []ESIM{esimFor(o2.Lines[0].Number, "1111"), esimFor(o2.Lines[1].Number, "2222")}
	if _, delivered, err := db2.StoreDelivery(ctx, o2.Number, "", one); err != nil || delivered {
		t.Errorf("1 of 2 on line 1: delivered=%v, %v; want false", delivered, err)
	}
}

func TestStoreDeliveryRejectsAndNotes(t *testing.T) {
	ctx := context.Background()
	db, _, o := paidOrder(t)
	other := newPaidOrder(t, db, "cs_2")
	if _, _, err := db.StoreDelivery(ctx, other.Number, "V2", fullDelivery(other)[:1]); err != nil {
		t.Fatal(err)
	}
	taken := fullDelivery(other)[0] // ICCID owned by the other order
	taken.LineNumber = o.Lines[0].Number
	noICCID := esimFor(o.Lines[0].Number, "")
	noLPA := esimFor(o.Lines[0].Number, "3333")
	noLPA.LPA = " "

	tests := []struct {
		name     string
		order    string
		esims    []ESIM
		wantCode string
		added    int
		note     string
	}{
		{"unknown order", "E999999-XXXX", fullDelivery(o), ENOTFOUND, 0, ""},
		{"empty order number", " ", fullDelivery(o), ENOTFOUND, 0, ""},
		{"no eSIMs", o.Number, nil, EINVALID, 0, ""},
		{"no line matches", o.Number, []ESIM{esimFor(o.Number+"-9", "4444"), esimFor(other.Lines[0].Number, "5555")}, EINVALID, 0, ""},
		{"only invalid eSIMs", o.Number, []ESIM{noICCID, noLPA}, EINVALID, 0, ""},
		{"unknown line skipped", o.Number, []ESIM{esimFor(o.Number+"-9", "6666"), esimFor(o.Lines[0].Number, "7777")}, "", 1, `line "` + o.Number + `-9"`},
		{"ICCID of another order not moved", o.Number, []ESIM{taken}, "", 0, "belongs to order id"},
		{"invalid eSIM skipped", o.Number, []ESIM{noLPA, esimFor(o.Lines[1].Number, "8888")}, "", 1, "LPA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(statusOf(t, db, o.ID).ESIMs)
			added, delivered, err := db.StoreDelivery(ctx, tt.order, "V1", tt.esims)
			if ErrorCode(err) != tt.wantCode || added != tt.added || delivered {
				t.Fatalf("StoreDelivery = %d, %v, %v; want %d, code %q", added, delivered, err, tt.added, tt.wantCode)
			}
			after := statusOf(t, db, o.ID)
			if len(after.ESIMs) != before+tt.added {
				t.Errorf("%d eSIMs stored, want %d", len(after.ESIMs), before+tt.added)
			}
			if tt.note != "" {
				ns := notes(t, db, o.ID)
				if len(ns) == 0 || !strings.Contains(ns[len(ns)-1], tt.note) {
					t.Errorf("notes %q, want the last to mention %q", ns, tt.note)
				}
			}
		})
	}
	if e, err := db.ESIMByICCID(ctx, taken.ICCID); err != nil || e.OrderID != other.ID {
		t.Errorf("taken eSIM = %+v, %v; want it still on order %d", e, err, other.ID)
	}
}

// TestStoreDeliveryNeverDeliversUnpaidOrder: eSIMs for an order that was
// never paid are kept for the operator, who is told at once; the order is
// never delivered, whichever status it is in when they arrive (an earlier
// bad notice may have flagged it already) and however often they come.
func TestStoreDeliveryNeverDeliversUnpaidOrder(t *testing.T) {
	ctx := context.Background()
	for _, from := range []OrderStatus{StatusPendingPayment, StatusNeedsAttention, StatusExpired, StatusPaymentFailed} {
		t.Run(string(from), func(t *testing.T) {
			db, _, in := orderFixture(t)
			o := mustCreate(t, db, in)
			setStatus(t, db, o.ID, from)
			for range 2 {
				added, delivered, err := db.StoreDelivery(ctx, o.Number, "V1", fullDelivery(o))
				if err != nil || delivered {
					t.Fatalf("StoreDelivery on an unpaid order = %d, %v, %v; want stored, not delivered", added, delivered, err)
				}
			}
			got := statusOf(t, db, o.ID)
			if got.Status != StatusNeedsAttention || !strings.Contains(got.Attention, "not paid") || !got.DeliveredAt.IsZero() {
				t.Errorf("status %s, attention %q, delivered %v; want needs_attention about the missing payment", got.Status, got.Attention, got.DeliveredAt)
			}
			if len(got.ESIMs) != 3 {
				t.Errorf("%d eSIMs kept, want 3", len(got.ESIMs))
			}
			if n := countJobsOf(t, db, JobSendESIMEmail, o.ID); n != 0 {
				t.Errorf("%d email jobs for an unpaid order", n)
			}
		})
	}
}

func TestESIMsRoundTripInLineOrder(t *testing.T) {
	ctx := context.Background()
	db, clk, o := paidOrder(t)
	at := t0.Add(3 * time.Minute)
	clk.set(at)
	in := fullDelivery(o)
	in[0].InstallBy = time.Time{} // absent validTime
	// Deliver line 2 first: eSIMs still come back line by line.
	if _, _, err := db.StoreDelivery(ctx, o.Number, "V1", []ESIM{in[2], in[0], in[1]}); err != nil {
		t.Fatal(err)
	}
	got := statusOf(t, db, o.ID).ESIMs
	if len(got) != 3 {
		t.Fatalf("%d eSIMs, want 3", len(got))
	}
	for i, want := range []ESIM{in[0], in[1], in[2]} {
		line := o.Lines[0]
		if i == 2 {
			line = o.Lines[1]
		}
		want.OrderID, want.LineID, want.ProfileStatus, want.CreatedAt = o.ID, line.ID, ProfileUnknown, at
		want.ID = got[i].ID
		if got[i] != want {
			t.Errorf("eSIM %d =\n%+v\nwant\n%+v", i, got[i], want)
		}
		byICCID, err := db.ESIMByICCID(ctx, want.ICCID)
		if err != nil || byICCID != got[i] {
			t.Errorf("ESIMByICCID(%s) = %+v, %v", want.ICCID, byICCID, err)
		}
	}
	if _, err := db.ESIMByICCID(ctx, "nope"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("ESIMByICCID(unknown) = %v, want ENOTFOUND", err)
	}
}

// TestStoreDeliveryNeverOverfillsALine checks that a second, different
// delivery for an already delivered order adds no eSIM beyond what was
// bought, and leaves a note for the operator.
func TestStoreDeliveryNeverOverfillsALine(t *testing.T) {
	ctx := context.Background()
	db, _, o := paidOrder(t)
	if _, _, err := db.StoreDelivery(ctx, o.Number, "V1", fullDelivery(o)); err != nil {
		t.Fatal(err)
	}
	var other []ESIM
	for i, e := range fullDelivery(o) {
		e.ICCID = "89000000000000009" + string(rune('0'+i))
		other = append(other, e)
	}
	added, delivered, err := db.StoreDelivery(ctx, o.Number, "V1", other)
	if err != nil || added != 0 || delivered {
		t.Fatalf("second delivery = %d, %v, %v; want nothing added", added, delivered, err)
	}
	if got := statusOf(t, db, o.ID); len(got.ESIMs) != 3 {
		t.Errorf("%d eSIMs stored, want 3", len(got.ESIMs))
	}
	events, err := db.OrderEvents(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, e := range events {
		if strings.Contains(e.Cause, "extra eSIM") {
			notes++
		}
	}
	if notes == 0 {
		t.Error("no note about the extra eSIMs")
	}
}
