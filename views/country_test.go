package views

import "testing"

func TestCountryName(t *testing.T) {
	tests := []struct{ lang, code, want string }{
		{"en", "JP", "Japan"},
		{"es", "JP", "Japón"},
		{"en", "jp", "Japan"}, // lower case accepted
		{"en", "US", "United States"},
		{"es", "US", "Estados Unidos"},
		{"es", "DE", "Alemania"},
		{"en", "HK", "Hong Kong"}, // override of "Hong Kong SAR China"
		{"es", "HK", "Hong Kong"},
		{"en", "MO", "Macau"},
		{"es", "MO", "Macao"},
		{"en", "XK", "Kosovo"},
		{"es", "XK", "Kosovo"},
		{"en", "BA", "Bosnia and Herzegovina"},
		{"es", "CI", "Costa de Marfil"},
		{"en", "AN", "Netherlands Antilles"}, // not in CLDR as a country
		{"es", "AN", "Antillas Neerlandesas"},
		{"fr", "JP", "Japan"}, // unknown language → English
		{"en", "QQ", "QQ"},    // unknown code → the code
		{"en", "ZZ", "ZZ"},    // "Unknown Region" is not a country name
		{"en", "EU", "EU"},    // not a country
		{"en", "USA", "USA"},  // not alpha-2
		{"en", "", ""},
	}
	for _, tt := range tests {
		if got := CountryName(tt.lang, tt.code); got != tt.want {
			t.Errorf("CountryName(%q, %q) = %q, want %q", tt.lang, tt.code, got, tt.want)
		}
	}
}

func TestFlag(t *testing.T) {
	tests := []struct{ code, want string }{
		{"JP", "🇯🇵"},
		{"es", "🇪🇸"},
		{"XK", "🇽🇰"},
		{"J", ""},
		{"JPN", ""},
		{"1A", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Flag(tt.code); got != tt.want {
			t.Errorf("Flag(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func TestRegionName(t *testing.T) {
	tests := []struct{ lang, slug, want string }{
		{"en", "europe", "Europe"},
		{"es", "europe", "Europa"},
		{"en", "middle-east", "Middle East"},
		{"es", "middle-east", "Oriente Medio"},
		{"es", "north-america", "Norteamérica"},
		{"es", "latin-america", "Latinoamérica"},
		{"es", "africa", "África"},
		{"es", "oceania", "Oceanía"},
		{"en", "global", "Global"},
		{"en", "atlantis", "atlantis"},
	}
	for _, tt := range tests {
		if got := RegionName(tt.lang, tt.slug); got != tt.want {
			t.Errorf("RegionName(%q, %q) = %q, want %q", tt.lang, tt.slug, got, tt.want)
		}
	}
	for _, slug := range RegionSlugs {
		for _, lang := range Languages {
			if got := RegionName(lang, slug); got == slug && slug != "global" {
				t.Errorf("RegionName(%q, %q) not translated", lang, slug)
			}
		}
	}
}
