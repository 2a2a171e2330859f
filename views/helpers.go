package views

import (
	"context"
	"net/url"
	"strings"
	"unicode"

	"github.com/a-h/templ"
)

// pageLang is the html lang attribute: the page's language when supported,
// else the default, so a zero Page still produces valid markup.
func pageLang(p Page) string {
	if SupportedLang(p.Lang) {
		return p.Lang
	}
	return DefaultLang
}

// altLink is one language version of the current page.
type altLink struct{ Lang, URL string }

// alternates lists the page's language versions in Languages order (map
// iteration order would reshuffle the switch and the hreflang tags).
func alternates(p Page) []altLink {
	out := make([]altLink, 0, len(p.Alternates))
	for _, l := range Languages {
		if u, ok := p.Alternates[l]; ok && u != "" {
			out = append(out, altLink{Lang: l, URL: u})
		}
	}
	return out
}

// xDefault is the hreflang="x-default" URL: the default language's URL
// without its "lang" parameter, so it lets web negotiate the language;
// "" when there is no default-language alternate.
func xDefault(p Page) string {
	raw := p.Alternates[DefaultLang]
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Del("lang")
	u.RawQuery = q.Encode()
	return u.String()
}

// nonce is the CSP nonce for script tags: the Page's, else the one web put
// on the context with templ.WithNonce.
func nonce(ctx context.Context, p Page) string {
	if p.Nonce != "" {
		return p.Nonce
	}
	return templ.GetNonce(ctx)
}

// searchKey is the text app.js matches a destination against: localised
// name, ISO code and aliases, lower case.
func searchKey(d DestinationLink) string {
	return strings.ToLower(strings.Join(strings.Fields(d.Name+" | "+d.Code+" | "+d.Aliases), " "))
}

// searchHeading titles the search results page.
func searchHeading(lang, q string) string {
	if strings.TrimSpace(q) == "" {
		return T(lang, "search.heading_empty")
	}
	return T(lang, "search.heading", q)
}

// dataLabel is the headline of a plan card: "5 GB", "1 GB/day",
// "Unlimited", or a neutral word when the vendor left the size empty.
func dataLabel(lang string, c PlanCard) string {
	if c.Unlimited {
		return T(lang, "card.unlimited")
	}
	if c.Daily {
		if c.DailyKB > 0 {
			return T(lang, "card.per_day", FormatData(lang, c.DailyKB))
		}
		return T(lang, "card.daily")
	}
	if c.DataKB > 0 {
		return FormatData(lang, c.DataKB)
	}
	return T(lang, "card.data_unknown")
}

// daysLabel is "7 days", or "7–30 days" when bigger tiers last longer.
func daysLabel(lang string, days, maxDays int) string {
	if maxDays > days && days > 0 {
		return T(lang, "card.days_range", days, maxDays)
	}
	if days <= 0 {
		return ""
	}
	return Plural(lang, "card.days", days)
}

// perUnitLabel is "$1.00 per GB" or "$0.50 per day"; web formats the money,
// the view names the unit.
func perUnitLabel(lang string, daily bool, perUnit string) string {
	if perUnit == "" {
		return ""
	}
	if daily {
		return T(lang, "card.per_day_price", perUnit)
	}
	return T(lang, "card.per_gb_price", perUnit)
}

// hotspotLabel turns "yes"/"no" into words; unknown stays unsaid rather
// than guessed (the vendor's flag is unreliable).
func hotspotLabel(lang, h string) string {
	switch h {
	case "yes":
		return T(lang, "card.hotspot_yes")
	case "no":
		return T(lang, "card.hotspot_no")
	}
	return ""
}

// hotspotFact answers "Hotspot?" on the plan page: yes, no, or "" when
// unknown.
func hotspotFact(lang, h string) string {
	switch h {
	case "yes":
		return yesNo(lang, true)
	case "no":
		return yesNo(lang, false)
	}
	return ""
}

// yesNo localises a boolean fact.
func yesNo(lang string, b bool) string {
	if b {
		return T(lang, "common.yes")
	}
	return T(lang, "common.no")
}

// vendorText hides vendor-supplied text that contains Han characters: the
// vendor sometimes answers in Chinese even when asked for English, and such
// text helps no buyer of this shop.
func vendorText(s string) string {
	s = strings.TrimSpace(s)
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return ""
		}
	}
	return s
}

// operatorsLabel is "Docomo (5G), SoftBank (4G)".
func operatorsLabel(ops []OperatorRow) string {
	parts := make([]string, 0, len(ops))
	for _, o := range ops {
		name := vendorText(o.Name)
		if name == "" {
			continue
		}
		if o.Network != "" {
			name += " (" + o.Network + ")"
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, ", ")
}

// Filter and sort options on a destination page, in display order; the
// first of each is the default and is left out of URLs.
var (
	filterOptions = []string{"all", "total", "daily"}
	sortOptions   = []string{"price", "data", "days"}
)

// currentFilter normalises a filter value, defaulting to "all".
func currentFilter(f string) string {
	for _, o := range filterOptions {
		if o == f {
			return f
		}
	}
	return filterOptions[0]
}

// currentSort normalises a sort value, defaulting to "price".
func currentSort(s string) string {
	for _, o := range sortOptions {
		if o == s {
			return s
		}
	}
	return sortOptions[0]
}

// filterURL is base with the trip length, filter and sort as query parameters, leaving
// defaults out so the canonical page has the plain URL.
func filterURL(base, filter, sort, trip string) string {
	q := url.Values{}
	if t := currentTrip(trip); t != "" {
		q.Set("days", t)
	}
	if f := currentFilter(filter); f != filterOptions[0] {
		q.Set("filter", f)
	}
	if s := currentSort(sort); s != sortOptions[0] {
		q.Set("sort", s)
	}
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}

// filterCards keeps the cards matching filter. web filters too; doing it
// here as well is idempotent and keeps the page consistent with its
// highlighted filter link whatever the caller passed.
func filterCards(cards []PlanCard, filter string) []PlanCard {
	f := currentFilter(filter)
	if f == "all" {
		return cards
	}
	out := make([]PlanCard, 0, len(cards))
	for _, c := range cards {
		if c.Daily == (f == "daily") {
			out = append(out, c)
		}
	}
	return out
}

// errorHeading is the headline of an error page for its status.
func errorHeading(lang string, status int) string {
	switch status {
	case 400:
		return T(lang, "error.400")
	case 403:
		return T(lang, "error.403")
	case 404:
		return T(lang, "error.404")
	case 405:
		return T(lang, "error.405")
	case 409:
		return T(lang, "error.409")
	case 413:
		return T(lang, "error.413")
	case 429:
		return T(lang, "error.429")
	}
	return T(lang, "error.500")
}
