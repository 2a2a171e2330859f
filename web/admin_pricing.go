package web

import (
	"context"
	"errors"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/views"
)

// Settings keys of the pricing rule. The environment's rule
// (Config.Pricing) is only the default for a key that was never saved.
const (
	setBasis    = "pricing.basis"
	setFXRate   = "pricing.fx_rate"
	setMarkup   = "pricing.markup_pct"
	setCharm    = "pricing.charm"
	setCurrency = "pricing.currency"
)

// previewPerKind is how many SKUs of each kind the pricing preview shows.
const previewPerKind = 3

// ruleFields are the pricing form's fields with the setting each is stored
// under and the prefix ParseRule gives its errors.
var ruleFields = []struct{ form, key, errPrefix string }{
	{"basis", setBasis, "PRICE_BASIS: "},
	{"fx_rate", setFXRate, "PRICE_FX_RATE: "},
	{"markup", setMarkup, "PRICE_MARKUP_PCT: "},
	{"charm", setCharm, "PRICE_CHARM: "},
	{"currency", setCurrency, "STORE_CURRENCY: "},
}

// ruleValues returns a rule's settings as text.
func ruleValues(r billing.Rule) map[string]string {
	return map[string]string{
		setBasis: r.Basis(), setFXRate: r.FXRate(), setMarkup: r.MarkupPct(), setCharm: r.Charm(), setCurrency: r.Currency(),
	}
}

// parseRuleValues builds a rule from settings text; field errors are keyed
// by form field.
func parseRuleValues(v map[string]string) (billing.Rule, map[string]string) {
	r, err := billing.ParseRule(v[setBasis], v[setFXRate], v[setMarkup], v[setCharm], v[setCurrency])
	if err == nil {
		return r, nil
	}
	errs := map[string]string{}
	for _, line := range strings.Split(err.Error(), "\n") {
		field := "form"
		for _, f := range ruleFields {
			if rest, ok := strings.CutPrefix(line, f.errPrefix); ok {
				field, line = f.form, rest
			}
		}
		if errs[field] == "" {
			errs[field] = line
		}
	}
	return billing.Rule{}, errs
}

// loadPricingRule puts the rule in force: the saved settings, each missing
// one taken from Config.Pricing. A saved rule that no longer parses (a
// currency dropped from the table, a hand-edited database) is logged and
// the environment's rule is used, so the shop still starts.
func (a *App) loadPricingRule(ctx context.Context) error {
	saved, err := a.db.Settings(ctx)
	if err != nil {
		return err
	}
	rule := a.cfg.Pricing
	values := ruleValues(rule)
	found := false
	for _, f := range ruleFields {
		if v, ok := saved[f.key]; ok {
			values[f.key], found = v, true
		}
	}
	if found {
		r, errs := parseRuleValues(values)
		if errs == nil {
			rule = r
		} else {
			a.log.Error("saved pricing rule is invalid; using the environment's", "errors", errs)
		}
	}
	a.rule.Store(&rule)
	return nil
}

// priceOverrides loads the operator's price overrides by SKU and copies.
func (a *App) priceOverrides(ctx context.Context) (priceOverrides, error) {
	list, err := a.db.PriceOverrides(ctx)
	if err != nil {
		return nil, err
	}
	out := make(priceOverrides, len(list))
	for _, o := range list {
		if out[o.SKUID] == nil {
			out[o.SKUID] = map[int]billing.Money{}
		}
		out[o.SKUID][o.Copies] = billing.Money{Amount: o.Amount, Currency: o.Currency}
	}
	return out, nil
}

// pricingSource says where the rule in force comes from.
func (a *App) pricingSource(ctx context.Context) (string, error) {
	saved, err := a.db.Settings(ctx)
	if err != nil {
		return "", err
	}
	for _, f := range ruleFields {
		if _, ok := saved[f.key]; ok {
			return "settings", nil
		}
	}
	return "environment defaults", nil
}

// pricingForm reads the posted rule, keyed by setting.
func pricingForm(c *fiber.Ctx) map[string]string {
	v := make(map[string]string, len(ruleFields))
	for _, f := range ruleFields {
		v[f.key] = truncate(strings.TrimSpace(c.FormValue(f.form)), 100)
	}
	return v
}

// renderPricing renders the pricing page with the given form values.
func (a *App) renderPricing(c *fiber.Ctx, status int, v map[string]string, errs map[string]string, preview []views.PreviewRow) error {
	p, err := a.adminPage(c, "Pricing", "pricing")
	if err != nil {
		return err
	}
	src, err := a.pricingSource(c.UserContext())
	if err != nil {
		return err
	}
	return render(c, status, views.AdminPricing(views.PricingData{
		AdminPage: p, Basis: v[setBasis], FXRate: v[setFXRate], Markup: v[setMarkup], Charm: v[setCharm], Currency: v[setCurrency],
		Errors: errs, Preview: preview, PreviewAction: "/admin/pricing/preview", SaveAction: "/admin/pricing", Source: src,
	}))
}

// handleAdminPricing serves GET /admin/pricing: the rule in force.
func (a *App) handleAdminPricing(c *fiber.Ctx) error {
	return a.renderPricing(c, fiber.StatusOK, ruleValues(a.pricingRule()), nil, nil)
}

// handleAdminPricingPreview serves POST /admin/pricing/preview: current and
// new prices of a few representative SKUs, nothing saved.
func (a *App) handleAdminPricingPreview(c *fiber.Ctx) error {
	if err := checkCSRF(c); err != nil {
		return err
	}
	v := pricingForm(c)
	rule, errs := parseRuleValues(v)
	if errs != nil {
		return a.renderPricing(c, fiber.StatusBadRequest, v, errs, nil)
	}
	overrides, err := a.priceOverrides(c.UserContext())
	if err != nil {
		return err
	}
	return a.renderPricing(c, fiber.StatusOK, v, nil, previewRows(a.catalog(), rule, overrides))
}

// handleAdminPricingSave serves POST /admin/pricing: validate, persist,
// swap the rule in and reprice the shop — no restart. Orders keep the
// prices and currency they were bought at.
func (a *App) handleAdminPricingSave(c *fiber.Ctx) error {
	if err := checkCSRF(c); err != nil {
		return err
	}
	v := pricingForm(c)
	rule, errs := parseRuleValues(v)
	if errs != nil {
		return a.renderPricing(c, fiber.StatusBadRequest, v, errs, nil)
	}
	dup, err := a.audit(c, "pricing_rule", 0, "", rule.String())
	if err != nil {
		return err
	}
	if dup {
		return done(c, "/admin/pricing", "dup")
	}
	ctx := c.UserContext()
	if err := a.db.SetSettings(ctx, ruleValues(rule)); err != nil {
		return err
	}
	a.rule.Store(&rule)
	if err := a.reloadCatalog(ctx); err != nil {
		return err
	}
	a.log.InfoContext(c.UserContext(), "pricing rule changed", "rule", rule.String(), "admin_id", signedIn(c).AdminID)
	return done(c, "/admin/pricing", "pricing")
}

// previewRows prices the cheapest tier of a few SKUs of each kind (local,
// regional, global, daily) with the current snapshot and with rule.
func previewRows(cat *catalog, rule billing.Rule, overrides priceOverrides) []views.PreviewRow {
	skus := make([]string, 0, len(cat.plans))
	for sku := range cat.plans {
		skus = append(skus, sku)
	}
	sort.Strings(skus)
	var out []views.PreviewRow
	for _, kind := range []string{scopeLocal, scopeRegional, scopeGlobal, "daily"} {
		n := 0
		for _, sku := range skus {
			pl := cat.plans[sku]
			k := pl.scope
			if pl.daily() {
				k = "daily"
			}
			if k != kind || n >= previewPerKind {
				continue
			}
			n++
			out = append(out, previewRow(pl, rule, overrides))
		}
	}
	return out
}

// previewRow prices a plan's cheapest tier now and with rule (overrides
// included, as the storefront would).
func previewRow(pl *plan, rule billing.Rule, overrides priceOverrides) views.PreviewRow {
	cur := pl.cheapest()
	row := views.PreviewRow{SKU: pl.SKUID, Title: planTitle("en", pl), Basis: rule.Basis(), Copies: cur.Copies,
		Current: adminMoney(cur.Price.Amount, cur.Price.Currency), New: "not priced"}
	for _, t := range pl.Tiers {
		if t.Copies != cur.Copies {
			continue
		}
		price, err := tierPrice(rule, overrides, pl.SKUID, t, nil)
		switch {
		case err == nil:
			row.New = adminMoney(price.Amount, price.Currency)
		case errors.Is(err, billing.ErrBelowCost):
			row.New, row.BelowCost = "not sold (below cost)", true
		}
	}
	return row
}
