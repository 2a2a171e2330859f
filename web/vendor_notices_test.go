package web

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/catalog"
)

// planWhere returns a sellable plan matching ok.
func planWhere(t testing.TB, s *testShop, ok func(p *catalog.Plan) bool) *catalog.Plan {
	t.Helper()
	snap := s.app.snapshot()
	for _, sku := range snap.SKUs() {
		if p := snap.Plan(sku); p != nil && ok(p) {
			return p
		}
	}
	t.Fatal("no such plan in the sandbox catalog")
	return nil
}

// buyPlanAndPay checks p's cheapest tier out and pays on the demo page.
func (s *testShop) buyPlanAndPay(t testing.TB, p *catalog.Plan) store.Order {
	t.Helper()
	resp := s.post(t, "/checkout", validForm(p, p.Priced[0].Copies, 1), true)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("checkout status %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	o, err := s.db.OrderByToken(context.Background(), loc[strings.LastIndex(loc, "/")+1:])
	if err != nil {
		t.Fatal(err)
	}
	if resp := s.post(t, "/demo/pay/"+o.Token+"/pay", url.Values{"_csrf": {csrfTestToken}}, true); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay status %d", resp.StatusCode)
	}
	return o
}

// TestNoticeSecretRotation sends the sandbox's notices, over HTTP, signed
// with the current secret, the previous one (accepted only when
// BC_APP_SECRET_PREVIOUS names it) or another one, and from another
// channel id; the admin's notice view names the secret that signed.
func TestNoticeSecretRotation(t *testing.T) {
	const previous = "previous-fake-secret"
	tests := []struct {
		name       string
		configured string // BC_APP_SECRET_PREVIOUS
		signWith   string // "" = current
		channel    string // "" = the app key
		wantSigned string
		wantReason string // "" = accepted
	}{
		{"current secret", previous, "", "", store.SignedCurrent, ""},
		{"previous secret during the rotation", previous, previous, "", store.SignedPrevious, ""},
		{"previous secret after the rotation", "", previous, "", "", "bad or missing signature"},
		{"unknown secret", previous, "another-fake-secret", "", "", "bad or missing signature"},
		{"another channel", previous, "", "someone-else", "", "x-channel-id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newAdminShop(t, func(c *Config) { c.VendorSecretPrevious = tt.configured })
			s.sandbox.SignNoticesWith(tt.signWith)
			s.sandbox.SendNoticesAs(tt.channel)
			ctx := context.Background()
			err := s.sandbox.SendNotice(ctx, "N999", map[string]string{"hello": "world"})
			if (err == nil) != (tt.wantReason == "") {
				t.Fatalf("SendNotice = %v, want accepted %v", err, tt.wantReason == "")
			}
			ns, err := s.db.RecentVendorNotices(ctx, 1)
			if err != nil || len(ns) != 1 {
				t.Fatalf("notices = %+v, %v", ns, err)
			}
			n := ns[0]
			if n.SignedWith != tt.wantSigned || !strings.Contains(n.Error, tt.wantReason) {
				t.Errorf("notice signed with %q, error %q; want %q, %q", n.SignedWith, n.Error, tt.wantSigned, tt.wantReason)
			}
			if tt.wantSigned == "" {
				return
			}
			ac := signIn(t, s)
			page := doc(t, ac.get(t, "/admin/notices/vendor/"+strconv.FormatInt(n.ID, 10)))
			if got := text(page.Find("[data-signed-with]")); !strings.Contains(got, tt.wantSigned) {
				t.Errorf("admin notice view says %q, want %q", got, tt.wantSigned)
			}
		})
	}
}

// TestNoticeSignMethod checks that a notice naming another signing method
// is refused before its signature is even looked at, and changes nothing.
func TestNoticeSignMethod(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	body := []byte(`{"tradeType":"N999","tradeTime":"2026-11-27 14:05:09","tradeData":{}}`)
	for _, tt := range []struct {
		method string
		status int
	}{{"sha256", http.StatusUnauthorized}, {"MD5", http.StatusOK}, {"", http.StatusOK}} {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/billionconnect", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json;charset=UTF-8")
		req.Header.Set("x-channel-id", testAppKey)
		if tt.method != "" {
			req.Header.Set("x-sign-method", tt.method)
		}
		req.Header.Set("x-sign-value", bc.Sign(testAppSecret, body))
		resp, err := s.app.Handler().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != tt.status {
			t.Errorf("x-sign-method %q: status %d, want %d", tt.method, resp.StatusCode, tt.status)
		}
	}
	ns, _ := s.db.RecentVendorNotices(context.Background(), 3)
	if len(ns) != 3 || ns[2].Verdict != store.VerdictRejected || !strings.Contains(ns[2].Error, "x-sign-method") {
		t.Errorf("stored notices = %+v", ns)
	}
}

// TestConfirmationCodeDelivery buys a plan whose eSIMs need a confirmation
// code: the sandbox's N009 carries it (and APN credentials when the plan
// has them); the shop stores it and shows it on the order page and in the
// email, with the step that says where to type it.
func TestConfirmationCodeDelivery(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	s.app.Start()
	p := planWhere(t, s, func(p *catalog.Plan) bool { return len(p.Coverage) == 1 && p.Coverage[0].CountryCode == "CN" })
	paid := s.buyPlanAndPay(t, p)
	o := s.waitStatus(t, paid.ID, store.StatusDelivered)
	e := o.ESIMs[0]
	if !e.ConfirmationRequired || len(e.ConfirmationCode) != 6 {
		t.Fatalf("eSIM = confirmation %v %q", e.ConfirmationRequired, e.ConfirmationCode)
	}
	page := doc(t, s.get(t, "/orders/"+o.Token+"?lang=en"))
	if got := text(page.Find(`[data-value="confirmation"]`)); got != e.ConfirmationCode {
		t.Errorf("order page confirmation code = %q, want %q", got, e.ConfirmationCode)
	}
	if page.Find(`[data-step="confirmation"]`).Length() != 2 {
		t.Error("install steps do not say where to type the confirmation code")
	}
	mails := s.mailsAfterSettling(t, o.ID)
	if len(mails) != 1 || !strings.Contains(mails[0].Text, e.ConfirmationCode) || !strings.Contains(mails[0].HTML, e.ConfirmationCode) {
		t.Errorf("email lacks the confirmation code")
	}
}

// TestPartialN006 sends an N006 that, like the live one, carries only some
// F002 fields, in Chinese: the name stays English, the plan type, travel
// date flag and top-up support stay, and what it does carry (hotspot,
// days) is applied.
func TestPartialN006(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	ctx := context.Background()
	p := planWhere(t, s, func(p *catalog.Plan) bool { return p.Daily() && p.Rechargeable && p.NeedsUseTime })
	before, err := s.db.Product(ctx, p.SKUID)
	if err != nil {
		t.Fatal(err)
	}
	hotspot := "0"
	if before.HotspotRaw == "0" {
		hotspot = "1"
	}
	for _, data := range []any{
		[]map[string]any{{"skuId": p.SKUID, "name": "韩国 每日1GB", "hotspotSupport": hotspot}}, // array
		map[string]any{"skuId": p.SKUID, "name": "韩国 每日1GB", "hotspotSupport": hotspot},     // object
	} {
		if err := s.sandbox.SendNotice(ctx, "N006", data); err != nil {
			t.Fatal(err)
		}
		after, err := s.db.Product(ctx, p.SKUID)
		if err != nil {
			t.Fatal(err)
		}
		if after.HotspotRaw != hotspot || after.Name != before.Name || after.PlanType != before.PlanType ||
			!after.NeedsUseTime || !after.Rechargeable || after.DailyKB != before.DailyKB || len(after.Tiers) != len(before.Tiers) {
			t.Errorf("after N006: %+v\nbefore: %+v", after, before)
		}
	}
	// An unlimited SKU sent with only its -1 sizes stays unlimited; a
	// total plan told only "capacity -1" keeps its amount.
	u := planWhere(t, s, func(p *catalog.Plan) bool { return p.Unlimited })
	total := planWhere(t, s, func(p *catalog.Plan) bool { return !p.Daily() && p.DataKB > 0 })
	if err := s.sandbox.SendNotice(ctx, "N006", []map[string]string{
		{"skuId": u.SKUID, "capacity": "-1", "highFlowSize": "-1", "limitFlowSpeed": "-1"},
		{"skuId": total.SKUID, "capacity": "-1"},
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.db.Product(ctx, u.SKUID); !got.Unlimited {
		t.Errorf("unlimited SKU after N006: %+v", got)
	}
	if got, _ := s.db.Product(ctx, total.SKUID); got.Unlimited || got.DataKB != total.DataKB {
		t.Errorf("total SKU after N006: unlimited %v, %d KB; want %d KB", got.Unlimited, got.DataKB, total.DataKB)
	}
	if page := doc(t, s.get(t, "/plans/"+u.SKUID+"?lang=en")).Text(); !strings.Contains(page, "Unlimited") {
		t.Error("unlimited plan page does not say Unlimited")
	}
}

// TestF040Email checks whose address F040 gives the vendor, which mails
// its own eSIM email there: the shop's (BC_ORDER_EMAIL=shop) or the buyer's.
func TestF040Email(t *testing.T) {
	for _, tt := range []struct{ name, shopAddr string }{{"shop", "hello@shop.example"}, {"buyer", ""}} {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"), func(c *Config) { c.VendorOrderEmail = tt.shopAddr })
			s.app.Start()
			paid := s.buyAndPay(t, 1)
			s.waitStatus(t, paid.ID, store.StatusDelivered)
			orders := s.sandbox.Orders()
			want := tt.shopAddr
			if want == "" {
				want = paid.Email
			}
			if len(orders) != 1 || orders[0].Email != want {
				t.Errorf("F040 email = %+v, want %q", orders, want)
			}
		})
	}
}
