package content

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/esimshop/esimshop/views"
)

// Places matches an old WooCommerce product or category to where it is
// sold now: a plan by its SKU, else a destination by a country named in
// its title (in any of the shop's languages).
type Places struct {
	skus  map[string]bool
	names []placeName // longest first, so "South Korea" wins over "Korea"
}

// placeName is a folded country name and its ISO code.
type placeName struct{ words, code string }

// NewPlaces builds a matcher for the plans skus and the destinations
// countries (ISO alpha-2 codes).
func NewPlaces(skus, countries []string) *Places {
	p := &Places{skus: make(map[string]bool, len(skus))}
	for _, s := range skus {
		p.skus[s] = true
	}
	for _, code := range countries {
		seen := map[string]bool{}
		for _, lang := range views.Languages {
			w := " " + fold(views.CountryName(lang, code)) + " "
			if w != "  " && !seen[w] {
				seen[w] = true
				p.names = append(p.names, placeName{w, code})
			}
		}
	}
	sort.Slice(p.names, func(i, j int) bool {
		if len(p.names[i].words) != len(p.names[j].words) {
			return len(p.names[i].words) > len(p.names[j].words)
		}
		return p.names[i].words < p.names[j].words
	})
	return p
}

// Match returns the shop path for a product with the given SKU (may be "")
// and title or slug: its plan's page, else the page of the country it
// names. ok is false when nothing matches.
func (p *Places) Match(sku string, texts ...string) (string, bool) {
	if sku = strings.TrimSpace(sku); sku != "" && p.skus[sku] {
		return "/plans/" + sku, true
	}
	for _, t := range texts {
		w := " " + fold(strings.ReplaceAll(t, "-", " ")) + " "
		for _, n := range p.names {
			if strings.Contains(w, n.words) {
				return "/destinations/" + strings.ToLower(n.code), true
			}
		}
	}
	return "", false
}

// accents removes combining marks after decomposition: "Japón" → "Japon".
var accents = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// fold lower-cases s, drops accents and turns everything but letters and
// digits into single spaces.
func fold(s string) string {
	s, _, _ = transform.String(accents, s)
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// Slugify makes a slug of s: folded words joined by hyphens, ASCII only,
// at most 80 bytes.
func Slugify(s string) string {
	var b strings.Builder
	for _, r := range strings.ReplaceAll(fold(s), " ", "-") {
		if r < 128 {
			b.WriteRune(r)
		}
	}
	out := strings.Trim(b.String(), "-")
	for strings.Contains(out, "--") {
		out = strings.ReplaceAll(out, "--", "-")
	}
	if len(out) > 80 {
		out = strings.TrimRight(out[:80], "-")
	}
	return out
}
