package store

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestRecordVendorNoticeDuplicates(t *testing.T) {
	ctx := context.Background()
	db, clk, o := paidOrder(t)
	body := []byte(`{"tradeType":"N009","tradeData":{"orderId":"V1"}}`)
	notice := func(key string) VendorNotice {
		return VendorNotice{TradeType: "N009", Headers: `{"x-channel-id":"shop"}`, Body: body, DedupeKey: key}
	}
	// Each step records a notice, then optionally sets its verdict.
	steps := []struct {
		name    string
		key     string
		wantDup bool
		verdict string
	}{
		{"first copy, not yet acted on", "N009|V1", false, ""},
		{"second copy while the first is unaccepted", "N009|V1", false, VerdictAccepted},
		{"third copy after one was accepted", "N009|V1", true, VerdictDuplicate},
		{"another key", "N009|V2", false, VerdictRejected},
		{"a rejected key is not a duplicate", "N009|V2", false, ""},
		{"no key never dedupes", "", false, VerdictAccepted},
		{"no key again", "", false, ""},
	}
	var ids []int64
	for i, s := range steps {
		clk.set(t0.Add(time.Duration(i) * time.Second))
		id, dup, err := db.RecordVendorNotice(ctx, notice(s.key))
		if err != nil || dup != s.wantDup {
			t.Fatalf("%s: RecordVendorNotice = %d, %v, %v; want dup=%v", s.name, id, dup, err, s.wantDup)
		}
		ids = append(ids, id)
		if s.verdict != "" {
			if err := db.SetVendorNoticeVerdict(ctx, id, s.verdict, "", o.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	recent, err := db.RecentVendorNotices(ctx, 0)
	if err != nil || len(recent) != len(steps) {
		t.Fatalf("RecentVendorNotices = %d, %v; want every copy stored (%d)", len(recent), err, len(steps))
	}
	if recent[0].ID != ids[len(ids)-1] || recent[0].Verdict != VerdictReceived ||
		recent[0].Headers != `{"x-channel-id":"shop"}` || !bytes.Equal(recent[0].Body, body) ||
		!recent[0].ReceivedAt.Equal(t0.Add(6*time.Second)) {
		t.Errorf("newest notice = %+v", recent[0])
	}
	if two, _ := db.RecentVendorNotices(ctx, 2); len(two) != 2 || two[1].ID != ids[len(ids)-2] {
		t.Errorf("RecentVendorNotices(2) = %+v", two)
	}
	forOrder, err := db.VendorNotices(ctx, o.ID)
	if err != nil || len(forOrder) != 4 || forOrder[0].ID != ids[1] || forOrder[0].Verdict != VerdictAccepted ||
		forOrder[0].OrderID != o.ID {
		t.Errorf("VendorNotices = %+v, %v; want the 4 with a verdict, oldest first", forOrder, err)
	}
}

func TestVendorNoticeVerdictAndValidation(t *testing.T) {
	ctx := context.Background()
	db, _, o := paidOrder(t)
	id, _, err := db.RecordVendorNotice(ctx, VendorNotice{Body: []byte("not json"), Verdict: VerdictRejected,
		Error: "bad signature"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetVendorNoticeVerdict(ctx, id, VerdictMalformed, strings.Repeat("é", 2000), 0); err != nil {
		t.Fatal(err)
	}
	got, _ := db.RecentVendorNotices(ctx, 1)
	if len(got) != 1 || got[0].Verdict != VerdictMalformed || got[0].OrderID != 0 || got[0].Headers != "{}" ||
		got[0].TradeType != "" || string(got[0].Body) != "not json" || len(got[0].Error) > maxNoticeErrLen {
		t.Errorf("notice %+v", got)
	}
	if err := db.SetVendorNoticeVerdict(ctx, id, VerdictUnmatched, "", o.ID); err != nil {
		t.Fatal(err)
	}
	if err := db.SetVendorNoticeVerdict(ctx, id, VerdictIgnored, "", 0); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.VendorNotices(ctx, o.ID); len(got) != 1 || got[0].Verdict != VerdictIgnored {
		t.Errorf("order 0 must keep the stored order: %+v", got)
	}
	if err := db.SetVendorNoticeVerdict(ctx, 999, VerdictAccepted, "", 0); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown notice: %v, want ENOTFOUND", err)
	}
	if err := db.SetVendorNoticeVerdict(ctx, id, VerdictMismatch, "", 0); ErrorCode(err) != EINVALID {
		t.Errorf("payment-only verdict: %v, want EINVALID", err)
	}
	bad := []struct {
		name string
		n    VendorNotice
	}{
		{"headers not an object", VendorNotice{Headers: `["x"]`}},
		{"headers not JSON", VendorNotice{Headers: `{`}},
		{"unknown verdict", VendorNotice{Verdict: "maybe"}},
		{"body too large", VendorNotice{Body: make([]byte, maxPayloadLen+1)}},
		{"trade type too long", VendorNotice{TradeType: strings.Repeat("N", maxTradeTypeLen+1)}},
	}
	for _, b := range bad {
		if _, _, err := db.RecordVendorNotice(ctx, b.n); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v, want EINVALID", b.name, err)
		}
	}
}

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

// TestNoticeCopiesShareOneBody: replays of one notice store a row each
// (every delivery is evidence) but the body once; every copy still reads
// the whole body, and the purge keeps only what an order needs.
func TestNoticeCopiesShareOneBody(t *testing.T) {
	ctx := context.Background()
	db, clock, in := orderFixture(t)
	order := mustCreate(t, db, in)
	body := bytes.Repeat([]byte("x"), 100<<10)
	var ids []int64
	for range 21 {
		id, _, err := db.RecordVendorNotice(ctx, VendorNotice{TradeType: "N009", Body: body, DedupeKey: "N009:same", Verdict: VerdictAccepted})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	var stored int64
	if err := db.writer.QueryRow(`SELECT SUM(length(body)) FROM vendor_notices`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != int64(len(body)) {
		t.Errorf("%d body bytes stored for 21 copies, want %d (one body)", stored, len(body))
	}
	last, err := db.VendorNoticeByID(ctx, ids[20])
	if err != nil || !bytes.Equal(last.Body, body) || last.DuplicateOf != ids[0] {
		t.Errorf("copy: %d bytes, duplicate of %d (err %v); want the whole body, of %d", len(last.Body), last.DuplicateOf, err, ids[0])
	}

	// Purge: the first copy of a notice about an order stays; copies,
	// rejected deliveries and notices about no order older than the cut go.
	if err := db.SetVendorNoticeVerdict(ctx, ids[0], VerdictAccepted, "", order.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.RecordVendorNotice(ctx, VendorNotice{Body: []byte("junk"), Verdict: VerdictRejected}); err != nil {
		t.Fatal(err)
	}
	clock.set(t0.Add(48 * time.Hour))
	recent, _, err := db.RecordVendorNotice(ctx, VendorNotice{Body: []byte("new"), Verdict: VerdictRejected})
	if err != nil {
		t.Fatal(err)
	}
	n, err := db.PurgeVendorNotices(ctx, clock.now().Add(-24*time.Hour))
	if err != nil || n != 21 {
		t.Fatalf("purged %d (err %v), want the 20 copies and the old junk", n, err)
	}
	left, err := db.RecentVendorNotices(ctx, 100)
	if err != nil || len(left) != 2 || left[0].ID != recent || left[1].ID != ids[0] || !bytes.Equal(left[1].Body, body) {
		t.Errorf("left %d notices (err %v), want the recent one and the order's first copy", len(left), err)
	}
}
