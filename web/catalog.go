package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
)

// kbPerGB is the vendor's unit: data sizes are in KB, 1 GB = 1024 × 1024 KB.
const kbPerGB = 1024 * 1024

// Plan scopes, as shown to buyers.
const (
	scopeLocal    = "local"
	scopeRegional = "regional"
	scopeGlobal   = "global"
)

// catalog is an immutable, fully priced snapshot of the sellable catalog.
// Pages read it without touching SQLite; a sync or a pricing change builds a
// new one and swaps it in atomically. Only products that are active, not
// hidden and have at least one tier priced at or above cost are in it.
type catalog struct {
	plans     map[string]*plan         // by SKU
	byCountry map[string]*countryPlans // by upper-case ISO code
	byRegion  map[string][]*plan       // region slug → multi-country plans
	regions   []string                 // slugs with plans, in store.RegionSlugs order
	countries []string                 // ISO codes with plans, sorted
	global    []*plan                  // global plans, cheapest first
	featured  []string                 // operator's home-page destinations (ISO codes); nil = default list

	pages pageCache // rendered public pages of this snapshot

	linksOnce sync.Once                          // builds links on first use
	links     map[string][]views.DestinationLink // lang → destination links sorted by name
}

// countryPlans are the plans covering one country.
type countryPlans struct {
	local []*plan // single-country plans, cheapest first
	multi []*plan // regional and global plans, cheapest first
}

// plan is a product with its selling prices.
type plan struct {
	store.Product
	tiers   []pricedTier // ascending copies; only tiers sold at or above cost
	network string       // best network across coverage, e.g. "5G"
	scope   string       // scopeLocal, scopeRegional or scopeGlobal
}

// pricedTier is one "copies" choice with its selling price.
type pricedTier struct {
	Copies int
	Days   int   // usable days: product days × copies
	DataKB int64 // total data for total plans: data per copy × copies; 0 for daily plans
	Price  billing.Money
}

// cheapest is the tier shown on cards: the first (fewest copies) tier.
func (p *plan) cheapest() pricedTier { return p.tiers[0] }

// daily reports whether the plan has a daily allowance.
func (p *plan) daily() bool { return p.PlanType == store.PlanDaily }

// tier returns the priced tier with the given copies.
func (p *plan) tier(copies int) (pricedTier, bool) {
	for _, t := range p.tiers {
		if t.Copies == copies {
			return t, true
		}
	}
	return pricedTier{}, false
}

// priceOverrides maps SKU → copies → the operator's selling price.
type priceOverrides map[string]map[int]billing.Money

// buildCatalog prices every product with rule and indexes the result. An
// operator's override replaces the computed price of its tier when it is in
// the rule's currency (an override in a former store currency is ignored)
// and not below cost (else it is logged and the rule's price stays). A
// tier that cannot be priced (below cost, malformed vendor price) is left
// out and logged; a product left with no tier is not sold.
func buildCatalog(products []store.Product, rule billing.Rule, overrides priceOverrides, log *slog.Logger) *catalog {
	c := &catalog{
		plans:     make(map[string]*plan, len(products)),
		byCountry: make(map[string]*countryPlans),
		byRegion:  make(map[string][]*plan),
	}
	skipped := 0
	for i := range products {
		p := &products[i]
		if !p.Active || p.Hidden || len(p.Coverage) == 0 {
			continue
		}
		pl := &plan{Product: *p, network: bestNetwork(p.Coverage), scope: scopeOf(p)}
		for _, t := range p.Tiers {
			price, err := tierPrice(rule, overrides, p.SKUID, t, log)
			if err != nil {
				skipped++
				level := slog.LevelWarn
				if errors.Is(err, billing.ErrBelowCost) {
					level = slog.LevelInfo
				}
				log.Log(context.Background(), level, "price tier not sold", "sku", p.SKUID, "copies", t.Copies, "reason", err.Error())
				continue
			}
			pt := pricedTier{Copies: t.Copies, Days: p.Days * t.Copies, Price: price}
			if !pl.daily() {
				pt.DataKB = p.DataKB * int64(t.Copies)
			}
			pl.tiers = append(pl.tiers, pt)
		}
		if len(pl.tiers) == 0 {
			continue
		}
		c.plans[p.SKUID] = pl
		for _, cv := range p.Coverage {
			cp := c.byCountry[cv.CountryCode]
			if cp == nil {
				cp = &countryPlans{}
				c.byCountry[cv.CountryCode] = cp
			}
			if pl.scope == scopeLocal {
				cp.local = append(cp.local, pl)
			} else {
				cp.multi = append(cp.multi, pl)
			}
		}
		switch pl.scope {
		case scopeGlobal:
			c.global = append(c.global, pl)
			c.byRegion["global"] = append(c.byRegion["global"], pl)
		case scopeRegional:
			c.byRegion[p.Region] = append(c.byRegion[p.Region], pl)
		}
	}
	for code, cp := range c.byCountry {
		sortPlans(cp.local, sortPrice)
		sortPlans(cp.multi, sortPrice)
		c.countries = append(c.countries, code)
	}
	sort.Strings(c.countries)
	sortPlans(c.global, sortPrice)
	for _, slug := range store.RegionSlugs {
		if ps := c.byRegion[slug]; len(ps) > 0 {
			sortPlans(ps, sortPrice)
			c.regions = append(c.regions, slug)
		}
	}
	if skipped > 0 {
		log.Info("catalog built", "plans", len(c.plans), "tiers_not_sold", skipped)
	}
	return c
}

// tierPrice is the selling price of one tier: the rule's, or the
// operator's override in the rule's currency. An override that fell below
// cost (the FX rate moved) is not applied: the tier keeps the rule's price.
// The storefront and the admin's pricing preview both use it, so the
// preview shows exactly what would be sold.
func tierPrice(rule billing.Rule, overrides priceOverrides, sku string, t store.PriceTier, log *slog.Logger) (billing.Money, error) {
	price, err := rule.Price(t.RetailPrice, t.SettlementPrice)
	if o, ok := overrides[sku][t.Copies]; ok && o.Currency == rule.Currency() && !errors.Is(err, billing.ErrInvalidPrice) {
		if oerr := checkOverride(rule, o, t.SettlementPrice); oerr == nil {
			return o, nil
		} else if log != nil {
			log.Warn("price override not applied", "sku", sku, "copies", t.Copies, "reason", oerr.Error())
		}
	}
	return price, err
}

// scopeOf classifies a product as local, regional or global.
func scopeOf(p *store.Product) string {
	switch {
	case len(p.Coverage) <= 1:
		return scopeLocal
	case p.Region == "global" || p.Region == "":
		return scopeGlobal
	}
	return scopeRegional
}

// networkRank orders network generations; unknown names rank lowest.
var networkRank = map[string]int{"2G": 1, "3G": 2, "4G": 3, "LTE": 3, "5G": 4}

// bestNetwork returns the fastest network named by any operator.
func bestNetwork(cov []store.Coverage) string {
	best, rank := "", 0
	for _, c := range cov {
		for _, o := range c.Operators {
			for _, n := range strings.FieldsFunc(strings.ToUpper(o.Network), func(r rune) bool { return r == '/' || r == ',' || r == ' ' }) {
				if r := networkRank[n]; r > rank {
					best, rank = n, r
				}
			}
		}
	}
	if best == "LTE" {
		best = "4G"
	}
	return best
}

// Sort orders for plan lists.
const (
	sortPrice = "price"
	sortData  = "data"
	sortDays  = "days"
)

// sortPlans sorts plans in place by the cheapest tier's price, data or days,
// breaking ties by price and then SKU so the order is stable across syncs.
func sortPlans(ps []*plan, by string) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i].cheapest(), ps[j].cheapest()
		switch by {
		case sortData:
			da, db := dataKey(ps[i]), dataKey(ps[j])
			if da != db {
				return da > db
			}
		case sortDays:
			if a.Days != b.Days {
				return a.Days > b.Days
			}
		}
		if a.Price.Amount != b.Price.Amount {
			return a.Price.Amount < b.Price.Amount
		}
		return ps[i].SKUID < ps[j].SKUID
	})
}

// dataKey is the amount of data a plan's cheapest tier gives in total, so
// total and daily plans can be compared ("most data" first).
func dataKey(p *plan) int64 {
	t := p.cheapest()
	if p.daily() {
		return p.DailyKB * int64(t.Days)
	}
	return t.DataKB
}

// perUnit returns the price per GB (total plans) or per day (daily plans)
// of a tier, or a zero Money when the plan does not say how much data it has.
func perUnit(p *plan, t pricedTier) (billing.Money, bool) {
	if p.daily() {
		if t.Days <= 0 {
			return billing.Money{}, false
		}
		return billing.DivRound(t.Price, 1, int64(t.Days)), true
	}
	if t.DataKB <= 0 {
		return billing.Money{}, false
	}
	return billing.DivRound(t.Price, kbPerGB, t.DataKB), true
}

// String describes the snapshot for logs.
func (c *catalog) String() string {
	return fmt.Sprintf("%d plans, %d countries, %d regions", len(c.plans), len(c.countries), len(c.regions))
}
