package catalog

import (
	"fmt"
	"log/slog"
	"sort"
	"sync"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// Snapshot is an immutable, fully priced snapshot of the sellable catalog.
// Pages read it without touching SQLite; a sync or a pricing change builds a
// new one and swaps it in atomically. Only products that are active, not
// hidden and have at least one tier priced at or above cost are in it.
type Snapshot struct {
	plans     map[string]*Plan         // by SKU
	skus      []string                 // every SKU, sorted
	byCountry map[string]*countryPlans // by upper-case ISO code
	byRegion  map[string][]*Plan       // region slug → multi-country plans
	regions   []string                 // slugs with plans, in store.RegionSlugs order
	countries []string                 // ISO codes with plans, sorted
	global    []*Plan                  // global plans, cheapest first
	featured  []string                 // operator's home-page destinations (ISO codes); nil = default list

	// Pages is the rendered public pages of this snapshot.
	Pages PageCache

	memoMu sync.Mutex
	memo   map[string]any // values derived from this snapshot (see Memo)
}

// countryPlans are the plans covering one country.
type countryPlans struct {
	local []*Plan // single-country plans, cheapest first
	multi []*Plan // regional and global plans, cheapest first
}

// Build prices every product with rule and indexes the result. An
// operator's override replaces the computed price of its tier when it is in
// the rule's currency (an override in a former store currency is ignored)
// and not below cost (else it is logged and the rule's price stays). A
// tier that cannot be priced (below cost, malformed vendor price) is left
// out and logged; a product left with no tier is not sold.
func Build(products []store.Product, rule billing.Rule, overrides Overrides, featured []string, log *slog.Logger) *Snapshot {
	c := &Snapshot{
		plans:     make(map[string]*Plan, len(products)),
		byCountry: make(map[string]*countryPlans),
		byRegion:  make(map[string][]*Plan),
		featured:  featured,
	}
	skipped := 0
	for i := range products {
		p := &products[i]
		if !p.Active || p.Hidden || len(p.Coverage) == 0 {
			continue
		}
		pl := pricePlan(p, rule, overrides, log, &skipped)
		if len(pl.Priced) == 0 {
			continue
		}
		c.add(pl)
	}
	for code, cp := range c.byCountry {
		SortPlans(cp.local, SortPrice)
		SortPlans(cp.multi, SortPrice)
		c.countries = append(c.countries, code)
	}
	sort.Strings(c.countries)
	sort.Strings(c.skus)
	SortPlans(c.global, SortPrice)
	for _, slug := range store.RegionSlugs {
		if ps := c.byRegion[slug]; len(ps) > 0 {
			SortPlans(ps, SortPrice)
			c.regions = append(c.regions, slug)
		}
	}
	if skipped > 0 {
		log.Info("catalog built", "plans", len(c.plans), "tiers_not_sold", skipped)
	}
	return c
}

// add indexes one priced plan.
func (c *Snapshot) add(pl *Plan) {
	c.plans[pl.SKUID] = pl
	c.skus = append(c.skus, pl.SKUID)
	for _, cv := range pl.Coverage {
		cp := c.byCountry[cv.CountryCode]
		if cp == nil {
			cp = &countryPlans{}
			c.byCountry[cv.CountryCode] = cp
		}
		if pl.Scope == ScopeLocal {
			cp.local = append(cp.local, pl)
		} else {
			cp.multi = append(cp.multi, pl)
		}
	}
	switch pl.Scope {
	case ScopeGlobal:
		c.global = append(c.global, pl)
		c.byRegion["global"] = append(c.byRegion["global"], pl)
	case ScopeRegional:
		c.byRegion[pl.Region] = append(c.byRegion[pl.Region], pl)
	}
}

// Plan returns the plan with the SKU, or nil when it is not sold.
func (c *Snapshot) Plan(sku string) *Plan { return c.plans[sku] }

// SKUs lists every plan's SKU, sorted.
func (c *Snapshot) SKUs() []string { return c.skus }

// Country returns the plans covering a country (upper-case ISO code):
// single-country plans and multi-country ones, each cheapest first; ok is
// false when none does.
func (c *Snapshot) Country(code string) (local, multi []*Plan, ok bool) {
	cp := c.byCountry[code]
	if cp == nil {
		return nil, nil, false
	}
	return cp.local, cp.multi, true
}

// Countries lists the ISO codes with plans, sorted.
func (c *Snapshot) Countries() []string { return c.countries }

// Region returns the multi-country plans of a region slug, cheapest first.
func (c *Snapshot) Region(slug string) []*Plan { return c.byRegion[slug] }

// Regions lists the region slugs with plans, in store.RegionSlugs order.
func (c *Snapshot) Regions() []string { return c.regions }

// Global returns the global plans, cheapest first.
func (c *Snapshot) Global() []*Plan { return c.global }

// Featured is the operator's home-page destinations; nil means the default.
func (c *Snapshot) Featured() []string { return c.featured }

// Memo returns the value derived from this snapshot under key, building
// it on first use. The storefront keeps, for example, each language's
// sorted destination list here: it lives exactly as long as the snapshot.
func (c *Snapshot) Memo(key string, build func() any) any {
	c.memoMu.Lock()
	defer c.memoMu.Unlock()
	if v, ok := c.memo[key]; ok {
		return v
	}
	if c.memo == nil {
		c.memo = map[string]any{}
	}
	v := build()
	c.memo[key] = v
	return v
}

// String describes the snapshot for logs.
func (c *Snapshot) String() string {
	return fmt.Sprintf("%d plans, %d countries, %d regions", len(c.plans), len(c.countries), len(c.regions))
}

// PopularDestinations are featured on the home page, in this order, when
// they have plans, until the operator picks featured destinations in the
// admin dashboard.
var PopularDestinations = []string{"JP", "US", "TH", "GB", "FR", "IT", "ES", "KR", "TR", "MX", "VN", "AE"}
