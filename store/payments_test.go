package store

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

func TestRecordPaymentEvent(t *testing.T) {
	db, o := pendingOrder(t)
	ctx := context.Background()
	first := PaymentEvent{Provider: ProviderStripe, EventID: "evt_1", Type: "checkout.session.completed",
		OrderID: o.ID, Payload: []byte(`{"id":"evt_1","n":1}`), Verdict: VerdictAccepted}
	dup, err := db.RecordPaymentEvent(ctx, first)
	if err != nil || dup {
		t.Fatalf("first RecordPaymentEvent = %v, %v", dup, err)
	}
	again := first
	again.Payload = []byte(`{"id":"evt_1","n":2}`)
	again.Verdict = VerdictRejected
	dup, err = db.RecordPaymentEvent(ctx, again)
	if err != nil || !dup {
		t.Fatalf("second RecordPaymentEvent = %v, %v; want dup", dup, err)
	}
	// Same event id from another provider is a different event.
	other := first
	other.Provider = ProviderDemo
	other.Verdict = ""
	other.Payload = nil
	if dup, err := db.RecordPaymentEvent(ctx, other); err != nil || dup {
		t.Fatalf("demo evt_1 = %v, %v; want stored", dup, err)
	}
	// An event naming no known order is still kept.
	if dup, err := db.RecordPaymentEvent(ctx, PaymentEvent{Provider: ProviderStripe, EventID: "evt_x", Type: "t", OrderID: 0, Payload: []byte("{}")}); err != nil || dup {
		t.Fatalf("orderless event = %v, %v", dup, err)
	}

	evs, err := db.PaymentEvents(ctx, o.ID)
	if err != nil || len(evs) != 2 {
		t.Fatalf("PaymentEvents = %+v, %v; want 2", evs, err)
	}
	if e := evs[0]; e.EventID != "evt_1" || e.Provider != ProviderStripe || !bytes.Equal(e.Payload, first.Payload) ||
		e.Verdict != VerdictAccepted || e.Type != first.Type || e.OrderID != o.ID || !e.ReceivedAt.Equal(t0) || e.ID <= 0 {
		t.Errorf("stored event = %+v; want the first delivery kept", e)
	}
	if e := evs[1]; e.Provider != ProviderDemo || e.Verdict != VerdictReceived || len(e.Payload) != 0 {
		t.Errorf("demo event = %+v (payload %#v)", e, e.Payload)
	}

	if err := db.SetPaymentEventVerdict(ctx, ProviderStripe, "evt_1", VerdictMismatch, 0); err != nil {
		t.Fatalf("SetPaymentEventVerdict: %v", err)
	}
	if err := db.SetPaymentEventVerdict(ctx, ProviderStripe, "evt_x", VerdictIgnored, o.ID); err != nil {
		t.Fatalf("SetPaymentEventVerdict with order: %v", err)
	}
	evs, _ = db.PaymentEvents(ctx, o.ID)
	if len(evs) != 3 || evs[0].Verdict != VerdictMismatch || evs[0].OrderID != o.ID || evs[2].EventID != "evt_x" || evs[2].Verdict != VerdictIgnored {
		t.Errorf("after verdicts = %+v", evs)
	}
}

func TestPaymentEventValidation(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	valid := PaymentEvent{Provider: ProviderStripe, EventID: "evt_1", Type: "t", Payload: []byte("{}")}
	tests := []struct {
		name   string
		change func(*PaymentEvent)
	}{
		{"no provider", func(e *PaymentEvent) { e.Provider = "" }},
		{"no event id", func(e *PaymentEvent) { e.EventID = "" }},
		{"long event id", func(e *PaymentEvent) { e.EventID = strings.Repeat("e", 256) }},
		{"verdict", func(e *PaymentEvent) { e.Verdict = "maybe" }},
		{"payload too large", func(e *PaymentEvent) { e.Payload = make([]byte, maxPayloadLen+1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := valid
			tt.change(&e)
			if _, err := db.RecordPaymentEvent(ctx, e); ErrorCode(err) != EINVALID {
				t.Errorf("RecordPaymentEvent = %v, want EINVALID", err)
			}
		})
	}
	var n int
	if err := db.writer.QueryRow(`SELECT COUNT(*) FROM payment_events`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d events stored from invalid input (%v)", n, err)
	}
	if err := db.SetPaymentEventVerdict(ctx, ProviderStripe, "evt_none", VerdictAccepted, 0); ErrorCode(err) != ENOTFOUND {
		t.Errorf("verdict for unknown event: %v, want ENOTFOUND", err)
	}
	if _, err := db.RecordPaymentEvent(ctx, valid); err != nil {
		t.Fatal(err)
	}
	if err := db.SetPaymentEventVerdict(ctx, ProviderStripe, "evt_1", "maybe", 0); ErrorCode(err) != EINVALID {
		t.Errorf("invalid verdict: %v, want EINVALID", err)
	}
}

// TestOpenUpgradesCatalogOnlyDatabase builds the database a catalog-only
// release left behind (migrations 1–2 with a product in it), then opens it
// with this build and takes an order through payment.
func TestOpenUpgradesCatalogOnlyDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	old, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), old, migrationsFS, 2); err != nil {
		t.Fatalf("migrate to 2: %v", err)
	}
	if tableExists(t, old, "orders") {
		t.Fatal("orders exists before the upgrade")
	}
	for _, sku := range []string{"A", "B"} {
		if _, err := old.Exec(`INSERT INTO products (sku_id, name, description, type, days, plan_type, data_kb,
			daily_kb, speed_after_kbps, hotspot_raw, validity_days, usage_count, rechargeable, needs_use_time,
			refund_policy, speed_limit_rule, provider, apply_to_device, region, content_hash, created_at, updated_at)
			VALUES (?, 'Plan', '', 3106, 7, 0, 1048576, 0, 0, '1', 180, 1, 0, 0, '', '', '', '', '', 'h', ?, ?)`,
			sku, t0, t0); err != nil {
			t.Fatalf("old product: %v", err)
		}
	}
	old.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applied := appliedMigrations(t, db.writer)
	if len(applied) < 3 || applied[2].version != 3 || applied[2].name != "orders" {
		t.Fatalf("applied migrations = %+v, want 003_orders", applied)
	}
	for _, table := range []string{"orders", "order_lines", "order_events", "payment_events", "jobs"} {
		if !tableExists(t, db.writer, table) {
			t.Errorf("table %s missing after upgrade", table)
		}
	}
	// Products written by the old release are what the new orders reference.
	o := mustCreate(t, db, validNewOrder())
	mustSetRef(t, db, o.ID, "cs_1")
	mustPay(t, db, o.ID, "cs_1")
	if n, err := db.CountJobs(context.Background(), JobPlaceOrder); err != nil || n != 1 {
		t.Errorf("CountJobs after upgrade = %d, %v", n, err)
	}
}
