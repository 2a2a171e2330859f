package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/httpx"
)

// countingProvider wraps a real provider and counts calls, so tests can
// assert that bad input never reaches the payment provider.
type countingProvider struct {
	billing.Provider
	creates atomic.Int32
	// session, when set, answers Session instead of the wrapped provider.
	session func(id string) (billing.SessionState, error)
}

func (p *countingProvider) CreateCheckout(ctx context.Context, r billing.CheckoutRequest) (billing.CheckoutSession, error) {
	p.creates.Add(1)
	return p.Provider.CreateCheckout(ctx, r)
}

func (p *countingProvider) Session(ctx context.Context, id string) (billing.SessionState, error) {
	if p.session != nil {
		return p.session(id)
	}
	return p.Provider.Session(ctx, id)
}

// csrfTestToken is a well-formed CSRF token for tests (43 base64url chars).
const csrfTestToken = "dGVzdC10b2tlbi10ZXN0LXRva2VuLXRlc3QtdG9rZW4"

// post sends a form with the test CSRF cookie.
func (s *testShop) post(t testing.TB, target string, form url.Values, cookie bool) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if cookie {
		req.Header.Set("Cookie", httpx.CSRFCookie+"="+csrfTestToken)
	}
	resp, err := s.app.Handler().Test(req, -1)
	if err != nil {
		t.Fatalf("POST %s: %v", target, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// someDailyPlan returns a sellable plan with several tiers.
func someMultiTierPlan(t testing.TB, s *testShop) *catalog.Plan {
	t.Helper()
	for _, code := range []string{"JP", "TH", "FR"} {
		local, _, _ := s.app.snapshot().Country(code)
		for _, p := range local {
			if len(p.Priced) >= 3 {
				return p
			}
		}
	}
	t.Fatal("no multi-tier plan in the sandbox catalog")
	return nil
}

// checkoutForm returns a valid buy form for p.
func validForm(p *catalog.Plan, copies, quantity int) url.Values {
	f := url.Values{
		"_csrf": {csrfTestToken}, "sku": {p.SKUID}, "copies": {strconv.Itoa(copies)},
		"quantity": {strconv.Itoa(quantity)}, "email": {"traveller@example.com"},
	}
	if p.NeedsUseTime {
		f.Set("travel_date", time.Now().UTC().Format(time.DateOnly))
	}
	return f
}

// TestCheckoutRejectsBadInput checks that every kind of bad input gets a
// clear error, stores nothing and never calls the payment provider.
func TestCheckoutRejectsBadInput(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	p := someMultiTierPlan(t, s)
	offered := map[int]bool{}
	for _, tr := range p.Priced {
		offered[tr.Copies] = true
	}
	notOffered := 1
	for offered[notOffered] {
		notOffered++
	}
	base := func(mod func(url.Values)) url.Values {
		f := validForm(p, p.Priced[1].Copies, 2)
		mod(f)
		return f
	}
	tests := []struct {
		name   string
		form   url.Values
		cookie bool
		status int
		field  string // the field whose error must be shown; "" for none
	}{
		{"missing csrf field", base(func(f url.Values) { f.Del("_csrf") }), true, http.StatusForbidden, ""},
		{"missing csrf cookie", base(func(url.Values) {}), false, http.StatusForbidden, ""},
		{"wrong csrf", base(func(f url.Values) { f.Set("_csrf", strings.Repeat("A", 43)) }), true, http.StatusForbidden, ""},
		{"unknown sku", base(func(f url.Values) { f.Set("sku", "no-such-sku") }), true, http.StatusNotFound, ""},
		{"hostile sku", base(func(f url.Values) { f.Set("sku", "<script>") }), true, http.StatusNotFound, ""},
		{"copies not offered", base(func(f url.Values) { f.Set("copies", strconv.Itoa(notOffered)) }), true, http.StatusBadRequest, "copies"},
		{"copies not a number", base(func(f url.Values) { f.Set("copies", "1e3") }), true, http.StatusBadRequest, "copies"},
		{"quantity 0", base(func(f url.Values) { f.Set("quantity", "0") }), true, http.StatusBadRequest, "quantity"},
		{"quantity 11", base(func(f url.Values) { f.Set("quantity", "11") }), true, http.StatusBadRequest, "quantity"},
		{"quantity text", base(func(f url.Values) { f.Set("quantity", "two") }), true, http.StatusBadRequest, "quantity"},
		{"email missing", base(func(f url.Values) { f.Del("email") }), true, http.StatusBadRequest, "email"},
		{"email malformed", base(func(f url.Values) { f.Set("email", "traveller@") }), true, http.StatusBadRequest, "email"},
		{"email with name", base(func(f url.Values) { f.Set("email", "Bob <bob@example.com>") }), true, http.StatusBadRequest, "email"},
		{"email no dot", base(func(f url.Values) { f.Set("email", "bob@localhost") }), true, http.StatusBadRequest, "email"},
		{"email header injection", base(func(f url.Values) { f.Set("email", "a@example.com\r\nBcc: x@example.com") }), true, http.StatusBadRequest, "email"},
		{"price from the browser is ignored", base(func(f url.Values) { f.Set("price", "1"); f.Set("quantity", "0") }), true, http.StatusBadRequest, "quantity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.post(t, "/checkout", tt.form, tt.cookie)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			d := doc(t, resp)
			if tt.status == http.StatusForbidden {
				// A stale CSRF token gets the filled-in form back with a fresh token.
				tok, _ := d.Find(`form[action="/checkout#buy"] input[name="_csrf"]`).Attr("value")
				email, _ := d.Find(`input[name="email"]`).Attr("value")
				if !httpx.TokenMatches(tok, cookieValue(resp, httpx.CSRFCookie, csrfTestToken)) || email != "traveller@example.com" {
					t.Errorf("CSRF failure: form token %q, email %q", tok, email)
				}
			}
			if tt.field != "" {
				if d.Find(`[aria-invalid="true"][name="`+tt.field+`"]`).Length() == 0 {
					t.Errorf("no error shown on field %s", tt.field)
				}
				if v, _ := d.Find(`input[name="email"]`).Attr("value"); tt.field != "email" && v != "traveller@example.com" {
					t.Errorf("email not kept in the re-rendered form: %q", v)
				}
			}
			if _, err := s.db.OrderByID(context.Background(), 1); store.ErrorCode(err) != store.ENOTFOUND {
				t.Errorf("an order was stored: %v", err)
			}
			if n := s.payments.creates.Load(); n != 0 {
				t.Errorf("payment provider called %d times", n)
			}
		})
	}
}

// TestCheckoutCreatesOrder checks the happy path: the order carries the
// server's price for the chosen tier, and the buyer goes to the payment page.
func TestCheckoutCreatesOrder(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "10", "0.99", "usd"))
	p := someMultiTierPlan(t, s)
	tier := p.Priced[1]
	resp := s.post(t, "/checkout", validForm(p, tier.Copies, 3), true)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", resp.StatusCode)
	}
	o, err := s.db.OrderByID(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if loc := resp.Header.Get("Location"); loc != "https://shop.example/demo/pay/"+o.Token {
		t.Errorf("redirect to %q", loc)
	}
	if o.Status != store.StatusPendingPayment || o.Total != tier.Price.Amount*3 || o.Currency != "usd" || o.Email != "traveller@example.com" {
		t.Errorf("order = %+v", o)
	}
	if len(o.Lines) != 1 || o.Lines[0].SKUID != p.SKUID || o.Lines[0].Copies != tier.Copies || o.Lines[0].Quantity != 3 || o.Lines[0].UnitAmount != tier.Price.Amount {
		t.Errorf("lines = %+v", o.Lines)
	}
	if o.PaymentRef == "" || len(o.Token) < 22 {
		t.Errorf("payment ref %q, token %q", o.PaymentRef, o.Token)
	}
}

// TestDemoPurchase goes from the buy form through the demo payment page to
// the order page showing "paid", with exactly one placement job however
// often "Pay" is pressed.
func TestDemoPurchase(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	p := someMultiTierPlan(t, s)
	resp := s.post(t, "/checkout", validForm(p, p.Priced[0].Copies, 1), true)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("checkout status %d", resp.StatusCode)
	}
	payPage := strings.TrimPrefix(resp.Header.Get("Location"), "https://shop.example")
	d := doc(t, s.get(t, payPage, "Cookie", httpx.CSRFCookie+"="+csrfTestToken))
	action, ok := d.Find(`form[action$="/pay"]`).Attr("action")
	if !ok {
		t.Fatal("no pay form on the demo payment page")
	}
	for i := 0; i < 3; i++ {
		resp = s.post(t, action, url.Values{"_csrf": {csrfTestToken}}, true)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("pay status %d", resp.StatusCode)
		}
	}
	order := resp.Header.Get("Location")
	page := s.get(t, order)
	if page.StatusCode != http.StatusOK || page.Header.Get("Cache-Control") != "no-store" || page.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("order page %d, headers %v", page.StatusCode, page.Header)
	}
	o, err := s.db.OrderByID(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != store.StatusPaid {
		t.Errorf("status %s, want paid", o.Status)
	}
	if n, _ := s.db.CountJobs(context.Background(), store.JobPlaceOrder); n != 1 {
		t.Errorf("%d placement jobs, want 1", n)
	}
	if resp := s.post(t, action, url.Values{}, true); resp.StatusCode != http.StatusForbidden {
		t.Errorf("pay without CSRF: %d", resp.StatusCode)
	}
}

// cookieValue is the cookie name as the response sets it, or def when the
// response sets none (the browser keeps the one it sent).
func cookieValue(resp *http.Response, name, def string) string {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c.Value
		}
	}
	return def
}
