package web

import (
	"github.com/a-h/templ"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/views"
)

// popularDestinations are featured on the home page, in this order, when
// they have plans, until the operator picks featured destinations in the
// admin dashboard.
var popularDestinations = []string{"JP", "US", "TH", "GB", "FR", "IT", "ES", "KR", "TR", "MX", "VN", "AE"}

// handleHome serves the home page.
func (a *App) handleHome(c *fiber.Ctx) error {
	lang, cat := langOf(c), a.catalog()
	return servePage(c, cat, lang+"|/", func() (templ.Component, error) {
		var popular []views.DestinationLink
		featured := cat.featured
		if featured == nil {
			featured = popularDestinations
		}
		for _, code := range featured {
			if cat.byCountry[code] != nil {
				popular = append(popular, cat.destinationLink(lang, code))
			}
		}
		global := cat.global
		if len(global) > 6 {
			global = global[:6]
		}
		p := a.page(c, "/", views.T(lang, "home.title"), views.T(lang, "home.description"), nil)
		return views.Home(views.HomeData{
			Page:    p,
			Popular: popular,
			All:     cat.destinationLinks(lang),
			Regions: cat.regionLinks(lang),
			Global:  cards(lang, global),
		}), nil
	})
}

// countryCode matches a lowercase ISO 3166-1 alpha-2 code in a URL.
var countryCode = regexp.MustCompile(`^[a-z]{2}$`)

// handleDestination serves /destinations/{cc}: every plan covering the
// country, local first, filtered and sorted as asked.
func (a *App) handleDestination(c *fiber.Ctx) error {
	lang := langOf(c)
	cc := c.Params("cc")
	if lower := strings.ToLower(cc); lower != cc && countryCode.MatchString(lower) {
		return c.Redirect("/destinations/"+lower+queryString(c), fiber.StatusMovedPermanently)
	}
	if !countryCode.MatchString(cc) {
		return notFound("error.unknown_destination")
	}
	code := strings.ToUpper(cc)
	cat := a.catalog()
	cp := cat.byCountry[code]
	if cp == nil {
		return notFound("error.no_plans_for", views.CountryName(lang, code))
	}
	filter, err := oneOf(c.Query("filter"), "all", "all", "total", "daily")
	if err != nil {
		return err
	}
	by, err := oneOf(c.Query("sort"), sortPrice, sortPrice, sortData, sortDays)
	if err != nil {
		return err
	}
	name := views.CountryName(lang, code)
	path := "/destinations/" + cc
	extra := url.Values{}
	if filter != "all" {
		extra.Set("filter", filter)
	}
	if by != sortPrice {
		extra.Set("sort", by)
	}
	return servePage(c, cat, lang+"|"+path+"?"+extra.Encode(), func() (templ.Component, error) {
		p := a.page(c, path, views.T(lang, "destination.title", name), views.T(lang, "destination.description", name), extra)
		return views.Destination(views.DestinationData{
			Page: p, Code: code, Name: name, Flag: views.Flag(code),
			Local:  cards(lang, sortedBy(cp.local, by)),
			Multi:  cards(lang, sortedBy(cp.multi, by)),
			Filter: filter, Sort: by, BaseURL: path,
		}), nil
	})
}

// sortedBy returns the plans sorted by price, data or days; the snapshot's
// slices (already by price) are never modified. The view applies the
// total/daily filter.
func sortedBy(ps []*plan, by string) []*plan {
	if by == sortPrice {
		return ps
	}
	out := slices.Clone(ps)
	sortPlans(out, by)
	return out
}

// oneOf validates an enumerated query value: empty means def; anything not
// in allowed is a 400 with a clear message.
func oneOf(v, def string, allowed ...string) (string, error) {
	if v == "" {
		return def, nil
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", badRequest("error.bad_query_value", v)
}

// handleRegion serves /regions/{slug}: the multi-country plans of a region,
// or every global plan for "global".
func (a *App) handleRegion(c *fiber.Ctx) error {
	lang := langOf(c)
	slug := c.Params("slug")
	cat := a.catalog()
	ps := cat.byRegion[slug]
	if len(ps) == 0 {
		return notFound("error.unknown_region")
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
		for _, l := range cat.destinationLinks(lang) {
			if covered[l.Code] {
				countries = append(countries, l)
			}
		}
		p := a.page(c, "/regions/"+slug, views.T(lang, "region.title", name), views.T(lang, "region.description", name), nil)
		return views.Region(views.RegionData{
			Page: p, Slug: slug, Name: name, Plans: cards(lang, ps), Countries: countries,
		}), nil
	})
}

// handleInstallHelp serves the eSIM installation guide.
func (a *App) handleInstallHelp(c *fiber.Ctx) error {
	lang := langOf(c)
	return servePage(c, a.catalog(), lang+"|/help/install", func() (templ.Component, error) {
		p := a.page(c, "/help/install", views.T(lang, "help.title"), views.T(lang, "help.description"), nil)
		return views.InstallHelp(p), nil
	})
}

// queryString returns the request's raw query with its leading "?", or "".
func queryString(c *fiber.Ctx) string {
	if q := string(c.Request().URI().QueryString()); q != "" {
		return "?" + q
	}
	return ""
}
