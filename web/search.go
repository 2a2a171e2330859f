package web

import (
	"strings"
	"unicode"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/httpx"
)

// countryAliases are the words travellers type that are neither the
// country's name in English or Spanish nor its ISO code.
var countryAliases = map[string][]string{
	"US": {"usa", "america", "united states of america", "eeuu", "ee uu", "estados unidos de america"},
	"GB": {"uk", "britain", "great britain", "england", "scotland", "wales", "inglaterra", "gran bretana", "reino unido"},
	"AE": {"uae", "emirates", "dubai", "abu dhabi", "emiratos"},
	"NL": {"holland", "holanda"},
	"KR": {"korea", "south korea", "corea", "corea del sur"},
	"CZ": {"czech republic", "republica checa"},
	"TR": {"turkey", "turquia", "turkiye"},
	"VN": {"viet nam"},
	"RU": {"russia", "rusia"},
	"TW": {"taiwan"},
	"HK": {"hong kong"},
	"MO": {"macau", "macao"},
	"CN": {"china", "mainland china"},
	"DO": {"dominican republic", "republica dominicana"},
	"BA": {"bosnia"},
	"MK": {"macedonia"},
	"CI": {"ivory coast", "costa de marfil"},
	"CV": {"cape verde", "cabo verde"},
	"SZ": {"swaziland"},
	"MM": {"burma", "birmania"},
	"VA": {"vatican", "vaticano"},
	"IE": {"eire"},
	"CH": {"swiss", "suiza"},
	"ES": {"espana", "spain"},
	"MX": {"mexico"},
	"JP": {"japan", "japon"},
	"TH": {"thailand", "tailandia"},
}

// aliasesOf returns the search aliases of code, space separated, for the
// home page's client-side filter.
func aliasesOf(code string) string {
	return strings.Join(countryAliases[code], " ")
}

// foldText lower-cases s and removes diacritics and punctuation so that
// "México", "mexico" and "MEXICO " compare equal.
func foldText(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return unicode.ToLower(r)
		case unicode.IsSpace(r) || r == '-' || r == '.' || r == '\'':
			return ' '
		}
		return -1
	}, out)
	return strings.Join(strings.Fields(out), " ")
}

// searchDestinations finds the countries with plans that match q by ISO
// code, by name in any shop language, or by alias. An exact match comes
// first (exact counts them); then names that start with q; then names that
// contain it.
func searchDestinations(cat *catalog.Snapshot, lang, q string) (results []views.DestinationLink, exact int) {
	q = foldText(q)
	if q == "" {
		return nil, 0
	}
	var exacts, prefix, contains []views.DestinationLink
	for _, l := range destinationLinks(cat, lang) {
		best := 0 // 3 exact, 2 prefix, 1 contains
		consider := func(term string) {
			term = foldText(term)
			switch {
			case term == q:
				best = 3
			case strings.HasPrefix(term, q) && best < 2:
				best = 2
			case len(q) >= 3 && strings.Contains(term, q) && best < 1:
				best = 1
			}
		}
		if strings.EqualFold(l.Code, q) {
			best = 3
		}
		for _, other := range views.Languages {
			consider(views.CountryName(other, l.Code))
		}
		for _, a := range countryAliases[l.Code] {
			consider(a)
		}
		switch best {
		case 3:
			exacts = append(exacts, l)
		case 2:
			prefix = append(prefix, l)
		case 1:
			contains = append(contains, l)
		}
	}
	return append(append(exacts, prefix...), contains...), len(exacts)
}

// maxQueryLen bounds the search text; longer input is a malformed request.
const maxQueryLen = 100

// handleSearch serves /search?q= for buyers without JavaScript: a single
// exact match goes straight to its country page, anything else lists the
// matches.
func (a *App) handleSearch(c *fiber.Ctx) error {
	lang := httpx.LangOf(c)
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > maxQueryLen {
		return httpx.BadRequest("error.query_too_long")
	}
	results, exact := searchDestinations(a.snapshot(), lang, q)
	if len(results) == 1 || exact == 1 {
		return c.Redirect(results[0].URL, fiber.StatusSeeOther)
	}
	p := a.page(c, "/search", views.T(lang, "search.title"), views.T(lang, "search.description"), nil)
	p.NoIndex = true
	return httpx.Render(c, fiber.StatusOK, views.Search(views.SearchData{Page: p, Query: q, Results: results}))
}
