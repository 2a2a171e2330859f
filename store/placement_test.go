package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestMarkPlacing(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		from    OrderStatus
		changed bool
		code    string
		to      OrderStatus
	}{
		{StatusPaid, true, "", StatusPlacing},
		{StatusPlacing, false, "", StatusPlacing},
		{StatusPlaced, false, ECONFLICT, StatusPlaced},
		{StatusDelivered, false, ECONFLICT, StatusDelivered},
		{StatusNeedsAttention, false, ECONFLICT, StatusNeedsAttention},
		{StatusPendingPayment, false, ECONFLICT, StatusPendingPayment},
	}
	for _, tt := range tests {
		t.Run(string(tt.from), func(t *testing.T) {
			db, _, o := paidOrder(t)
			setStatus(t, db, o.ID, tt.from)
			changed, err := db.MarkPlacing(ctx, o.ID, "place_order attempt 1")
			if changed != tt.changed || ErrorCode(err) != tt.code {
				t.Fatalf("MarkPlacing = %v, %v; want %v, code %q", changed, err, tt.changed, tt.code)
			}
			if got := statusOf(t, db, o.ID).Status; got != tt.to {
				t.Errorf("status %s, want %s", got, tt.to)
			}
		})
	}
	db, _, _ := paidOrder(t)
	if _, err := db.MarkPlacing(ctx, 999, "x"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown order: %v, want ENOTFOUND", err)
	}
}

func TestMarkPlaced(t *testing.T) {
	ctx := context.Background()
	reconcileAt := t0.Add(30 * time.Minute)
	tests := []struct {
		from      OrderStatus
		code      string
		to        OrderStatus
		reconcile int
		note      string
	}{
		{StatusPlacing, "", StatusPlaced, 1, ""},
		{StatusPaid, "", StatusPlaced, 1, ""},
		{StatusPlaced, "", StatusPlaced, 1, ""},
		{StatusNeedsAttention, "", StatusNeedsAttention, 1, "status left for the operator"},
		{StatusPendingPayment, ECONFLICT, StatusPendingPayment, 0, ""},
		{StatusExpired, ECONFLICT, StatusExpired, 0, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.from), func(t *testing.T) {
			db, clk, o := paidOrder(t)
			setStatus(t, db, o.ID, tt.from)
			at := t0.Add(2 * time.Minute)
			clk.set(at)
			subs := map[string]string{o.Lines[0].Number: "S1", strings.ToLower(o.Lines[1].Number): "S2"}
			err := db.MarkPlaced(ctx, o.ID, "V1", subs, reconcileAt)
			if ErrorCode(err) != tt.code {
				t.Fatalf("MarkPlaced = %v, want code %q", err, tt.code)
			}
			got := statusOf(t, db, o.ID)
			if got.Status != tt.to {
				t.Errorf("status %s, want %s", got.Status, tt.to)
			}
			if n := countJobsOf(t, db, JobReconcile, o.ID); n != tt.reconcile {
				t.Errorf("%d reconcile jobs, want %d", n, tt.reconcile)
			}
			if tt.code != "" {
				if got.VendorOrderID != "" || !got.PlacedAt.IsZero() || got.Lines[0].VendorSubOrderID != "" {
					t.Errorf("refused MarkPlaced stored ids: %+v", got)
				}
				return
			}
			if got.VendorOrderID != "V1" || !got.PlacedAt.Equal(at) ||
				got.Lines[0].VendorSubOrderID != "S1" || got.Lines[1].VendorSubOrderID != "S2" {
				t.Errorf("vendor ids not stored: %+v", got)
			}
			if j, _ := db.JobByKind(ctx, JobReconcile, o.ID); !j.RunAt.Equal(reconcileAt) {
				t.Errorf("reconcile job at %v, want %v", j.RunAt, reconcileAt)
			}
			if ns := notes(t, db, o.ID); (tt.note == "") != (len(ns) == 0) ||
				(tt.note != "" && !strings.Contains(ns[0], tt.note)) {
				t.Errorf("notes %q, want %q", ns, tt.note)
			}
			// The same reply again (a re-claimed job) changes nothing.
			clk.set(at.Add(time.Hour))
			if err := db.MarkPlaced(ctx, o.ID, "V1", subs, reconcileAt.Add(time.Hour)); err != nil {
				t.Fatalf("repeated MarkPlaced: %v", err)
			}
			again := statusOf(t, db, o.ID)
			if !again.PlacedAt.Equal(at) || again.Status != tt.to || countJobsOf(t, db, JobReconcile, o.ID) != 1 {
				t.Errorf("repeated MarkPlaced changed the order: %+v", again)
			}
		})
	}
}

func TestMarkPlacedConflictsAndNotes(t *testing.T) {
	ctx := context.Background()
	db, _, o := paidOrder(t)
	mustPlacing(t, db, o.ID)
	if err := db.MarkPlaced(ctx, o.ID, " ", nil, time.Time{}); ErrorCode(err) != EINVALID {
		t.Errorf("empty vendor id: %v, want EINVALID", err)
	}
	subs := map[string]string{o.Lines[0].Number: "S1", o.Number + "-7": "S7"}
	if err := db.MarkPlaced(ctx, o.ID, "V1", subs, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if n := countJobsOf(t, db, JobReconcile, o.ID); n != 0 {
		t.Errorf("zero reconcileAt queued %d jobs", n)
	}
	if ns := notes(t, db, o.ID); len(ns) != 1 || !strings.Contains(ns[0], o.Number+"-7") {
		t.Errorf("notes %q, want one about the unknown line", ns)
	}
	if err := db.MarkPlaced(ctx, o.ID, "V2", nil, time.Time{}); ErrorCode(err) != ECONFLICT {
		t.Errorf("second vendor order id: %v, want ECONFLICT", err)
	}
	// A different sub-order id for a known line keeps the first one.
	if err := db.MarkPlaced(ctx, o.ID, "V1", map[string]string{o.Lines[0].Number: "S9"}, time.Time{}); err != nil {
		t.Fatal(err)
	}
	got := statusOf(t, db, o.ID)
	if got.VendorOrderID != "V1" || got.Lines[0].VendorSubOrderID != "S1" {
		t.Errorf("ids overwritten: %q %q", got.VendorOrderID, got.Lines[0].VendorSubOrderID)
	}
	if ns := notes(t, db, o.ID); len(ns) != 2 || !strings.Contains(ns[1], `"S9"`) {
		t.Errorf("notes %q, want one about S9", ns)
	}
}

func TestMarkNeedsAttention(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		from      OrderStatus
		changed   bool
		to        OrderStatus
		attention string
	}{
		{StatusPaid, true, StatusNeedsAttention, "F040 failed"},
		{StatusPlacing, true, StatusNeedsAttention, "F040 failed"},
		{StatusPlaced, true, StatusNeedsAttention, "F040 failed"},
		{StatusPendingPayment, true, StatusNeedsAttention, "F040 failed"},
		{StatusNeedsAttention, false, StatusNeedsAttention, "F040 failed"},
		{StatusDelivered, false, StatusDelivered, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.from), func(t *testing.T) {
			db, _, o := paidOrder(t)
			setStatus(t, db, o.ID, tt.from)
			changed, err := db.MarkNeedsAttention(ctx, o.ID, " F040 failed ", "2005", "insufficient balance")
			if err != nil || changed != tt.changed {
				t.Fatalf("MarkNeedsAttention = %v, %v; want %v", changed, err, tt.changed)
			}
			got := statusOf(t, db, o.ID)
			if got.Status != tt.to || got.Attention != tt.attention || got.VendorCode != "2005" ||
				got.VendorMsg != "insufficient balance" {
				t.Errorf("order = %s %q %q %q", got.Status, got.Attention, got.VendorCode, got.VendorMsg)
			}
			if !tt.changed {
				if ns := notes(t, db, o.ID); len(ns) != 1 || !strings.Contains(ns[0], "F040 failed") {
					t.Errorf("notes %q, want the reason", ns)
				}
			}
		})
	}
	db, _, o := paidOrder(t)
	if _, err := db.MarkNeedsAttention(ctx, o.ID, " ", "", ""); ErrorCode(err) != EINVALID {
		t.Errorf("no reason: %v, want EINVALID", err)
	}
	if _, err := db.MarkNeedsAttention(ctx, 999, "x", "", ""); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown order: %v, want ENOTFOUND", err)
	}
	// Without a vendor error the last one is kept.
	if _, err := db.MarkNeedsAttention(ctx, o.ID, "first", "2005", "busy"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MarkNeedsAttention(ctx, o.ID, "second", "", ""); err != nil {
		t.Fatal(err)
	}
	if got := statusOf(t, db, o.ID); got.Attention != "second" || got.VendorCode != "2005" || got.VendorMsg != "busy" {
		t.Errorf("order = %q %q %q", got.Attention, got.VendorCode, got.VendorMsg)
	}
}
