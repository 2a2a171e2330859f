package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/bc/sandbox"
	"github.com/esimshop/esimshop/store"
)

// TestVendorNoticeRejections checks notices that must change nothing.
func TestVendorNoticeRejections(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	paid := s.buyAndPay(t, 1)
	valid := []byte(`{"tradeType":"N009","tradeTime":"2026-11-27 14:05:09","tradeData":{"orderId":"V1","channelOrderId":"` + paid.Number +
		`","subOrderList":[{"subOrderId":"S1","channelSubOrderId":"` + paid.Lines[0].Number +
		`","iccid":"8985200000000000001","qrCodeContent":"LPA:1$smdp.example.com$ABCDEF0123456789","validTime":"2027-05-27 00:00:00"}]}}`)
	tests := []struct {
		name   string
		body   []byte
		sign   string
		path   string
		status int
	}{
		{"bad signature", valid, bc.Sign("wrong-secret", valid), "/webhooks/billionconnect", http.StatusUnauthorized},
		{"no signature", valid, "", "/webhooks/billionconnect", http.StatusUnauthorized},
		{"trailing bytes", append(append([]byte{}, valid...), []byte(`{"x":1}`)...), "", "/wp-json/bcesim/v1/webhook", http.StatusBadRequest},
		{"not json", []byte("tradeType=N009"), "", "/webhooks/billionconnect", http.StatusBadRequest},
		{"unknown type", []byte(`{"tradeType":"N999","tradeData":{}}`), "", "/webhooks/billionconnect", http.StatusOK},
		{"unknown order", []byte(strings.Replace(string(valid), paid.Number, "E999999-XXXX", 1)), "", "/wp-json/bcesim/v1/webhook", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sign := tt.sign
			if sign == "" && !strings.Contains(tt.name, "signature") {
				sign = bc.Sign(testAppSecret, tt.body)
			}
			req := httptest.NewRequest(http.MethodPost, tt.path, bytes.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json;charset=UTF-8")
			req.Header.Set("x-sign-value", sign)
			resp, err := s.app.Handler().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			o, err := s.db.OrderByID(context.Background(), paid.ID)
			if err != nil {
				t.Fatal(err)
			}
			if o.Status != store.StatusPaid || len(o.ESIMs) != 0 {
				t.Errorf("order changed: %s with %d eSIMs", o.Status, len(o.ESIMs))
			}
		})
	}
	notices, err := s.db.RecentVendorNotices(context.Background(), 20)
	if err != nil || len(notices) != len(tests) {
		t.Errorf("%d notices stored (%v), want %d", len(notices), err, len(tests))
	}
}

// TestDeliveryWithOneBadLPA checks that one unusable activation string in
// an N009 does not lose the good eSIMs, and that the operator is alerted.
func TestDeliveryWithOneBadLPA(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	paid := s.buyAndPay(t, 2)
	line := paid.Lines[0].Number
	body := []byte(`{"tradeType":"N009","tradeTime":"2026-11-27 14:05:09","tradeData":{"orderId":"V1","channelOrderId":"` + paid.Number +
		`","subOrderList":[{"subOrderId":"S1","channelSubOrderId":"` + line + `","iccid":"8985200000000000011","qrCodeContent":"LPA:1$smdp.example.com$ABCDEF0123456789"},` +
		`{"subOrderId":"S1","channelSubOrderId":"` + line + `","iccid":"8985200000000000012","qrCodeContent":"not an activation string"}]}}`)
	req := httptest.NewRequest(http.MethodPost, "/webhooks/billionconnect", bytes.NewReader(body))
	req.Header.Set("x-sign-value", bc.Sign(testAppSecret, body))
	resp, err := s.app.Handler().Test(req, -1)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("status %v, %v", resp.StatusCode, err)
	}
	o, err := s.db.OrderByID(context.Background(), paid.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.ESIMs) != 1 || o.ESIMs[0].ICCID != "8985200000000000011" {
		t.Errorf("eSIMs = %+v", o.ESIMs)
	}
	if o.Status != store.StatusNeedsAttention || !strings.Contains(o.Attention, "8985200000000000012") {
		t.Errorf("order %s, attention %q", o.Status, o.Attention)
	}
}

// TestWebhookFailureLimit checks that an address sending bad notices is
// cut off after 30 failures a minute, while genuine ones are never limited.
func TestWebhookFailureLimit(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	send := func(body []byte, signed bool) int {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/billionconnect", bytes.NewReader(body))
		if signed {
			req.Header.Set("x-sign-value", bc.Sign(testAppSecret, body))
		}
		resp, err := s.app.Handler().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	ignored := []byte(`{"tradeType":"N999","tradeData":{}}`)
	for i := range 100 {
		if st := send(ignored, true); st != http.StatusOK {
			t.Fatalf("genuine notice %d: status %d", i, st)
		}
	}
	// Verified but unusable notices are not failures of the sender's.
	for i := range 40 {
		if st := send([]byte(`{"tradeType":"N009","tradeData":null}`), true); st == http.StatusTooManyRequests {
			t.Fatalf("signed unusable notice %d: limited", i)
		}
	}
	for i := range 30 {
		if st := send(ignored, false); st != http.StatusUnauthorized {
			t.Fatalf("bad notice %d: status %d, want 401", i, st)
		}
	}
	stored := countRejected(t, s)
	for range 50 {
		if st := send(ignored, false); st != http.StatusTooManyRequests {
			t.Fatalf("bad notice past the limit: status %d, want 429", st)
		}
	}
	if after := countRejected(t, s); after != stored || stored > 20 {
		t.Errorf("rejected notices stored: %d, then %d after the flood; want at most 20 and no more", stored, after)
	}
	// The attack: from the same address (a shared proxy), the genuine N009
	// still gets through and the eSIM is delivered.
	s.app.Start()
	paid := s.buyAndPay(t, 1)
	body := []byte(`{"tradeType":"N009","tradeTime":"2026-11-27 14:05:09","tradeData":{"orderId":"V9","channelOrderId":"` + paid.Number +
		`","subOrderList":[{"subOrderId":"S1","channelSubOrderId":"` + paid.Lines[0].Number +
		`","iccid":"8985200000000000091","qrCodeContent":"LPA:1$smdp.example.com$ABCDEF0123456789"}]}}`)
	if st := send(body, true); st != http.StatusOK {
		t.Fatalf("genuine N009 after the flood: status %d, want 200", st)
	}
	if o := s.waitStatus(t, paid.ID, store.StatusDelivered); len(o.ESIMs) != 1 {
		t.Errorf("%d eSIMs delivered, want 1", len(o.ESIMs))
	}
}

// countRejected is how many unverified vendor notices are stored.
func countRejected(t *testing.T, s *testShop) int {
	t.Helper()
	list, err := s.db.RecentVendorNotices(context.Background(), 500)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range list {
		if v.Verdict == store.VerdictRejected {
			n++
		}
	}
	return n
}

// TestLaterNotices checks that the notices after delivery are applied to
// what they name: N012 (profile status) and N002/N003 (plan start and end)
// to the eSIM, N010 to the order's timeline, N006 to the catalog.
func TestLaterNotices(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	s.app.Start()
	paid := s.buyAndPay(t, 1)
	o := s.waitStatus(t, paid.ID, store.StatusDelivered)
	iccid := o.ESIMs[0].ICCID
	ctx := context.Background()
	send := func(tradeType string, data any) {
		t.Helper()
		if err := s.sandbox.SendNotice(ctx, tradeType, data); err != nil {
			t.Fatalf("%s: %v", tradeType, err)
		}
	}
	send("N012", map[string]any{"orderId": o.VendorOrderID, "channelOrderId": o.Number,
		"subOrderList": []map[string]any{{"iccid": iccid, "profileStatus": 2}}})
	send("N002", []map[string]string{{"iccid": iccid, "startTime": "2026-12-01 08:00:00", "endTime": "2026-12-08 08:00:00"}})
	send("N003", []map[string]string{{"iccid": iccid, "channelOrderId": o.Number, "endTime": "2026-12-07 20:00:00"}})
	send("N010", map[string]string{"orderId": o.VendorOrderID, "channelOrderId": o.Number})

	e, err := s.db.ESIMByICCID(ctx, iccid)
	if err != nil {
		t.Fatal(err)
	}
	if e.ProfileStatus != 2 {
		t.Errorf("profile status %d, want 2 (installed)", e.ProfileStatus)
	}
	wantStart := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) // 08:00 UTC+8
	wantEnd := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)  // N003's end wins over N002's announced one
	if !e.PlanStartAt.Equal(wantStart) || !e.PlanEndAt.Equal(wantEnd) {
		t.Errorf("plan %v – %v, want %v – %v", e.PlanStartAt, e.PlanEndAt, wantStart, wantEnd)
	}
	events, err := s.db.OrderEvents(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	noted := false
	for _, ev := range events {
		noted = noted || strings.Contains(ev.Cause, "N010")
	}
	if !noted {
		t.Error("N010 not recorded on the order")
	}

	// N006: the vendor renames a plan; the shop shows the new name.
	sku := o.Lines[0].SKUID
	var changed sandbox.SKU
	for _, k := range sandbox.Default().SKUs {
		if k.SKUID == sku {
			changed = k
		}
	}
	changed.Name = "Renamed by the vendor"
	send("N006", []sandbox.SKU{changed})
	p, err := s.db.Product(ctx, sku)
	if err != nil || p.Name != "Renamed by the vendor" || len(p.Tiers) == 0 {
		t.Errorf("after N006: name %q, %d tiers, %v", p.Name, len(p.Tiers), err)
	}
	if page := doc(t, s.get(t, "/plans/"+sku+"?lang=en")).Text(); !strings.Contains(page, "Renamed by the vendor") {
		t.Error("plan page does not show the vendor's new name")
	}
}

// TestUnusableDeliveryIsNotDropped: a signed N009 the shop cannot use is
// kept, the vendor is not told "success" (so it sends it again), the order
// it names is flagged at once, and the dashboard counts it.
func TestUnusableDeliveryIsNotDropped(t *testing.T) {
	s := newAdminShop(t)
	paid := s.buyAndPay(t, 1)
	line := paid.Lines[0].Number
	entry := `{"subOrderId":"S1","channelSubOrderId":"` + line + `","iccid":"8985200000000000071","qrCodeContent":"LPA:1$smdp.example.com$ABCDEF0123456789"`
	tests := []struct {
		name     string
		data     string
		flagsOne bool // the notice names the order, which is flagged
	}{
		{"a field of the wrong type", `{"orderId":"V1","channelOrderId":"` + paid.Number + `","subOrderList":[` + entry + `,"rechargeableESIM":[1,2]}]}`, true},
		{"no eSIM in it", `{"orderId":"V1","channelOrderId":"` + paid.Number + `","subOrderList":[]}`, true},
		{"null tradeData", `null`, false},
		{"array tradeData", `[` + entry + `}]`, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(`{"tradeType":"N009","tradeTime":"2026-11-27 14:05:09","tradeData":` + tt.data + `}`)
			req := httptest.NewRequest(http.MethodPost, "/webhooks/billionconnect", bytes.NewReader(body))
			req.Header.Set("x-sign-value", bc.Sign(testAppSecret, body))
			resp, err := s.app.Handler().Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			answer, _ := io.ReadAll(resp.Body)
			if resp.StatusCode == http.StatusOK || bytes.Contains(answer, []byte(`"1000"`)) {
				t.Errorf("answer %d %s: the vendor would never send it again", resp.StatusCode, answer)
			}
			list, err := s.db.RecentVendorNotices(context.Background(), 1)
			if err != nil || len(list) != 1 || list[0].Verdict != store.VerdictMalformed || list[0].Error == "" || !bytes.Equal(list[0].Body, body) {
				t.Fatalf("stored %+v (err %v), want the body kept as malformed with its reason", list, err)
			}
			o, err := s.db.OrderByID(context.Background(), paid.ID)
			if err != nil {
				t.Fatal(err)
			}
			if tt.flagsOne && (o.Status != store.StatusNeedsAttention || !strings.Contains(o.Attention, "N009")) {
				t.Errorf("order %s, attention %q; want it flagged about the notice", o.Status, o.Attention)
			}
			if len(o.ESIMs) != 0 {
				t.Errorf("%d eSIMs stored from an unusable notice", len(o.ESIMs))
			}
			page := doc(t, signIn(t, s).get(t, "/admin"))
			if got := text(page.Find("[data-unusable] strong")); got != strconv.Itoa(i+1) {
				t.Errorf("dashboard counts %q unusable notices, want %d", got, i+1)
			}
		})
	}
}

// sendNotice posts a signed notice and fails unless it is acknowledged.
func (s *testShop) sendNotice(t *testing.T, tradeType, tradeTime, data string) {
	t.Helper()
	body := []byte(`{"tradeType":"` + tradeType + `","tradeTime":"` + tradeTime + `","tradeData":` + data + `}`)
	req := httptest.NewRequest(http.MethodPost, "/webhooks/billionconnect", bytes.NewReader(body))
	req.Header.Set("x-sign-value", bc.Sign(testAppSecret, body))
	resp, err := s.app.Handler().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		answer, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s: status %d %s", tradeType, resp.StatusCode, answer)
	}
}

// TestProfileStatusNotices: N012s are applied by the vendor's time, only
// to the order they name, and one that beats its N009 waits for it.
func TestProfileStatusNotices(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	a, b := s.buyAndPay(t, 1), s.buyAndPay(t, 1)
	n012 := func(o store.Order, iccid string, status int) string {
		return `{"orderId":"V","channelOrderId":"` + o.Number + `","subOrderList":[{"subOrderId":"S","channelSubOrderId":"` +
			o.Lines[0].Number + `","iccid":"` + iccid + `","profileStatus":` + strconv.Itoa(status) + `}]}`
	}
	n009 := func(o store.Order, iccid string) string {
		return `{"orderId":"V` + o.Number + `","channelOrderId":"` + o.Number + `","subOrderList":[{"subOrderId":"S1","channelSubOrderId":"` +
			o.Lines[0].Number + `","iccid":"` + iccid + `","qrCodeContent":"LPA:1$smdp.example.com$ABCDEF0123456789"}]}`
	}
	status := func(iccid string) int {
		e, err := s.db.ESIMByICCID(context.Background(), iccid)
		if err != nil {
			t.Fatal(err)
		}
		return e.ProfileStatus
	}
	const iccidA, iccidB = "8985200000000000081", "8985200000000000082"

	// A's N012 arrives before its N009: kept, then applied on delivery.
	s.sendNotice(t, "N012", "2026-12-01 10:00:00", n012(a, iccidA, store.ProfileInstalled))
	s.sendNotice(t, "N009", "2026-12-01 10:00:01", n009(a, iccidA))
	if got := status(iccidA); got != store.ProfileInstalled {
		t.Errorf("A's eSIM has profile status %d after its N009, want the earlier N012's %d", got, store.ProfileInstalled)
	}
	// Out of order: "enabled" at 12:00, then a late "downloaded" of 11:00.
	s.sendNotice(t, "N012", "2026-12-01 12:00:00", n012(a, iccidA, store.ProfileEnabled))
	s.sendNotice(t, "N012", "2026-12-01 11:00:00", n012(a, iccidA, store.ProfileDownloaded))
	if got := status(iccidA); got != store.ProfileEnabled {
		t.Errorf("profile status %d, want enabled (%d): the late notice is older", got, store.ProfileEnabled)
	}
	// An N012 naming order B with A's ICCID changes nothing.
	s.sendNotice(t, "N009", "2026-12-01 10:00:02", n009(b, iccidB))
	s.sendNotice(t, "N012", "2026-12-01 13:00:00", n012(b, iccidA, store.ProfileDisabled))
	if got := status(iccidA); got != store.ProfileEnabled {
		t.Errorf("order B's notice changed A's eSIM to %d", got)
	}
	// Epoch milliseconds, as in the vendor's own example, are the vendor's time too.
	s.sendNotice(t, "N012", strconv.FormatInt(time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC).UnixMilli(), 10), n012(b, iccidB, store.ProfileEnabled))
	s.sendNotice(t, "N012", "not a time", n012(b, iccidB, store.ProfileInstalled))
	if got := status(iccidB); got != store.ProfileInstalled {
		t.Errorf("B's eSIM has %d; a notice with an unreadable time counts as now, after 14:00 UTC", got)
	}
}
