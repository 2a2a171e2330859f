package web

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/present"
	"github.com/esimshop/esimshop/web/shop"
)

// handlePlan serves /plans/{sku}: everything a traveller needs before
// paying, and the buy form.
func (a *App) handlePlan(c *fiber.Ctx) error {
	sku := c.Params("sku")
	if !catalog.ValidSKU(sku) {
		return httpx.NotFound("error.unknown_plan")
	}
	p := a.snapshot().Plan(sku)
	if p == nil {
		return httpx.NotFound("error.unknown_plan")
	}
	copies := p.Cheapest().Copies
	if v := c.Query("copies"); v != "" {
		n, err := strconv.Atoi(v)
		if _, ok := p.Tier(n); err != nil || !ok {
			return httpx.BadRequest("error.bad_query_value", v)
		}
		copies = n
	}
	data, err := a.planData(c, p, copies)
	if err != nil {
		return err
	}
	// The buy form carries this visitor's CSRF token: never cache it.
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	if token := c.Query("cancelled"); token != "" {
		o, err := a.orderByToken(c.UserContext(), token)
		if err != nil {
			return err
		}
		if err := keepCancelledChoice(&data, p, o); err != nil {
			return err
		}
		// The URL holds the order's secret token: keep it out of
		// referrers, caches and indexes.
		httpx.PrivateHeaders(c)
		data.Page.Private = true
	}
	return httpx.Render(c, fiber.StatusOK, views.Plan(data))
}

// planData builds the plan page for p with copies preselected; the
// checkout form's error re-render reuses it.
func (a *App) planData(c *fiber.Ctx, p *catalog.Plan, copies int) (views.PlanData, error) {
	lang := httpx.LangOf(c)
	cd := present.Card(lang, p)
	// The headline and the facts describe the option chosen, exactly
	// ("Japan 6 GB · 30 days"), never a range across options; the form
	// lists every option.
	title := present.PlanTitle(lang, p)
	if t, ok := p.Tier(copies); ok {
		title = present.TierTitle(lang, p, t)
		cd.Days, cd.MaxDays, cd.DataKB = t.Days, t.Days, t.DataKB
	}
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
	if p.Scope != catalog.ScopeLocal {
		d.BackURL = "/regions/" + p.RegionSlug()
	}
	if p.NeedsUseTime {
		now := a.shop.Now()
		d.TravelMin, d.TravelMax = shop.TravelWindow(p.Product, now)
		d.TravelDate = shop.TravelDefault(p.Product, now)
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
	d.Tiers = cd.Options
	for i, o := range d.Tiers {
		if t, ok := p.Tier(o.Copies); ok {
			d.Tiers[i].Title = present.TierTitle(lang, p, t)
		}
	}
	d.Currency = strings.ToUpper(p.Cheapest().Price.Currency)
	setTotal(&d, lang, p, copies)
	d.JSONLD = planJSONLD(p, title, pg.Canonical)
	return d, nil
}

// planDescription is the plan page's meta description.
func planDescription(lang string, p *catalog.Plan, cd views.PlanCard) string {
	return views.T(lang, "plan.description", present.PlanTitle(lang, p), cd.Price, len(p.Coverage))
}

// planJSONLD is the schema.org Product with one Offer per tier. It is
// serialised with encoding/json, which escapes <, > and & so the result
// cannot close the script element it is embedded in.
func planJSONLD(p *catalog.Plan, title, pageURL string) string {
	type offer struct {
		Type          string `json:"@type"`
		Price         string `json:"price"`
		PriceCurrency string `json:"priceCurrency"`
		Availability  string `json:"availability"`
		URL           string `json:"url"`
		Name          string `json:"name"`
	}
	offers := make([]offer, 0, len(p.Priced))
	for _, t := range p.Priced {
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

// setTotal puts the total of the chosen option for d.Quantity eSIMs on the
// form (billing computes it, as it will be charged); none when the choice
// cannot be sold.
func setTotal(d *views.PlanData, lang string, p *catalog.Plan, copies int) {
	d.Total = ""
	t, ok := p.Tier(copies)
	if !ok {
		return
	}
	q := d.Quantity
	if q < 1 || q > store.MaxQuantity {
		q = 1
	}
	if amount, err := billing.LineAmount(t.Price.Amount, q); err == nil {
		d.Total = billing.Money{Amount: amount, Currency: t.Price.Currency}.Format(lang)
	}
}

// keepCancelledChoice fills the form with what the buyer chose before
// leaving the payment page (option, quantity, email, travel date) and
// says nothing was charged. Only an unpaid order of this plan qualifies:
// anything else is an unknown order to this page.
func keepCancelledChoice(d *views.PlanData, p *catalog.Plan, o store.Order) error {
	if len(o.Lines) == 0 || o.Lines[0].SKUID != p.SKUID || o.Status != store.StatusPendingPayment {
		return httpx.NotFound("error.unknown_order")
	}
	l := o.Lines[0]
	if _, ok := p.Tier(l.Copies); ok {
		d.SelectedCopies = l.Copies
	}
	d.Quantity, d.Email = l.Quantity, o.Email
	if o.TravelDate != "" && d.NeedsUseTime {
		d.TravelDate = o.TravelDate
	}
	d.Notice = views.T(d.Lang, "plan.cancelled")
	setTotal(d, d.Lang, p, d.SelectedCopies)
	return nil
}
