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
