package store

import (
	"sort"
)

// RegionSlugs are the shop's regions in display order. They appear in URLs,
// so they never change once published.
var RegionSlugs = []string{"europe", "asia", "middle-east", "africa", "north-america", "latin-america", "oceania", "global"}

// Thresholds of RegionFor.
const (
	// globalMinCountries: a plan covering this many countries is sold as
	// global whatever its spread.
	globalMinCountries = 60
	// dominantPercent: a region must hold at least this share of a plan's
	// countries to name it; otherwise the plan spans regions and is global.
	dominantPercent = 70
)

// regionCodes lists every ISO 3166-1 alpha-2 code (plus XK, Kosovo, which
// vendors use) by region. Choices a buyer might not expect:
//   - Turkey, Cyprus and Russia are europe: that is where travellers look
//     for them and where vendors bundle them.
//   - The Caucasus (AM, AZ, GE) and Central Asia are asia.
//   - Mexico, Central America, the Caribbean and South America are
//     latin-america; north-america is the US and Canada plus Greenland,
//     Bermuda and Saint Pierre & Miquelon. RegionFor still counts Mexico as
//     north-america in a plan that also covers the US or Canada.
//   - Egypt and the Maghreb are africa; the Gulf, Levant, Iraq, Iran and
//     Yemen are middle-east.
//   - Remote territories go to the nearest inhabited region (AQ, HM:
//     oceania; BV, TF: africa; GS: latin-america; IO: asia).
var regionCodes = map[string][]string{
	"europe": {"AD", "AL", "AT", "AX", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI",
		"FO", "FR", "GB", "GG", "GI", "GR", "HR", "HU", "IE", "IM", "IS", "IT", "JE", "LI", "LT", "LU", "LV",
		"MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI", "SJ", "SK", "SM",
		"TR", "UA", "VA", "XK"},
	"asia": {"AF", "AM", "AZ", "BD", "BN", "BT", "CN", "GE", "HK", "ID", "IN", "IO", "JP", "KG", "KH", "KP",
		"KR", "KZ", "LA", "LK", "MM", "MN", "MO", "MV", "MY", "NP", "PH", "PK", "SG", "TH", "TJ", "TL", "TM",
		"TW", "UZ", "VN"},
	"middle-east": {"AE", "BH", "IL", "IQ", "IR", "JO", "KW", "LB", "OM", "PS", "QA", "SA", "SY", "YE"},
	"africa": {"AO", "BF", "BI", "BJ", "BV", "BW", "CD", "CF", "CG", "CI", "CM", "CV", "DJ", "DZ", "EG", "EH",
		"ER", "ET", "GA", "GH", "GM", "GN", "GQ", "GW", "KE", "KM", "LR", "LS", "LY", "MA", "MG", "ML", "MR",
		"MU", "MW", "MZ", "NA", "NE", "NG", "RE", "RW", "SC", "SD", "SH", "SL", "SN", "SO", "SS", "ST", "SZ",
		"TD", "TF", "TG", "TN", "TZ", "UG", "YT", "ZA", "ZM", "ZW"},
	"north-america": {"BM", "CA", "GL", "PM", "US"},
	"latin-america": {"AG", "AI", "AR", "AW", "BB", "BL", "BO", "BQ", "BR", "BS", "BZ", "CL", "CO", "CR", "CU",
		"CW", "DM", "DO", "EC", "FK", "GD", "GF", "GP", "GS", "GT", "GY", "HN", "HT", "JM", "KN", "KY", "LC",
		"MF", "MQ", "MS", "MX", "NI", "PA", "PE", "PR", "PY", "SR", "SV", "SX", "TC", "TT", "UY", "VC", "VE",
		"VG", "VI"},
	"oceania": {"AQ", "AS", "AU", "CC", "CK", "CX", "FJ", "FM", "GU", "HM", "KI", "MH", "MP", "NC", "NF", "NR",
		"NU", "NZ", "PF", "PG", "PN", "PW", "SB", "TK", "TO", "TV", "UM", "VU", "WF", "WS"},
}

// regionByCode is regionCodes inverted, built once at start-up.
var regionByCode = func() map[string]string {
	m := make(map[string]string, 256)
	for slug, codes := range regionCodes {
		for _, c := range codes {
			m[c] = slug
		}
	}
	return m
}()

// RegionOf returns the region slug of one upper-case ISO 3166-1 alpha-2
// code, or "" for a code it does not know. It never returns "global".
func RegionOf(code string) string {
	return regionByCode[code]
}

// RegionCountries returns the codes of a region, sorted; nil for "global"
// (which is a property of a plan, not of a country) and unknown slugs.
func RegionCountries(slug string) []string {
	codes := regionCodes[slug]
	if codes == nil {
		return nil
	}
	out := append([]string(nil), codes...)
	sort.Strings(out)
	return out
}

// RegionFor returns the region a plan covering codes is sold under:
//   - "" for at most one distinct country (a single-country plan);
//   - "global" for 60 or more distinct countries;
//   - otherwise the region holding at least 70% of the distinct countries,
//     counting unknown codes against every region;
//   - "global" when no region reaches 70% (a multi-region plan).
//
// Mexico counts as north-america when the US or Canada is also covered, so
// the common US+CA+MX plan is a North America plan rather than global.
func RegionFor(codes []string) string {
	distinct := make(map[string]bool, len(codes))
	for _, c := range codes {
		distinct[c] = true
	}
	n := len(distinct)
	if n <= 1 {
		return ""
	}
	if n >= globalMinCountries {
		return "global"
	}
	withUSorCA := distinct["US"] || distinct["CA"]
	counts := map[string]int{}
	for c := range distinct {
		r := RegionOf(c)
		if c == "MX" && withUSorCA {
			r = "north-america"
		}
		if r != "" {
			counts[r]++
		}
	}
	for _, slug := range RegionSlugs {
		if counts[slug]*100 >= dominantPercent*n {
			return slug
		}
	}
	return "global"
}
