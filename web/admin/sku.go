package admin

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/httpx"
)

// adminProduct loads the product an admin URL names (active or not), or a 404.
func (a *Admin) adminProduct(c *fiber.Ctx) (store.Product, error) {
	sku := c.Params("sku")
	if !catalog.ValidSKU(sku) {
		return store.Product{}, httpx.NotFound("error.unknown_plan")
	}
	p, err := a.DB.Product(c.UserContext(), sku)
	if store.ErrorCode(err) == store.ENOTFOUND {
		return p, httpx.NotFound("error.unknown_plan")
	}
	return p, err
}

// skuURL is a SKU's admin page.
func skuURL(sku string) string { return "/admin/catalog/" + url.PathEscape(sku) }

// handleSKU serves GET /admin/catalog/{sku}.
func (a *Admin) handleSKU(c *fiber.Ctx) error {
	p, err := a.adminProduct(c)
	if err != nil {
		return err
	}
	return a.renderSKU(c, fiber.StatusOK, p, "")
}

// renderSKU renders a SKU's page: vendor data, and per tier its cost, the
// rule's price, the override and what the shop sells it for. problem, if
// set, is shown as an error flash (a refused override).
func (a *Admin) renderSKU(c *fiber.Ctx, status int, p store.Product, problem string) error {
	pg, err := a.adminPage(c, "SKU "+p.SKUID, "catalog")
	if err != nil {
		return err
	}
	if problem != "" {
		pg.Flash, pg.FlashError = problem, true
	}
	overrides, err := a.Catalog.Overrides(c.UserContext())
	if err != nil {
		return err
	}
	rule := a.Catalog.Rule()
	d := views.SKUData{
		AdminPage: pg, SKU: p.SKUID, Name: p.Name, Type: strconv.Itoa(p.Type) + " · " + planTypeName(p.PlanType),
		Region: p.Region, Active: p.Active, Hidden: p.Hidden, Vendor: vendorFields(p), Currency: rule.Currency(),
		HideAction: skuURL(p.SKUID) + "/hide", OverrideAction: skuURL(p.SKUID) + "/override",
	}
	pl := a.Catalog.Snapshot().Plan(p.SKUID)
	if pl != nil {
		d.PublicURL = "/plans/" + url.PathEscape(p.SKUID)
	}
	for _, cv := range p.Coverage {
		row := views.CoverageRow{Code: cv.CountryCode, Name: views.CountryName("en", cv.CountryCode), Flag: views.Flag(cv.CountryCode), APN: cv.APN, APNManual: cv.APNManual}
		for _, o := range cv.Operators {
			row.Operators = append(row.Operators, views.OperatorRow{Name: o.Name, Network: o.Network})
		}
		d.Coverage = append(d.Coverage, row)
	}
	for _, t := range p.Tiers {
		at := views.AdminTier{Copies: t.Copies, Days: p.Days * t.Copies, Retail: t.RetailPrice, Settlement: t.SettlementPrice}
		if cost, err := rule.Cost(t.SettlementPrice); err == nil {
			at.Cost = adminMoney(cost.Amount, cost.Currency)
		}
		price, err := rule.Price(t.RetailPrice, t.SettlementPrice)
		switch {
		case err == nil:
			at.Computed = adminMoney(price.Amount, price.Currency)
		case errors.Is(err, billing.ErrBelowCost):
			at.Computed, at.BelowCost = "below cost", true
		default:
			at.Computed = "not priced"
		}
		if o, ok := overrides[p.SKUID][t.Copies]; ok {
			if o.Currency == rule.Currency() {
				// The form's own value: resubmitting it unchanged must work.
				at.Override = o.Major()
				if billing.CheckOverride(rule, o, t.SettlementPrice) != nil {
					at.BelowCost = true
				}
			} else {
				at.Computed += " (override " + adminMoney(o.Amount, o.Currency) + " not applied: the shop now sells in " + strings.ToUpper(rule.Currency()) + ")"
			}
		}
		if pl != nil {
			if pt, ok := pl.Tier(t.Copies); ok {
				at.Selling = adminMoney(pt.Price.Amount, pt.Price.Currency)
			}
		}
		d.Tiers = append(d.Tiers, at)
	}
	return httpx.Render(c, status, views.AdminSKU(d))
}

// vendorFields lists every vendor field of a product for the SKU page.
func vendorFields(p store.Product) []views.KV {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	return []views.KV{
		{K: "skuId", V: p.SKUID}, {K: "name", V: p.Name}, {K: "desc", V: p.Description},
		{K: "type", V: strconv.Itoa(p.Type)}, {K: "days", V: strconv.Itoa(p.Days)},
		{K: "planType", V: planTypeName(p.PlanType)},
		{K: "data", V: dataText(p)},
		{K: "data per copy (KB, from capacity or highFlowSize)", V: strconv.FormatInt(p.DataKB, 10)},
		{K: "high-speed data per day (KB, highFlowSize)", V: strconv.FormatInt(p.DailyKB, 10)},
		{K: "speed after the high-speed data (kbps, limitFlowSpeed; 0 = not given or not throttled)", V: strconv.FormatInt(p.SpeedAfterKbps, 10)},
		{K: "hotspotSupport", V: hotspotText(p)},
		{K: "validityPeriod (days)", V: strconv.Itoa(p.ValidityDays)}, {K: "usageCount", V: strconv.Itoa(p.UsageCount)},
		{K: "rechargeable", V: yes(p.Rechargeable)}, {K: "estimatedUseTimeFlag", V: yes(p.NeedsUseTime)},
		{K: "refundPolicy", V: p.RefundPolicy}, {K: "speedLimitRule", V: p.SpeedLimitRule},
		{K: "provider", V: p.Provider}, {K: "applyToDevice", V: p.ApplyToDevice},
		{K: "region (derived)", V: p.Region}, {K: "updated", V: adminTime(p.UpdatedAt)},
	}
}

// dataText is the plan's allowance as the operator reads it.
func dataText(p store.Product) string {
	switch {
	case p.Unlimited:
		return "Unlimited (the vendor sent -1)"
	case p.PlanType == store.PlanDaily:
		return strconv.FormatInt(p.DailyKB, 10) + " KB per day"
	}
	return strconv.FormatInt(p.DataKB, 10) + " KB in total"
}

// hotspotText is hotspotSupport with its meaning ("1" = supported).
func hotspotText(p store.Product) string {
	supported, known := p.HotspotSupported()
	switch {
	case !known:
		return p.HotspotRaw + " (unknown)"
	case supported:
		return p.HotspotRaw + " (supported)"
	}
	return p.HotspotRaw + " (not supported)"
}

// handleHide serves POST /admin/catalog/{sku}/hide (hidden=1 hides,
// hidden=0 shows again); the shop's snapshot is rebuilt at once.
func (a *Admin) handleHide(c *fiber.Ctx) error {
	p, err := a.adminProduct(c)
	if err != nil {
		return err
	}
	v, err := httpx.OneOf(httpx.BodyValue(c, "hidden"), "", "1", "0")
	if err != nil || v == "" {
		return httpx.BadRequest("error.bad_query_value", "hidden")
	}
	hide := v == "1"
	action := "show_product"
	if hide {
		action = "hide_product"
	}
	dup, err := a.audit(c, action, 0, p.SKUID, "")
	if err != nil {
		return err
	}
	back := skuURL(p.SKUID)
	if dup {
		return done(c, back, "dup")
	}
	ctx := c.UserContext()
	if err := a.DB.SetHidden(ctx, p.SKUID, hide); err != nil {
		return err
	}
	if err := a.Catalog.Reload(ctx); err != nil {
		return err
	}
	if hide {
		return done(c, back, "hidden")
	}
	return done(c, back, "shown")
}

// handleOverride serves POST /admin/catalog/{sku}/override: a selling
// price for one tier in major units of the store currency ("12.99"),
// parsed exactly; empty clears it. A price below cost is refused.
func (a *Admin) handleOverride(c *fiber.Ctx) error {
	p, err := a.adminProduct(c)
	if err != nil {
		return err
	}
	copies, err := strconv.Atoi(httpx.BodyValue(c, "copies"))
	var tier *store.PriceTier
	for i := range p.Tiers {
		if err == nil && p.Tiers[i].Copies == copies {
			tier = &p.Tiers[i]
		}
	}
	if tier == nil {
		return a.renderSKU(c, fiber.StatusBadRequest, p, "That tier does not exist.")
	}
	rule := a.Catalog.Rule()
	text := strings.TrimSpace(httpx.BodyValue(c, "amount"))
	var amount int64
	if text != "" {
		if amount, err = billing.ParseMajor(text, rule.Currency()); err != nil {
			return a.renderSKU(c, fiber.StatusBadRequest, p, "Price not saved: "+err.Error()+".")
		}
		o := billing.Money{Amount: amount, Currency: rule.Currency()}
		if err := billing.CheckOverride(rule, o, tier.SettlementPrice); err != nil {
			return a.renderSKU(c, fiber.StatusBadRequest, p, "Price not saved: it is below this tier's cost. "+
				"The shop never sells at a loss.")
		}
	}
	detail := "copies " + strconv.Itoa(copies) + ": cleared"
	if text != "" {
		detail = "copies " + strconv.Itoa(copies) + ": " + adminMoney(amount, rule.Currency())
	}
	dup, err := a.audit(c, "price_override", 0, p.SKUID, detail)
	if err != nil {
		return err
	}
	back := skuURL(p.SKUID)
	if dup {
		return done(c, back, "dup")
	}
	ctx := c.UserContext()
	key := "override"
	if text == "" {
		key = "override-cleared"
		err = a.DB.ClearPriceOverride(ctx, p.SKUID, copies)
	} else {
		err = a.DB.SetPriceOverride(ctx, store.PriceOverride{SKUID: p.SKUID, Copies: copies, Amount: amount, Currency: rule.Currency()})
	}
	if err != nil {
		return err
	}
	if err := a.Catalog.Reload(ctx); err != nil {
		return err
	}
	return done(c, back, key)
}
