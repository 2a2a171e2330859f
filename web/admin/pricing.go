package admin

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/present"
)

// previewPerKind is how many SKUs of each kind the pricing preview shows.
const previewPerKind = 3

// pricingForm reads the posted rule, keyed by setting.
func pricingForm(c *fiber.Ctx) map[string]string {
	v := make(map[string]string, len(catalog.RuleFields))
	for _, f := range catalog.RuleFields {
		v[f.Key] = httpx.Truncate(strings.TrimSpace(httpx.BodyValue(c, f.Form)), 100)
	}
	return v
}

// renderPricing renders the pricing page with the given form values.
func (a *Admin) renderPricing(c *fiber.Ctx, status int, v map[string]string, errs map[string]string, preview []views.PreviewRow) error {
	p, err := a.adminPage(c, "Pricing", "pricing")
	if err != nil {
		return err
	}
	src, err := a.Catalog.RuleSource(c.UserContext())
	if err != nil {
		return err
	}
	return httpx.Render(c, status, views.AdminPricing(views.PricingData{
		AdminPage: p, Basis: v[catalog.SetBasis], FXRate: v[catalog.SetFXRate], Markup: v[catalog.SetMarkup], Charm: v[catalog.SetCharm], Currency: v[catalog.SetCurrency],
		Errors: errs, Preview: preview, PreviewAction: "/admin/pricing/preview", SaveAction: "/admin/pricing", Source: src,
	}))
}

// handlePricing serves GET /admin/pricing: the rule in force.
func (a *Admin) handlePricing(c *fiber.Ctx) error {
	return a.renderPricing(c, fiber.StatusOK, catalog.RuleValues(a.Catalog.Rule()), nil, nil)
}

// handlePricingPreview serves POST /admin/pricing/preview: current and
// new prices of a few representative SKUs, nothing saved.
func (a *Admin) handlePricingPreview(c *fiber.Ctx) error {
	v := pricingForm(c)
	rule, errs := catalog.ParseRuleValues(v)
	if errs != nil {
		return a.renderPricing(c, fiber.StatusBadRequest, v, errs, nil)
	}
	overrides, err := a.Catalog.Overrides(c.UserContext())
	if err != nil {
		return err
	}
	return a.renderPricing(c, fiber.StatusOK, v, nil, previewRows(a.Catalog.Snapshot(), rule, overrides))
}

// handlePricingSave serves POST /admin/pricing: validate, persist,
// swap the rule in and reprice the shop — no restart. Orders keep the
// prices and currency they were bought at.
func (a *Admin) handlePricingSave(c *fiber.Ctx) error {
	v := pricingForm(c)
	rule, errs := catalog.ParseRuleValues(v)
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
	if err := a.Catalog.SaveRule(ctx, rule); err != nil {
		return err
	}
	a.Log.InfoContext(c.UserContext(), "pricing rule changed", "rule", rule.String(), "admin_id", signedIn(c).AdminID)
	return done(c, "/admin/pricing", "pricing")
}

// previewRows prices the cheapest tier of a few SKUs of each kind (local,
// regional, global, daily) with the current snapshot and with rule.
func previewRows(cat *catalog.Snapshot, rule billing.Rule, overrides catalog.Overrides) []views.PreviewRow {
	skus := cat.SKUs()
	var out []views.PreviewRow
	for _, kind := range []string{catalog.ScopeLocal, catalog.ScopeRegional, catalog.ScopeGlobal, "daily"} {
		n := 0
		for _, sku := range skus {
			pl := cat.Plan(sku)
			k := pl.Scope
			if pl.Daily() {
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
func previewRow(pl *catalog.Plan, rule billing.Rule, overrides catalog.Overrides) views.PreviewRow {
	cur := pl.Cheapest()
	row := views.PreviewRow{SKU: pl.SKUID, Title: present.PlanTitle("en", pl), Basis: rule.Basis(), Copies: cur.Copies,
		Current: adminMoney(cur.Price.Amount, cur.Price.Currency), New: "not priced"}
	for _, t := range pl.Tiers {
		if t.Copies != cur.Copies {
			continue
		}
		price, err := catalog.TierPrice(rule, overrides, pl.SKUID, t, nil)
		switch {
		case err == nil:
			row.New = adminMoney(price.Amount, price.Currency)
		case errors.Is(err, billing.ErrBelowCost):
			row.New, row.BelowCost = "not sold (below cost)", true
		}
	}
	return row
}
