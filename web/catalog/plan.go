package catalog

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// KBPerGB is the vendor's unit: data sizes are in KB, 1 GB = 1024 × 1024 KB.
const KBPerGB = 1024 * 1024

// Plan scopes, as shown to buyers.
const (
	ScopeLocal    = "local"
	ScopeRegional = "regional"
	ScopeGlobal   = "global"
)

// Plan is a product with its selling prices.
type Plan struct {
	store.Product
	Priced  []Tier // ascending copies; only tiers sold at or above cost
	Network string // best network across coverage, e.g. "5G"
	Scope   string // ScopeLocal, ScopeRegional or ScopeGlobal
}

// Tier is one "copies" choice with its selling price.
type Tier struct {
	Copies int
	Days   int   // usable days: product days × copies
	DataKB int64 // total data for total plans: data per copy × copies; 0 for daily plans
	Price  billing.Money
}

// Cheapest is the tier shown on cards: the first (fewest copies) tier.
func (p *Plan) Cheapest() Tier { return p.Priced[0] }

// Daily reports whether the plan has a daily allowance.
func (p *Plan) Daily() bool { return p.PlanType == store.PlanDaily }

// Tier returns the priced tier with the given copies.
func (p *Plan) Tier(copies int) (Tier, bool) {
	for _, t := range p.Priced {
		if t.Copies == copies {
			return t, true
		}
	}
	return Tier{}, false
}

// Settlement is the vendor's settlement price of a tier, kept on the
// order line for the operator's margin view and sent with F040.
func (p *Plan) Settlement(copies int) string {
	for _, t := range p.Tiers {
		if t.Copies == copies {
			return t.SettlementPrice
		}
	}
	return ""
}

// RegionSlug is the region page a multi-country plan belongs to.
func (p *Plan) RegionSlug() string {
	if p.Scope == ScopeGlobal {
		return "global"
	}
	return p.Region
}

// APNManual reports whether the plan needs the APN set by hand in any of
// its countries (vendor apnType 1).
func (p *Plan) APNManual() bool {
	for _, cv := range p.Coverage {
		if cv.APNManual {
			return true
		}
	}
	return false
}

// PerUnit returns the price per GB (total plans) or per day (daily plans,
// unlimited ones included) of a tier; ok is false when the plan does not
// say how much data it has, and for an unlimited total plan: a price per
// GB of unlimited data means nothing.
func (p *Plan) PerUnit(t Tier) (billing.Money, bool) {
	if p.Unlimited && !p.Daily() {
		return billing.Money{}, false
	}
	if p.Daily() {
		if t.Days <= 0 {
			return billing.Money{}, false
		}
		return billing.DivRound(t.Price, 1, int64(t.Days)), true
	}
	if t.DataKB <= 0 {
		return billing.Money{}, false
	}
	return billing.DivRound(t.Price, KBPerGB, t.DataKB), true
}

// Overrides maps SKU → copies → the operator's selling price.
type Overrides map[string]map[int]billing.Money

// TierPrice is the selling price of one tier: the rule's, or the
// operator's override in the rule's currency. An override that fell below
// cost (the FX rate moved) is not applied: the tier keeps the rule's price.
// The storefront and the admin's pricing preview both use it, so the
// preview shows exactly what would be sold. log may be nil.
func TierPrice(rule billing.Rule, overrides Overrides, sku string, t store.PriceTier, log *slog.Logger) (billing.Money, error) {
	price, err := rule.Price(t.RetailPrice, t.SettlementPrice)
	if o, ok := overrides[sku][t.Copies]; ok && o.Currency == rule.Currency() && !errors.Is(err, billing.ErrInvalidPrice) {
		if oerr := billing.CheckOverride(rule, o, t.SettlementPrice); oerr == nil {
			return o, nil
		} else if log != nil {
			log.Warn("price override not applied", "sku", sku, "copies", t.Copies, "reason", oerr.Error())
		}
	}
	return price, err
}

// pricePlan prices every tier of p; tiers that cannot be sold are logged
// and counted in skipped.
func pricePlan(p *store.Product, rule billing.Rule, overrides Overrides, log *slog.Logger, skipped *int) *Plan {
	pl := &Plan{Product: *p, Network: bestNetwork(p.Coverage), Scope: scopeOf(p)}
	for _, t := range p.Tiers {
		price, err := TierPrice(rule, overrides, p.SKUID, t, log)
		if err != nil {
			*skipped++
			level := slog.LevelWarn
			if errors.Is(err, billing.ErrBelowCost) {
				level = slog.LevelInfo
			}
			log.Log(context.Background(), level, "price tier not sold", "sku", p.SKUID, "copies", t.Copies, "reason", err.Error())
			continue
		}
		pt := Tier{Copies: t.Copies, Days: p.Days * t.Copies, Price: price}
		if !pl.Daily() {
			pt.DataKB = p.DataKB * int64(t.Copies)
		}
		pl.Priced = append(pl.Priced, pt)
	}
	return pl
}

// scopeOf classifies a product as local, regional or global.
func scopeOf(p *store.Product) string {
	switch {
	case len(p.Coverage) <= 1:
		return ScopeLocal
	case p.Region == "global" || p.Region == "":
		return ScopeGlobal
	}
	return ScopeRegional
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
	SortPrice = "price"
	SortData  = "data"
	SortDays  = "days"
)

// SortPlans sorts plans in place by the cheapest tier's price, data or days,
// breaking ties by price and then SKU so the order is stable across syncs.
func SortPlans(ps []*Plan, by string) {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i].Cheapest(), ps[j].Cheapest()
		switch by {
		case SortData:
			da, db := dataKey(ps[i]), dataKey(ps[j])
			if da != db {
				return da > db
			}
		case SortDays:
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
// total and daily plans can be compared ("most data" first); unlimited
// plans come before every capped one.
func dataKey(p *Plan) int64 {
	if p.Unlimited {
		return math.MaxInt64
	}
	t := p.Cheapest()
	if p.Daily() {
		return p.DailyKB * int64(t.Days)
	}
	return t.DataKB
}

// skuPattern is the shape of a SKU id in a URL or form. Anything else is
// unknown without a lookup.
var skuPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// ValidSKU reports whether s can be a SKU id.
func ValidSKU(s string) bool { return skuPattern.MatchString(s) }
