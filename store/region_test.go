package store

import (
	"slices"
	"strings"
	"testing"
)

// iso3166 is every officially assigned ISO 3166-1 alpha-2 code (249).
const iso3166 = `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS
BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET
FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO
IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH
MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`

func TestRegionOfCoversISO3166(t *testing.T) {
	codes := strings.Fields(iso3166)
	if len(codes) != 249 {
		t.Fatalf("test list has %d codes, want 249", len(codes))
	}
	for _, c := range codes {
		if r := RegionOf(c); r == "" || r == "global" || !slices.Contains(RegionSlugs, r) {
			t.Errorf("RegionOf(%s) = %q", c, r)
		}
	}
	// Each code belongs to exactly one region, and only real codes (plus
	// XK, Kosovo) are listed.
	seen := map[string]string{}
	for slug, list := range regionCodes {
		for _, c := range list {
			if prev, dup := seen[c]; dup {
				t.Errorf("%s listed in %s and %s", c, prev, slug)
			}
			seen[c] = slug
			if c != "XK" && !slices.Contains(codes, c) {
				t.Errorf("%s in %s is not an ISO 3166-1 code", c, slug)
			}
		}
	}
	for _, unknown := range []string{"", "ZZ", "UK", "jp", "JPN"} {
		if r := RegionOf(unknown); r != "" {
			t.Errorf("RegionOf(%q) = %q, want \"\"", unknown, r)
		}
	}
}

func TestRegionOf(t *testing.T) {
	tests := map[string]string{
		"US": "north-america", "CA": "north-america", "MX": "latin-america", "PR": "latin-america",
		"JM": "latin-america", "PA": "latin-america", "BR": "latin-america", "TR": "europe", "CY": "europe",
		"RU": "europe", "GB": "europe", "GE": "asia", "AM": "asia", "AZ": "asia", "KZ": "asia", "UZ": "asia",
		"EG": "africa", "MA": "africa", "ZA": "africa", "AE": "middle-east", "SA": "middle-east",
		"IL": "middle-east", "LB": "middle-east", "JO": "middle-east", "AU": "oceania", "NZ": "oceania",
		"JP": "asia", "HK": "asia",
	}
	for code, want := range tests {
		if got := RegionOf(code); got != want {
			t.Errorf("RegionOf(%s) = %q, want %q", code, got, want)
		}
	}
}

func TestRegionFor(t *testing.T) {
	many := func(slug string, n int) []string { return RegionCountries(slug)[:n] }
	join := func(parts ...[]string) []string { return slices.Concat(parts...) }
	sixty := join(RegionCountries("europe"), RegionCountries("asia")[:6]) // 54 + 6
	tests := []struct {
		name  string
		codes []string
		want  string
	}{
		{"none", nil, ""},
		{"one", []string{"JP"}, ""},
		{"one listed twice", []string{"JP", "JP"}, ""},
		{"two european", []string{"FR", "DE"}, "europe"},
		{"europe with turkey", []string{"FR", "DE", "IT", "TR"}, "europe"},
		{"china hong kong macau", []string{"CN", "HK", "MO"}, "asia"},
		{"us and canada", []string{"US", "CA"}, "north-america"},
		{"us canada mexico", []string{"US", "CA", "MX"}, "north-america"},
		{"mexico without us counts as latin america", []string{"MX", "BR", "AR", "CL"}, "latin-america"},
		{"gulf", []string{"AE", "SA", "QA", "KW", "BH", "OM"}, "middle-east"},
		{"gulf plus egypt and morocco", []string{"AE", "SA", "QA", "KW", "BH", "OM", "JO", "EG", "MA"}, "middle-east"},
		{"exactly 70 percent", join(many("europe", 7), many("asia", 3)), "europe"},
		{"just under 70 percent", join(many("europe", 6), many("asia", 3)), "global"},
		{"two regions split", []string{"FR", "JP"}, "global"},
		{"unknown codes count against dominance", []string{"FR", "DE", "QQ", "QR"}, "global"},
		{"59 european-dominated", join(RegionCountries("europe"), many("asia", 5)), "europe"},
		{"60 countries is global", sixty, "global"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RegionFor(tt.codes); got != tt.want {
				t.Errorf("RegionFor(%v) = %q, want %q", tt.codes, got, tt.want)
			}
		})
	}
	if n := len(sixty); n != 60 {
		t.Fatalf("fixture has %d countries, want 60", n)
	}
}

func TestRegionCountries(t *testing.T) {
	total := 0
	for _, slug := range RegionSlugs {
		cs := RegionCountries(slug)
		if slug == "global" {
			if cs != nil {
				t.Errorf("RegionCountries(global) = %v, want nil", cs)
			}
			continue
		}
		if len(cs) == 0 || !slices.IsSorted(cs) {
			t.Errorf("RegionCountries(%s) = %v, want a sorted non-empty list", slug, cs)
		}
		for _, c := range cs {
			if RegionOf(c) != slug {
				t.Errorf("%s listed in %s but RegionOf says %s", c, slug, RegionOf(c))
			}
		}
		total += len(cs)
	}
	if total != 250 {
		t.Errorf("regions hold %d codes, want 250 (249 ISO + XK)", total)
	}
	if cs := RegionCountries("atlantis"); cs != nil {
		t.Errorf("RegionCountries(unknown) = %v", cs)
	}
	// The returned slice is a copy: changing it does not change the table.
	cs := RegionCountries("oceania")
	cs[0] = "ZZ"
	if RegionCountries("oceania")[0] == "ZZ" {
		t.Error("RegionCountries returned the internal slice")
	}
}
