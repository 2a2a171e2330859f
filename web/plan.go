package web

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/views"
)

// skuPattern bounds the vendor's opaque skuId in URLs: anything else cannot
// be a SKU and gets the same 404 as an unknown one.
var skuPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// handlePlan serves /plans/{sku}: everything a traveller needs before
// paying, and the buy form.
func (a *App) handlePlan(c *fiber.Ctx) error {
	sku := c.Params("sku")
	if !skuPattern.MatchString(sku) {
		return notFound("error.unknown_plan")
	}
	p := a.catalog().plans[sku]
	if p == nil {
		return notFound("error.unknown_plan")
	}
	copies := p.cheapest().Copies
	if v := c.Query("copies"); v != "" {
		n, err := strconv.Atoi(v)
		if _, ok := p.tier(n); err != nil || !ok {
			return badRequest("error.bad_query_value", v)
		}
		copies = n
	}
	data, err := a.planData(c, p, copies)
	if err != nil {
		return err
	}
	// The buy form carries this visitor's CSRF token: never cache it.
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return render(c, fiber.StatusOK, views.Plan(data))
}

// planData builds the plan page for p with copies preselected; the
// checkout form's error re-render reuses it.
func (a *App) planData(c *fiber.Ctx, p *plan, copies int) (views.PlanData, error) {
	lang := langOf(c)
	cd := card(lang, p)
	title := planTitle(lang, p)
	pg := a.page(c, "/plans/"+p.SKUID, views.T(lang, "plan.title", title), planDescription(lang, p, cd), nil)
	token, err := a.csrfToken(c)
	if err != nil {
		return views.PlanData{}, err
	}
	d := views.PlanData{
		Page:           pg,
		Card:           cd,
		Title:          title,
		Description:    p.Description,
		SpeedAfterKbps: p.SpeedAfterKbps,
		ValidityDays:   p.ValidityDays,
		Rechargeable:   p.Rechargeable,
		NeedsUseTime:   p.NeedsUseTime,
		RefundPolicy:   p.RefundPolicy,
		SelectedCopies: copies,
		Quantity:       1,
		CSRF:           token,
		BackURL:        "/destinations/" + strings.ToLower(p.Coverage[0].CountryCode),
	}
	if p.scope != scopeLocal {
		d.BackURL = "/regions/" + regionSlug(p)
	}
	for _, cv := range p.Coverage {
		row := views.CoverageRow{
			Code: cv.CountryCode, Name: views.CountryName(lang, cv.CountryCode), Flag: views.Flag(cv.CountryCode),
			APN: cv.APN, APNManual: cv.APNManual,
		}
		for _, o := range cv.Operators {
			row.Operators = append(row.Operators, views.OperatorRow{Name: o.Name, Network: o.Network})
		}
		d.Coverage = append(d.Coverage, row)
	}
	for _, t := range p.tiers {
		opt := views.TierOption{Copies: t.Copies, Days: t.Days, DataKB: t.DataKB, Price: t.Price.Format(lang)}
		if pu, ok := perUnit(p, t); ok {
			opt.PerUnit = pu.Format(lang)
		}
		d.Tiers = append(d.Tiers, opt)
	}
	d.JSONLD = a.planJSONLD(p, title, pg.Canonical)
	return d, nil
}

// regionSlug is the region page a multi-country plan belongs to.
func regionSlug(p *plan) string {
	if p.scope == scopeGlobal {
		return "global"
	}
	return p.Region
}

// planTitle is the plan's localised headline: where, how much data, how long.
func planTitle(lang string, p *plan) string {
	return views.PlanTitle(lang, placeName(lang, p), card(lang, p))
}

// tierTitle is the headline of one chosen tier, as stored on an order line
// and shown on the payment page: "Japan 1 GB · 14 days".
func tierTitle(lang string, p *plan, t pricedTier) string {
	c := card(lang, p)
	c.Days, c.MaxDays, c.DataKB = t.Days, t.Days, t.DataKB
	return views.PlanTitle(lang, placeName(lang, p), c)
}

// placeName is where a plan works: its country, or its region's name.
func placeName(lang string, p *plan) string {
	if p.scope != scopeLocal {
		return views.RegionName(lang, regionSlug(p))
	}
	return views.CountryName(lang, p.Coverage[0].CountryCode)
}

// planDescription is the plan page's meta description.
func planDescription(lang string, p *plan, cd views.PlanCard) string {
	return views.T(lang, "plan.description", planTitle(lang, p), cd.Price, len(p.Coverage))
}

// planJSONLD is the schema.org Product with one Offer per tier. It is
// serialised with encoding/json, which escapes <, > and & so the result
// cannot close the script element it is embedded in.
func (a *App) planJSONLD(p *plan, title, pageURL string) string {
	type offer struct {
		Type          string `json:"@type"`
		Price         string `json:"price"`
		PriceCurrency string `json:"priceCurrency"`
		Availability  string `json:"availability"`
		URL           string `json:"url"`
		Name          string `json:"name"`
	}
	offers := make([]offer, 0, len(p.tiers))
	for _, t := range p.tiers {
		offers = append(offers, offer{
			Type: "Offer", Price: t.Price.Major(), PriceCurrency: strings.ToUpper(t.Price.Currency),
			Availability: "https://schema.org/InStock", URL: pageURL,
			Name: strconv.Itoa(t.Days) + " days",
		})
	}
	doc := map[string]any{
		"@context":    "https://schema.org",
		"@type":       "Product",
		"name":        title,
		"sku":         p.SKUID,
		"description": p.Description,
		"category":    "eSIM data plan",
		"offers":      offers,
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return ""
	}
	return string(b)
}
