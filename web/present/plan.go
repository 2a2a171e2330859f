package present

import (
	"strconv"

	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
)

// Card turns a plan into the summary shown in lists.
func Card(lang string, p *catalog.Plan) views.PlanCard {
	t := p.Cheapest()
	c := views.PlanCard{
		SKUID:     p.SKUID,
		URL:       "/plans/" + p.SKUID,
		Name:      p.Name,
		Daily:     p.Daily(),
		DataKB:    t.DataKB,
		DailyKB:   p.DailyKB,
		Unlimited: p.Unlimited,
		Days:      t.Days,
		MaxDays:   p.Priced[len(p.Priced)-1].Days,
		Price:     t.Price.Format(lang),
		Network:   p.Network,
		Hotspot:   hotspot(p),
		Countries: len(p.Coverage),
		Scope:     p.Scope,
		FromPrice: len(p.Priced) > 1,
	}
	if pu, ok := p.PerUnit(t); ok {
		c.PerUnit = pu.Format(lang)
	}
	c.Options = Options(lang, p)
	if p.Scope != catalog.ScopeLocal {
		c.RegionName = views.RegionName(lang, p.RegionSlug())
	}
	return c
}

// Options lists every priced tier of p as the buyer picks it: total
// days and data for that number of copies, price and price per unit.
func Options(lang string, p *catalog.Plan) []views.CardOption {
	out := make([]views.CardOption, 0, len(p.Priced))
	for _, t := range p.Priced {
		o := views.CardOption{
			Copies: t.Copies, Days: t.Days, DataKB: t.DataKB, Price: t.Price.Format(lang), PriceMinor: t.Price.Amount,
			URL: "/plans/" + p.SKUID + "?copies=" + strconv.Itoa(t.Copies),
		}
		if pu, ok := p.PerUnit(t); ok {
			o.PerUnit, o.PerUnitMinor = pu.Format(lang), pu.Amount
		}
		out = append(out, o)
	}
	return out
}

// Cards turns plans into cards.
func Cards(lang string, ps []*catalog.Plan) []views.PlanCard {
	out := make([]views.PlanCard, len(ps))
	for i, p := range ps {
		out[i] = Card(lang, p)
	}
	return out
}

// hotspot interprets hotspotSupport ("1" supported, see
// store.Product.HotspotSupported) as the card's "yes", "no" or "" (unknown,
// not shown).
func hotspot(p *catalog.Plan) string {
	supported, known := p.HotspotSupported()
	switch {
	case !known:
		return ""
	case supported:
		return "yes"
	}
	return "no"
}

// PlanTitle is the plan's headline in lang: where, how much, how long.
func PlanTitle(lang string, p *catalog.Plan) string {
	return views.PlanTitle(lang, PlaceName(lang, p), Card(lang, p))
}

// TierTitle is the title of one tier of a plan (an order line's title).
func TierTitle(lang string, p *catalog.Plan, t catalog.Tier) string {
	c := Card(lang, p)
	c.Days, c.MaxDays, c.DataKB = t.Days, t.Days, t.DataKB
	return views.PlanTitle(lang, PlaceName(lang, p), c)
}

// PlaceName is where a plan works: its country, or its region's name.
func PlaceName(lang string, p *catalog.Plan) string {
	if p.Scope != catalog.ScopeLocal {
		return views.RegionName(lang, p.RegionSlug())
	}
	return views.CountryName(lang, p.Coverage[0].CountryCode)
}

// ProductDescription is a tier's description on the payment page: where
// it works, how much data, for how long.
func ProductDescription(lang string, p *catalog.Plan, t catalog.Tier) string {
	data := views.FormatData(lang, t.DataKB)
	switch {
	case p.Unlimited:
		data = views.T(lang, "card.unlimited")
	case p.Daily():
		data = views.T(lang, "checkout.per_day", views.FormatData(lang, p.DailyKB))
	}
	return views.T(lang, "checkout.product_desc", len(p.Coverage), data, t.Days)
}
