package web

import (
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/esimshop/esimshop/views"
)

// card turns a plan into the summary shown in lists.
func card(lang string, p *plan) views.PlanCard {
	t := p.cheapest()
	c := views.PlanCard{
		SKUID:     p.SKUID,
		URL:       "/plans/" + p.SKUID,
		Name:      p.Name,
		Daily:     p.daily(),
		DataKB:    t.DataKB,
		DailyKB:   p.DailyKB,
		Days:      t.Days,
		MaxDays:   p.tiers[len(p.tiers)-1].Days,
		Price:     t.Price.Format(lang),
		Network:   p.network,
		Hotspot:   hotspot(p.HotspotRaw),
		Countries: len(p.Coverage),
		Scope:     p.scope,
		FromPrice: len(p.tiers) > 1,
	}
	if pu, ok := perUnit(p, t); ok {
		c.PerUnit = pu.Format(lang)
	}
	if p.scope != scopeLocal {
		slug := p.Region
		if p.scope == scopeGlobal {
			slug = "global"
		}
		c.RegionName = views.RegionName(lang, slug)
	}
	return c
}

// cards turns plans into cards.
func cards(lang string, ps []*plan) []views.PlanCard {
	out := make([]views.PlanCard, len(ps))
	for i, p := range ps {
		out[i] = card(lang, p)
	}
	return out
}

// hotspot interprets F002's hotspotSupport: "0" supported, "1" not (the
// protocol reference's F002 table; N006 says the opposite and is not used
// here). Anything else is unknown and not shown.
func hotspot(raw string) string {
	switch strings.TrimSpace(raw) {
	case "0":
		return "yes"
	case "1":
		return "no"
	}
	return ""
}

// destinationLinks returns a link for every country with plans, sorted by
// its name in lang. Built once per language per snapshot.
func (c *catalog) destinationLinks(lang string) []views.DestinationLink {
	c.linksOnce.Do(c.buildLinks)
	return c.links[lang]
}

// buildLinks precomputes the destination links of every language.
func (c *catalog) buildLinks() {
	c.links = make(map[string][]views.DestinationLink, len(views.Languages))
	for _, lang := range views.Languages {
		links := make([]views.DestinationLink, 0, len(c.countries))
		for _, code := range c.countries {
			links = append(links, c.destinationLink(lang, code))
		}
		col := collate.New(language.Make(lang), collate.IgnoreCase, collate.IgnoreDiacritics)
		sort.SliceStable(links, func(i, j int) bool { return col.CompareString(links[i].Name, links[j].Name) < 0 })
		c.links[lang] = links
	}
}

// destinationLink describes one country with its cheapest plan.
func (c *catalog) destinationLink(lang, code string) views.DestinationLink {
	cp := c.byCountry[code]
	l := views.DestinationLink{
		Code:      code,
		Name:      views.CountryName(lang, code),
		Flag:      views.Flag(code),
		Aliases:   aliasesOf(code),
		PlanCount: len(cp.local) + len(cp.multi),
		URL:       "/destinations/" + strings.ToLower(code),
	}
	var best *plan
	for _, list := range [][]*plan{cp.local, cp.multi} {
		if len(list) > 0 && (best == nil || list[0].cheapest().Price.Amount < best.cheapest().Price.Amount) {
			best = list[0]
		}
	}
	if best != nil {
		l.FromPrice = best.cheapest().Price.Format(lang)
	}
	return l
}

// regionLinks returns a link for every region with plans, in display order.
func (c *catalog) regionLinks(lang string) []views.RegionLink {
	out := make([]views.RegionLink, 0, len(c.regions))
	for _, slug := range c.regions {
		ps := c.byRegion[slug]
		out = append(out, views.RegionLink{
			Slug: slug, Name: views.RegionName(lang, slug), URL: "/regions/" + slug,
			PlanCount: len(ps), FromPrice: ps[0].cheapest().Price.Format(lang),
		})
	}
	return out
}
