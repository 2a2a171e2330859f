package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/catalog"
)

// ruleForm is a filled-in pricing form.
func ruleForm(basis, fx, markup, charm, currency string, n int) url.Values {
	return url.Values{"basis": {basis}, "fx_rate": {fx}, "markup": {markup}, "charm": {charm}, "currency": {currency},
		"action_id": {testActionID("pricing", n)}}
}

// checkoutTotal starts a checkout and returns the new order's total.
func checkoutTotal(t *testing.T, s *testShop, p *catalog.Plan, copies int) billing.Money {
	t.Helper()
	resp := s.post(t, "/checkout", validForm(p, copies, 2), true)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("checkout status %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	o, err := s.db.OrderByToken(context.Background(), loc[strings.LastIndex(loc, "/")+1:])
	if err != nil {
		t.Fatal(err)
	}
	return billing.Money{Amount: o.Total, Currency: o.Currency}
}

// planPagePrice returns what the plan page says for a tier, via the
// snapshot the page renders from, and checks the page shows it.
func planPagePrice(t *testing.T, s *testShop, sku string, copies int) billing.Money {
	t.Helper()
	pl := s.app.snapshot().Plan(sku)
	if pl == nil {
		t.Fatalf("plan %s not sold", sku)
	}
	tier, ok := pl.Tier(copies)
	if !ok {
		t.Fatalf("plan %s has no tier %d", sku, copies)
	}
	resp := s.get(t, "/plans/"+sku+"?copies="+strconv.Itoa(copies))
	if body := text(doc(t, resp).Find("body")); resp.StatusCode != http.StatusOK || !strings.Contains(body, tier.Price.Format("en")) {
		t.Fatalf("plan page (status %d) does not show %s", resp.StatusCode, tier.Price.Format("en"))
	}
	return tier.Price
}

// TestAdminPricingRule checks that a saved rule reprices the storefront and
// new checkouts at once, and leaves existing orders alone.
func TestAdminPricingRule(t *testing.T) {
	s := newAdminShop(t)
	ac := signIn(t, s)
	p := someMultiTierPlan(t, s)
	copies := p.Priced[0].Copies
	old := planPagePrice(t, s, p.SKUID, copies)
	existing := checkoutTotal(t, s, p, copies)

	steps := []struct {
		name     string
		form     url.Values
		currency string
		factor   float64 // expected new/old ratio, roughly (same currency)
	}{
		{"markup 50%", ruleForm("retail", "0.14", "50", "", "usd", 1), "usd", 1.5},
		{"store currency eur", ruleForm("retail", "0.13", "0", "0.99", "eur", 2), "eur", 0},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			wantDone(t, ac.post(t, "/admin/pricing", st.form), "/admin/pricing", "pricing")
			now := planPagePrice(t, s, p.SKUID, copies)
			if now.Currency != st.currency {
				t.Fatalf("price %v, want currency %s", now, st.currency)
			}
			if st.factor > 0 {
				if ratio := float64(now.Amount) / float64(old.Amount); ratio < st.factor-0.01 || ratio > st.factor+0.01 {
					t.Errorf("price %v → %v, ratio %.3f, want %.2f", old, now, ratio, st.factor)
				}
			}
			if got := checkoutTotal(t, s, p, copies); got.Currency != now.Currency || got.Amount != 2*now.Amount {
				t.Errorf("new checkout total %v, want 2 × %v", got, now)
			}
			settings, err := s.db.Settings(context.Background())
			if err != nil || settings[catalog.SetCurrency] != st.currency {
				t.Errorf("settings %v (err %v), want currency %s saved", settings, err, st.currency)
			}
		})
	}
	orders, _, err := s.db.SearchOrders(context.Background(), store.OrderFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	first := orders[len(orders)-1] // newest first
	if first.Total != existing.Amount || first.Currency != existing.Currency {
		t.Errorf("existing order now %d %s, want %v", first.Total, first.Currency, existing)
	}
	// A restarted shop loads the saved rule, not the environment's.
	restarted, err := catalog.Open(context.Background(), s.db, s.app.cfg.Pricing, s.app.log)
	if err != nil {
		t.Fatal(err)
	}
	if r := restarted.Rule(); r.Currency() != "eur" || r.Charm() != "0.99" {
		t.Errorf("reloaded rule %s", r.String())
	}
}

// TestAdminPricingValidation checks that a bad rule is refused with the
// field's error and changes nothing, and that the preview saves nothing.
func TestAdminPricingValidation(t *testing.T) {
	s := newAdminShop(t)
	ac := signIn(t, s)
	before := s.app.cat.Rule().String()
	tests := []struct {
		name, field string
		form        url.Values
	}{
		{"fx not a number", "fx_rate", ruleForm("retail", "abc", "0", "", "usd", 1)},
		{"basis unknown", "basis", ruleForm("cost", "0.14", "0", "", "usd", 2)},
		{"markup -100", "markup", ruleForm("retail", "0.14", "-100", "", "usd", 3)},
		{"currency unknown", "currency", ruleForm("retail", "0.14", "0", "", "xyz", 4)},
		{"charm too precise", "charm", ruleForm("retail", "0.14", "0", "0.999", "usd", 5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, target := range []string{"/admin/pricing", "/admin/pricing/preview"} {
				resp := ac.post(t, target, tt.form)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("%s: status %d, want 400", target, resp.StatusCode)
				}
				if _, errs := catalog.ParseRuleValues(map[string]string{catalog.SetBasis: tt.form.Get("basis"), catalog.SetFXRate: tt.form.Get("fx_rate"),
					catalog.SetMarkup: tt.form.Get("markup"), catalog.SetCharm: tt.form.Get("charm"), catalog.SetCurrency: tt.form.Get("currency")}); errs[tt.field] == "" {
					t.Errorf("no error for field %s: %v", tt.field, errs)
				}
			}
		})
	}
	resp := ac.post(t, "/admin/pricing/preview", ruleForm("retail", "0.14", "80", "", "usd", 9))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview status %d", resp.StatusCode)
	}
	if rows := doc(t, resp).Find("[data-preview-row]").Length(); rows < 4 {
		t.Errorf("preview has %d rows, want several kinds", rows)
	}
	if after := s.app.cat.Rule().String(); after != before {
		t.Errorf("rule changed from %s to %s", before, after)
	}
}

// TestAdminOverrideAndHide checks that a price override reaches the plan
// page (never below cost) and that hiding a plan takes it off the shop.
func TestAdminOverrideAndHide(t *testing.T) {
	s := newAdminShop(t)
	ac := signIn(t, s)
	p := someMultiTierPlan(t, s)
	sku, copies := p.SKUID, p.Priced[0].Copies
	computed := planPagePrice(t, s, sku, copies)
	page := adminSKUURL(sku)
	tests := []struct {
		name   string
		post   string
		form   url.Values
		status int // 303 = done
		flash  string
		want   func(t *testing.T)
	}{
		{"override", "/override", url.Values{"copies": {strconv.Itoa(copies)}, "amount": {"99.99"}}, http.StatusSeeOther, "override", func(t *testing.T) {
			if got := planPagePrice(t, s, sku, copies); got.Amount != 9999 {
				t.Errorf("price %v, want 99.99", got)
			}
		}},
		{"below cost refused", "/override", url.Values{"copies": {strconv.Itoa(copies)}, "amount": {"0.01"}}, http.StatusBadRequest, "", func(t *testing.T) {
			if got := planPagePrice(t, s, sku, copies); got.Amount != 9999 {
				t.Errorf("price %v, want 99.99 kept", got)
			}
		}},
		{"comma decimal refused", "/override", url.Values{"copies": {strconv.Itoa(copies)}, "amount": {"12,99"}}, http.StatusBadRequest, "", nil},
		{"too many decimals refused", "/override", url.Values{"copies": {strconv.Itoa(copies)}, "amount": {"12.999"}}, http.StatusBadRequest, "", nil},
		{"unknown tier refused", "/override", url.Values{"copies": {"999"}, "amount": {"12.99"}}, http.StatusBadRequest, "", nil},
		{"clear", "/override", url.Values{"copies": {strconv.Itoa(copies)}, "amount": {""}}, http.StatusSeeOther, "override-cleared", func(t *testing.T) {
			if got := planPagePrice(t, s, sku, copies); got != computed {
				t.Errorf("price %v, want the computed %v", got, computed)
			}
		}},
		{"hide", "/hide", url.Values{"hidden": {"1"}}, http.StatusSeeOther, "hidden", func(t *testing.T) {
			if resp := s.get(t, "/plans/"+sku); resp.StatusCode != http.StatusNotFound {
				t.Errorf("hidden plan page: status %d, want 404", resp.StatusCode)
			}
		}},
		{"show", "/hide", url.Values{"hidden": {"0"}}, http.StatusSeeOther, "shown", func(t *testing.T) {
			if resp := s.get(t, "/plans/"+sku); resp.StatusCode != http.StatusOK {
				t.Errorf("shown plan page: status %d, want 200", resp.StatusCode)
			}
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("action_id", testActionID("sku", i))
			resp := ac.post(t, page+tt.post, tt.form)
			if tt.status == http.StatusSeeOther {
				wantDone(t, resp, page, tt.flash)
			} else if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.want != nil {
				tt.want(t)
			}
		})
	}
}

// TestAdminFeatured checks the home page's featured destinations.
func TestAdminFeatured(t *testing.T) {
	s := newAdminShop(t)
	ac := signIn(t, s)
	tests := []struct {
		in     string
		status int
		want   []string
	}{
		{"fr, jp,FR uk", http.StatusSeeOther, []string{"FR", "JP", "GB"}},
		{"FRA", http.StatusSeeOther, []string{"FR", "JP", "GB"}},
		{"<b>", http.StatusSeeOther, []string{"FR", "JP", "GB"}},
		{"JP,XX", http.StatusSeeOther, []string{"FR", "JP", "GB"}},
	}
	for i, tt := range tests {
		resp := ac.post(t, "/admin/catalog/featured", url.Values{"featured": {tt.in}, "action_id": {testActionID("featured", i)}})
		if resp.StatusCode != tt.status {
			t.Fatalf("%q: status %d, want %d", tt.in, resp.StatusCode, tt.status)
		}
		// A refused list comes back with a message naming what is expected.
		if i > 0 && !strings.HasSuffix(resp.Header.Get("Location"), "done=featured-invalid") {
			t.Errorf("%q: redirected to %q", tt.in, resp.Header.Get("Location"))
		}
		if got := s.app.snapshot().Featured(); !slices.Equal(got, tt.want) {
			t.Errorf("%q: featured %v, want %v", tt.in, got, tt.want)
		}
	}
	if resp := s.get(t, "/"); resp.StatusCode != http.StatusOK {
		t.Errorf("home page: status %d", resp.StatusCode)
	}
}
