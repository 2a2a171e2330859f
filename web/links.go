package web

import (
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
)

// destinationLinks returns a link for every country with plans, sorted by
// its name in lang. Built once per language per snapshot.
func destinationLinks(cat *catalog.Snapshot, lang string) []views.DestinationLink {
	return cat.Memo("destinations|"+lang, func() any {
		links := make([]views.DestinationLink, 0, len(cat.Countries()))
		for _, code := range cat.Countries() {
			links = append(links, destinationLink(cat, lang, code))
		}
		col := collate.New(language.Make(lang), collate.IgnoreCase, collate.IgnoreDiacritics)
		sort.SliceStable(links, func(i, j int) bool { return col.CompareString(links[i].Name, links[j].Name) < 0 })
		return links
	}).([]views.DestinationLink)
}

// destinationLink describes one country with its cheapest plan.
func destinationLink(cat *catalog.Snapshot, lang, code string) views.DestinationLink {
	local, multi, _ := cat.Country(code)
	l := views.DestinationLink{
		Code:      code,
		Name:      views.CountryName(lang, code),
		Flag:      views.Flag(code),
		Aliases:   aliasesOf(code),
		PlanCount: len(local) + len(multi),
		URL:       "/destinations/" + strings.ToLower(code),
	}
	var best *catalog.Plan
	for _, list := range [][]*catalog.Plan{local, multi} {
		if len(list) > 0 && (best == nil || list[0].Cheapest().Price.Amount < best.Cheapest().Price.Amount) {
			best = list[0]
		}
	}
	if best != nil {
		l.FromPrice = best.Cheapest().Price.Format(lang)
	}
	return l
}

// regionLinks returns a link for every region with plans, in display order.
func regionLinks(cat *catalog.Snapshot, lang string) []views.RegionLink {
	out := make([]views.RegionLink, 0, len(cat.Regions()))
	for _, slug := range cat.Regions() {
		ps := cat.Region(slug)
		out = append(out, views.RegionLink{
			Slug: slug, Name: views.RegionName(lang, slug), URL: "/regions/" + slug,
			PlanCount: len(ps), FromPrice: ps[0].Cheapest().Price.Format(lang),
		})
	}
	return out
}
