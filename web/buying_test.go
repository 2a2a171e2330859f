package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
)

// TestCancelledPaymentKeepsChoice: leaving the (demo) payment page lands
// on the plan with the option, quantity and email kept, a "nothing was
// charged" message, and the order still unpaid.
func TestCancelledPaymentKeepsChoice(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "10", "0.99", "usd"))
	p := someMultiTierPlan(t, s)
	tier := p.Priced[1]
	if resp := s.post(t, "/checkout?lang=es", validForm(p, tier.Copies, 3), true); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("checkout: status %d", resp.StatusCode)
	}
	o, err := s.db.OrderByID(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	resp := s.post(t, "/demo/pay/"+o.Token+"/cancel", url.Values{"_csrf": {csrfTestToken}}, true)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "cancelled="+o.Token) {
		t.Fatalf("cancel: %d → %q", resp.StatusCode, loc)
	}
	page := s.get(t, loc+"&lang=es")
	if page.Header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(page.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("the page with the order's token must be private: %v", page.Header)
	}
	d := doc(t, page)
	if got := text(d.Find("form.buy .notice")); got != views.T("es", "plan.cancelled") {
		t.Errorf("notice = %q", got)
	}
	if v, _ := d.Find(`input[name=copies]:checked`).Attr("value"); v != strconv.Itoa(tier.Copies) {
		t.Errorf("chosen option %q, want %d", v, tier.Copies)
	}
	if v, _ := d.Find(`#email`).Attr("value"); v != "traveller@example.com" {
		t.Errorf("email %q", v)
	}
	if v, _ := d.Find(`#quantity`).Attr("value"); v != "3" {
		t.Errorf("quantity %q", v)
	}
	amount, _ := billing.LineAmount(tier.Price.Amount, 3)
	if got, want := text(d.Find("[data-total]")), (billing.Money{Amount: amount, Currency: "usd"}).Format("es"); got != want {
		t.Errorf("total %q, want %q", got, want)
	}
	// Nothing changed: the order is still waiting for payment.
	if again, _ := s.db.OrderByID(context.Background(), 1); again.Status != store.StatusPendingPayment {
		t.Errorf("status %q after cancel", again.Status)
	}
	// A token that is not an unpaid order of this plan refills nothing.
	for _, bad := range []string{"nope", strings.Repeat("A", 32)} {
		if r := s.get(t, "/plans/"+p.SKUID+"?cancelled="+bad); r.StatusCode != http.StatusNotFound {
			t.Errorf("cancelled=%s: status %d, want 404", bad, r.StatusCode)
		}
	}
}

// TestBadSubmitFocusesErrors: a bad submit comes back at the form (the
// action's #buy), with an error summary linking to each bad field and
// the first one autofocused.
func TestBadSubmitFocusesErrors(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	p := someMultiTierPlan(t, s)
	f := validForm(p, p.Priced[0].Copies, 0)
	f.Set("email", "not-an-email")
	d := doc(t, s.post(t, "/checkout", f, true))
	if d.Find(`form#buy[action="/checkout#buy"]`).Length() != 1 {
		t.Fatal("the form does not post to #buy")
	}
	links := d.Find(`#form-error[role=alert] a`)
	if links.Length() != 2 || links.Eq(0).AttrOr("href", "") != "#quantity" || links.Eq(1).AttrOr("href", "") != "#email" {
		t.Errorf("summary links: %d, %q", links.Length(), links.Eq(0).AttrOr("href", ""))
	}
	if d.Find("#quantity[autofocus]").Length() != 1 || d.Find("#email[autofocus]").Length() != 0 {
		t.Error("the first bad field (quantity) should take the focus, and only it")
	}
}

// TestTripFilter: ?days= keeps the plans with an option of that length,
// each card listing only those options; an unknown value is a 400.
func TestTripFilter(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	all := doc(t, s.get(t, "/destinations/jp"))
	short := doc(t, s.get(t, "/destinations/jp?days=1-7"))
	if short.Find(".card").Length() == 0 || short.Find(".card").Length() > all.Find(".card").Length() {
		t.Fatalf("1-7 days: %d cards of %d", short.Find(".card").Length(), all.Find(".card").Length())
	}
	short.Find("a.opt .opt-label").Each(func(_ int, o *goquery.Selection) {
		n := 0
		for _, w := range strings.Fields(o.Text()) {
			if v, err := strconv.Atoi(w); err == nil {
				n = v
			}
		}
		if n < 1 || n > 7 {
			t.Errorf("1-7 days shows option %q", o.Text())
		}
	})
	if r := s.get(t, "/destinations/jp?days=99"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("days=99: status %d", r.StatusCode)
	}
}

// TestDeviceCheck: the plan page asks "Does my phone support eSIM?" next
// to the buy button, and /help/devices finds a model, says when it does
// not, and always gives the *#06# check and the carrier-lock warning.
func TestDeviceCheck(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	p := someMultiTierPlan(t, s)
	plan := doc(t, s.get(t, "/plans/"+p.SKUID+"?lang=es"))
	if plan.Find(`form#buy + details.device-check form[action="/help/devices?lang=es"], form#buy + details.device-check form[action="/help/devices"]`).Length() != 1 {
		t.Error("no device check right after the buy form")
	}
	tests := []struct {
		q, lang string
		found   string // a model shown; "" = not found
	}{
		{"pixel 8", "en", "Pixel 8a"},
		{"IPHONE 13 MINI", "es", "iPhone 13 mini"},
		{"nokia 3310", "es", ""},
	}
	for _, tt := range tests {
		resp := s.get(t, "/help/devices?model="+url.QueryEscape(tt.q)+"&lang="+tt.lang)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%q: status %d", tt.q, resp.StatusCode)
		}
		d := doc(t, resp)
		page := text(d.Selection)
		if !strings.Contains(page, "*#06#") || !strings.Contains(page, views.T(tt.lang, "devices.locked")) {
			t.Errorf("%q: EID hint or carrier-lock warning missing", tt.q)
		}
		if tt.found == "" {
			if !strings.Contains(page, views.T(tt.lang, "devices.not_found", tt.q)) {
				t.Errorf("%q: no 'not on our list' answer", tt.q)
			}
			continue
		}
		if got := text(d.Find(".notice + h3 + ul.models")); !strings.Contains(got, tt.found) {
			t.Errorf("%q: results %q lack %q", tt.q, got, tt.found)
		}
	}
}
