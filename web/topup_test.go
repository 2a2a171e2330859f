package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/catalog"
)

// rechargeablePlan is a sellable plan whose eSIMs can be topped up.
func rechargeablePlan(t testing.TB, s *testShop) *catalog.Plan {
	t.Helper()
	snap := s.app.snapshot()
	for _, sku := range snap.SKUs() {
		if p := snap.Plan(sku); p != nil && p.Rechargeable && len(p.Priced) > 0 {
			return p
		}
	}
	t.Fatal("no rechargeable plan in the sandbox catalog")
	return nil
}

// TestTopUp buys more data for a delivered eSIM: the order page links to
// "Add data", the page lists F052's plans at the catalog's prices, the
// payment goes through the demo page, the job places F007 with the
// top-up's own number, N013 completes it once (even delivered 5 times),
// one confirmation email goes out, and the eSIM's page shows the new plan
// (F046) and the top-up.
func TestTopUp(t *testing.T) {
	s := newAdminShop(t)
	s.app.Start()
	p := rechargeablePlan(t, s)
	form := validForm(p, p.Priced[0].Copies, 1)
	resp := s.post(t, "/checkout", form, true)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("checkout: %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	token := loc[strings.LastIndex(loc, "/")+1:]
	s.post(t, "/demo/pay/"+token+"/pay", url.Values{"_csrf": {csrfTestToken}}, true)
	o, err := s.db.OrderByToken(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	o = s.waitStatus(t, o.ID, store.StatusDelivered)
	iccid := o.ESIMs[0].ICCID

	page := doc(t, s.get(t, "/orders/"+o.Token))
	href, _ := page.Find("a[data-topup-link]").Attr("href")
	if href != "/orders/"+o.Token+"/top-up?iccid="+iccid {
		t.Fatalf("Add data link %q", href)
	}
	offers := doc(t, s.get(t, href))
	choice, ok := offers.Find(`[data-topup-plan="` + p.SKUID + `"] input[name=choice]`).First().Attr("value")
	if !ok {
		t.Fatalf("the plan's own SKU is not offered: %s", text(offers.Find("main")))
	}
	price := text(offers.Find(`[data-topup-plan="` + p.SKUID + `"] .tier-price`).First())

	// Refusals: a made-up plan, someone else's eSIM, no CSRF.
	for _, bad := range []url.Values{
		{"_csrf": {csrfTestToken}, "iccid": {iccid}, "choice": {"nope:1"}},
		{"_csrf": {csrfTestToken}, "iccid": {"8985200000000000000"}, "choice": {choice}},
	} {
		if r := s.post(t, "/orders/"+o.Token+"/top-up", bad, true); r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusNotFound {
			t.Fatalf("bad top-up %v: %d", bad, r.StatusCode)
		}
	}
	if r := s.post(t, "/orders/"+o.Token+"/top-up", url.Values{"iccid": {iccid}, "choice": {choice}}, false); r.StatusCode != http.StatusForbidden {
		t.Fatalf("without CSRF: %d", r.StatusCode)
	}

	resp = s.post(t, "/orders/"+o.Token+"/top-up", url.Values{"_csrf": {csrfTestToken}, "iccid": {iccid}, "choice": {choice}}, true)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start top-up: %d", resp.StatusCode)
	}
	payURL, _ := url.Parse(resp.Header.Get("Location"))
	topToken := payURL.Path[strings.LastIndex(payURL.Path, "/")+1:]
	top, err := s.db.OrderByToken(context.Background(), topToken)
	if err != nil {
		t.Fatal(err)
	}
	if top.TopUp == nil || top.TopUp.ParentID != o.ID || top.TopUp.ICCID != iccid {
		t.Fatalf("top-up order %+v", top.TopUp)
	}
	if got := text(doc(t, s.get(t, "/demo/pay/"+topToken)).Find("[data-total]")); got != price {
		t.Fatalf("pays %q, the page offered %q", got, price)
	}
	s.sandbox.DuplicateNotices(5) // N013 arrives five times
	s.post(t, "/demo/pay/"+topToken+"/pay", url.Values{"_csrf": {csrfTestToken}}, true)
	top = s.waitStatus(t, top.ID, store.StatusDelivered)

	var f007 int
	for _, vo := range s.sandbox.Orders() {
		if vo.TradeType == "F007" {
			f007++
			if vo.ChannelOrderID != top.Number || len(vo.SubOrders) != 1 || vo.SubOrders[0].ICCIDs[0] != iccid {
				t.Fatalf("F007 %+v", vo)
			}
		}
	}
	if f007 != 1 || s.sandbox.Calls("F007") != 1 {
		t.Fatalf("%d vendor top-ups from %d F007 calls, want 1 and 1", f007, s.sandbox.Calls("F007"))
	}
	mails := s.mailsAfterSettling(t, top.ID)
	if len(mails) != 1 || mails[0].To != o.Email || !strings.Contains(mails[0].Text, "https://shop.example/orders/"+o.Token) {
		t.Fatalf("top-up mails: %+v", mails)
	}

	page = doc(t, s.get(t, "/orders/"+o.Token))
	if n := page.Find("[data-usage-plan]").Length(); n != 2 {
		t.Fatalf("the eSIM shows %d plans after the top-up, want 2 (F046 has the new one)", n)
	}
	if v, _ := page.Find("[data-topup]").Attr("data-topup"); v != top.Number {
		t.Fatalf("top-up %q not listed on the order page", v)
	}
	topPage := doc(t, s.get(t, "/orders/"+top.Token))
	if href, _ := topPage.Find("a[data-topup-parent]").Attr("href"); href != "/orders/"+o.Token {
		t.Fatalf("the top-up's page links to %q", href)
	}

	// The operator sees the top-up on its eSIM's order, and the way back.
	ac := signIn(t, s)
	if v, _ := doc(t, ac.get(t, "/admin/orders/"+o.Number)).Find("[data-section=topups] [data-topup]").Attr("data-topup"); v != top.Number {
		t.Fatalf("admin order page lists top-up %q, want %s", v, top.Number)
	}
	if got := text(doc(t, ac.get(t, "/admin/orders/"+top.Number)).Find("[data-topup-of]")); !strings.Contains(got, o.Number) || !strings.Contains(got, iccid) {
		t.Fatalf("admin top-up page: %q", got)
	}
}

// TestTopUpStripeWebhookFiveTimes: the Stripe webhook for a top-up
// delivered five times at once marks it paid once and makes one F007.
func TestTopUpStripeWebhookFiveTimes(t *testing.T) {
	st, err := billing.NewStripe(billing.StripeConfig{SecretKey: testStripeKey, WebhookSecret: testWebhookSecret, APIURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"), func(c *Config) {
		c.Payments = &countingProvider{Provider: st}
		c.StripeWebhooks = st
	})
	s.app.Start()
	ctx := context.Background()
	p := rechargeablePlan(t, s)
	tier := p.Priced[0]
	line := store.OrderLine{SKUID: p.SKUID, Title: "Top-up test", Copies: tier.Copies, Quantity: 1, Days: tier.Days,
		UnitAmount: tier.Price.Amount, Amount: tier.Price.Amount, Settlement: p.Settlement(tier.Copies)}
	pay := func(o store.NewOrder, ref string) store.Order {
		t.Helper()
		order, err := s.db.CreateOrder(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.db.SetPaymentRef(ctx, order.ID, ref); err != nil {
			t.Fatal(err)
		}
		order.PaymentRef = ref
		return order
	}
	parent := pay(store.NewOrder{Email: "t@example.com", Lang: "en", Currency: "usd", Provider: "stripe", Lines: []store.OrderLine{line}}, "cs_test_parent0001")
	if got := s.sendStripe(t, stripeEvent("evt_p", "checkout.session.completed", parent, parent.Total, "usd", "paid"), testWebhookSecret); got != http.StatusOK {
		t.Fatalf("parent webhook: %d", got)
	}
	parent = s.waitStatus(t, parent.ID, store.StatusDelivered)

	top := pay(store.NewOrder{Email: "t@example.com", Lang: "es", Currency: "usd", Provider: "stripe", Lines: []store.OrderLine{line},
		TopUp: &store.TopUp{ParentID: parent.ID, ICCID: parent.ESIMs[0].ICCID}}, "cs_test_topup00001")
	body := stripeEvent("evt_t", "checkout.session.completed", top, top.Total, "usd", "paid")
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if got := s.sendStripe(t, body, testWebhookSecret); got != http.StatusOK {
				t.Errorf("top-up webhook: %d", got)
			}
		})
	}
	wg.Wait()
	s.waitStatus(t, top.ID, store.StatusDelivered)
	if n := s.sandbox.Calls("F007"); n != 1 {
		t.Fatalf("%d F007 calls after 5 webhooks, want 1", n)
	}
	if mails := s.mailsAfterSettling(t, top.ID); len(mails) != 1 || !strings.Contains(mails[0].Subject, top.Number) {
		t.Fatalf("top-up mails %+v, want one confirmation", mails)
	}
}
