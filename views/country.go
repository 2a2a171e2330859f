package views

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/esimshop/esimshop/store"
)

// countryOverrides replaces CLDR names that read badly in a shop (political
// qualifiers, "&", exonyms travellers do not search for) and supplies codes
// that CLDR lacks or that vendors still send (AN). Keyed by language, then
// ISO code.
var countryOverrides = map[string]map[string]string{
	"en": {
		"AN": "Netherlands Antilles",
		"BA": "Bosnia and Herzegovina",
		"CD": "DR Congo",
		"CG": "Republic of the Congo",
		"CI": "Côte d'Ivoire",
		"HK": "Hong Kong",
		"KN": "Saint Kitts and Nevis",
		"LC": "Saint Lucia",
		"MK": "North Macedonia",
		"MM": "Myanmar",
		"MO": "Macau",
		"PS": "Palestine",
		"VC": "Saint Vincent and the Grenadines",
		"XK": "Kosovo",
	},
	"es": {
		"AN": "Antillas Neerlandesas",
		"CI": "Costa de Marfil",
		"HK": "Hong Kong",
		"MK": "Macedonia del Norte",
		"MM": "Myanmar",
		"MO": "Macao",
		"PS": "Palestina",
		"XK": "Kosovo",
	},
}

// namers caches one display.Namer per supported language; Namers are
// immutable and safe for concurrent use.
var namers = map[string]display.Namer{
	"en": display.Regions(language.English),
	"es": display.Regions(language.Spanish),
}

// CountryName names the country with ISO 3166-1 alpha-2 code in the buyer's
// language. It never uses the vendor's name, which can come back in Chinese.
// Unknown languages use English; codes nobody can name come back as the
// upper-case code, so a page never shows an empty name.
func CountryName(lang, code string) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return ""
	}
	if _, ok := namers[lang]; !ok {
		lang = DefaultLang
	}
	if name, ok := countryOverrides[lang][code]; ok {
		return name
	}
	if len(code) == 2 {
		if r, err := language.ParseRegion(code); err == nil && r.IsCountry() {
			if name := namers[lang].Name(r); name != "" {
				return name
			}
		}
	}
	// Better an English name than a bare code for the few codes CLDR lacks.
	if name, ok := countryOverrides[DefaultLang][code]; ok {
		return name
	}
	return code
}

// Flag returns the emoji flag for an ISO alpha-2 code, built from the two
// regional indicator symbols; "" for anything that is not two ASCII letters.
// Platforms without flag glyphs show the two letters, which still reads.
func Flag(code string) string {
	if len(code) != 2 {
		return ""
	}
	var b strings.Builder
	for _, c := range strings.ToUpper(code) {
		if c < 'A' || c > 'Z' {
			return ""
		}
		b.WriteRune(0x1F1E6 + (c - 'A'))
	}
	return b.String()
}

// RegionSlugs lists the region slugs RegionName knows, in the order a page
// should list them: the store's regions.
var RegionSlugs = store.RegionSlugs

// RegionName names a region slug in the buyer's language; an unknown slug
// comes back unchanged rather than as an empty heading.
func RegionName(lang, slug string) string {
	key := "region." + slug
	if _, ok := messagesEN[key]; !ok {
		return slug
	}
	return T(lang, key)
}
