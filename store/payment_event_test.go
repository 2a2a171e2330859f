package store

import (
	"bytes"
	"context"
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
