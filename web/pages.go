package web

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/a-h/templ"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/present"
)

// handleHome serves the home page.
func (a *App) handleHome(c *fiber.Ctx) error {
	lang, cat := httpx.LangOf(c), a.snapshot()
	return servePage(c, cat, lang+"|/", func() (templ.Component, error) {
		popular := popularLinks(cat, lang)
		global := cat.Global()
		if len(global) > 6 {
			global = global[:6]
		}
		p := a.page(c, "/", views.T(lang, "home.title"), views.T(lang, "home.description"), nil)
		return views.Home(views.HomeData{
			Page:    p,
			Popular: popular,
			All:     destinationLinks(cat, lang),
			Regions: regionLinks(cat, lang),
			Global:  present.Cards(lang, global),
		}), nil
	})
}

// popularLinks are the operator's featured destinations (else the
// built-in popular ones) that have plans.
func popularLinks(cat *catalog.Snapshot, lang string) []views.DestinationLink {
	var popular []views.DestinationLink
	featured := cat.Featured()
	if featured == nil {
		featured = catalog.PopularDestinations
	}
	for _, code := range featured {
		if _, _, ok := cat.Country(code); ok {
			popular = append(popular, destinationLink(cat, lang, code))
		}
	}
	return popular
}

// countryCode matches a lowercase ISO 3166-1 alpha-2 code in a URL.
var countryCode = regexp.MustCompile(`^[a-z]{2}$`)

// handleDestination serves /destinations/{cc}: every plan covering the
// country, local first, filtered and sorted as asked.
func (a *App) handleDestination(c *fiber.Ctx) error {
	lang := httpx.LangOf(c)
	cc := c.Params("cc")
	if lower := strings.ToLower(cc); lower != cc && countryCode.MatchString(lower) {
		return c.Redirect("/destinations/"+lower+httpx.QueryString(c), fiber.StatusMovedPermanently)
	}
	if !countryCode.MatchString(cc) {
		return httpx.NotFound("error.unknown_destination")
	}
	code := strings.ToUpper(cc)
	cat := a.snapshot()
	local, multi, ok := cat.Country(code)
	if !ok {
		return httpx.NotFound("error.no_plans_for", views.CountryName(lang, code))
	}
	filter, err := httpx.OneOf(c.Query("filter"), "all", "all", "total", "daily")
	if err != nil {
		return err
	}
	by, err := httpx.OneOf(c.Query("sort"), catalog.SortPrice, catalog.SortPrice, catalog.SortData, catalog.SortDays)
	if err != nil {
		return err
	}
	trip, err := httpx.OneOf(c.Query("days"), "", views.TripValues()...)
	if err != nil {
		return err
	}
	name := views.CountryName(lang, code)
	path := "/destinations/" + cc
	extra := url.Values{}
	if trip != "" {
		extra.Set("days", trip)
	}
	if filter != "all" {
		extra.Set("filter", filter)
	}
	if by != catalog.SortPrice {
		extra.Set("sort", by)
	}
	return servePage(c, cat, lang+"|"+path+"?"+extra.Encode(), func() (templ.Component, error) {
		p := a.page(c, path, views.T(lang, "destination.title", name), views.T(lang, "destination.description", name), extra)
		return views.Destination(views.DestinationData{
			Page: p, Code: code, Name: name, Flag: views.Flag(code),
			Local:  present.Cards(lang, sortedBy(local, by)),
			Multi:  present.Cards(lang, sortedBy(multi, by)),
			Filter: filter, Sort: by, Trip: trip, BaseURL: path,
		}), nil
	})
}

// sortedBy returns the plans sorted by price, data or days; the snapshot's
// slices (already by price) are never modified. The view applies the
// total/daily filter.
func sortedBy(ps []*catalog.Plan, by string) []*catalog.Plan {
	if by == catalog.SortPrice {
		return ps
	}
	out := slices.Clone(ps)
	catalog.SortPlans(out, by)
	return out
}

// handleRegion serves /regions/{slug}: the multi-country plans of a region,
// or every global plan for "global".
func (a *App) handleRegion(c *fiber.Ctx) error {
	lang := httpx.LangOf(c)
	slug := c.Params("slug")
	cat := a.snapshot()
	ps := cat.Region(slug)
	if len(ps) == 0 {
		return httpx.NotFound("error.unknown_region")
	}
	name := views.RegionName(lang, slug)
	return servePage(c, cat, lang+"|/regions/"+slug, func() (templ.Component, error) {
		covered := map[string]bool{}
		for _, p := range ps {
			for _, cv := range p.Coverage {
				covered[cv.CountryCode] = true
			}
		}
		var countries []views.DestinationLink
		for _, l := range destinationLinks(cat, lang) {
			if covered[l.Code] {
				countries = append(countries, l)
			}
		}
		p := a.page(c, "/regions/"+slug, views.T(lang, "region.title", name), views.T(lang, "region.description", name), nil)
		return views.Region(views.RegionData{
			Page: p, Slug: slug, Name: name, Plans: present.Cards(lang, ps), Countries: countries,
		}), nil
	})
}

// handleInstallHelp serves the eSIM installation guide.
func (a *App) handleInstallHelp(c *fiber.Ctx) error {
	lang := httpx.LangOf(c)
	return servePage(c, a.snapshot(), lang+"|/help/install", func() (templ.Component, error) {
		p := a.page(c, "/help/install", views.T(lang, "help.title"), views.T(lang, "help.description"), nil)
		return views.InstallHelp(p), nil
	})
}
