package store

import (
	"context"
	"testing"
	"time"
)

func TestRejectedAndRecentEvents(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	notices := []struct {
		verdict string
		hour    int
	}{{VerdictRejected, 0}, {VerdictRejected, 2}, {VerdictAccepted, 2}, {VerdictMalformed, 3}, {VerdictRejected, 4}}
	var lastNotice int64
	for _, n := range notices {
		clk.set(at(n.hour))
		id, _, err := db.RecordVendorNotice(ctx, VendorNotice{TradeType: "N009", Body: []byte(`{}`), Verdict: n.verdict})
		if err != nil {
			t.Fatal(err)
		}
		lastNotice = id
	}
	events := []struct {
		provider, id, verdict string
		hour                  int
	}{{ProviderStripe, "evt_1", VerdictRejected, 1}, {ProviderStripe, "evt_2", VerdictAccepted, 2},
		{ProviderStripe, "evt_3", VerdictRejected, 3}, {ProviderDemo, "demo_1", VerdictRejected, 3}}
	for _, e := range events {
		clk.set(at(e.hour))
		if _, err := db.RecordPaymentEvent(ctx, PaymentEvent{Provider: e.provider, EventID: e.id, Type: "checkout.session.completed",
			Payload: []byte(`{"id":"` + e.id + `"}`), Verdict: e.verdict}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		since          time.Time
		vendor, stripe int
	}{{time.Time{}, 3, 2}, {at(2), 2, 1}, {at(4), 1, 0}, {at(5), 0, 0}}
	for _, tt := range tests {
		v, s, err := db.RejectedNoticesSince(ctx, tt.since)
		if err != nil || v != tt.vendor || s != tt.stripe {
			t.Errorf("RejectedNoticesSince(%v) = %d, %d, %v; want %d, %d", tt.since, v, s, err, tt.vendor, tt.stripe)
		}
	}

	recent, err := db.RecentPaymentEvents(ctx, 2)
	if err != nil || len(recent) != 2 || recent[0].EventID != "demo_1" || recent[1].EventID != "evt_3" ||
		string(recent[1].Payload) != `{"id":"evt_3"}` || !recent[1].ReceivedAt.Equal(at(3)) {
		t.Fatalf("RecentPaymentEvents = %+v, %v", recent, err)
	}
	if all, _ := db.RecentPaymentEvents(ctx, 0); len(all) != 4 {
		t.Errorf("RecentPaymentEvents(0) gave %d, want the default limit to cover all 4", len(all))
	}
	e, err := db.PaymentEventByID(ctx, recent[1].ID)
	if err != nil || e.EventID != "evt_3" || e.Verdict != VerdictRejected || e.Provider != ProviderStripe {
		t.Errorf("PaymentEventByID = %+v, %v", e, err)
	}
	if _, err := db.PaymentEventByID(ctx, 999); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown payment event: %v, want ENOTFOUND", err)
	}
	n, err := db.VendorNoticeByID(ctx, lastNotice)
	if err != nil || n.ID != lastNotice || n.Verdict != VerdictRejected || !n.ReceivedAt.Equal(at(4)) {
		t.Errorf("VendorNoticeByID = %+v, %v", n, err)
	}
	if _, err := db.VendorNoticeByID(ctx, 999); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown notice: %v, want ENOTFOUND", err)
	}
}
