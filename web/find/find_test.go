package find

import (
	"strings"
	"testing"
)

// testIndex is a small catalog: names in English and Spanish plus the
// shop's aliases, as the storefront builds it.
func testIndex() *Index {
	names := map[string][]string{
		"JP": {"Japan", "Japón"}, "TH": {"Thailand", "Tailandia"}, "ID": {"Indonesia", "Indonesia"},
		"AE": {"United Arab Emirates", "Emiratos Árabes Unidos"}, "MX": {"Mexico", "México"},
		"ES": {"Spain", "España"}, "US": {"United States", "Estados Unidos"}, "GB": {"United Kingdom", "Reino Unido"},
		"PE": {"Peru", "Perú"}, "DE": {"Germany", "Alemania"},
	}
	var entries []Entry
	for _, code := range []string{"DE", "ES", "GB", "ID", "JP", "MX", "PE", "TH", "AE", "US"} {
		entries = append(entries, Entry{Code: code, Terms: append(names[code], Aliases[code]...)})
	}
	return NewIndex(entries)
}

func TestSearch(t *testing.T) {
	ix := testIndex()
	tests := []struct {
		q     string
		first string // code of the first match; "" = none
		kind  int
		also  string // another code that must be among the matches
	}{
		{"Japan", "JP", KindExact, ""},
		{"JAPÓN", "JP", KindExact, ""},
		{"  japon ", "JP", KindExact, ""},
		{"jp", "JP", KindExact, ""},
		{"japn", "JP", KindTypo, ""},
		{"japam", "JP", KindTypo, ""},
		{"tokyo", "JP", KindExact, ""},
		{"Tokio", "JP", KindExact, ""},
		{"tokoy", "JP", KindTypo, ""},
		{"bali", "ID", KindExact, ""},
		{"Phuket", "TH", KindExact, ""},
		{"tailandai", "TH", KindTypo, ""},
		{"Dubai", "AE", KindExact, ""},
		{"Cancún", "MX", KindExact, ""},
		{"cancun", "MX", KindExact, ""},
		{"Canarias", "ES", KindExact, ""},
		{"islas canarias", "ES", KindExact, ""},
		{"Hawaii", "US", KindExact, ""},
		{"hawai", "US", KindExact, ""},
		{"york", "US", KindPrefix, ""},
		{"united", "GB", KindPrefix, "AE"},
		{"alemnia", "DE", KindTypo, ""},
		{"peru", "PE", KindExact, ""},
		{"xq", "", 0, ""},
		{"zzzzzzzz", "", 0, ""},
		{"", "", 0, ""},
	}
	for _, tt := range tests {
		got := ix.Search(tt.q)
		if tt.first == "" {
			if len(got) != 0 {
				t.Errorf("%q: want nothing, got %v", tt.q, got)
			}
			continue
		}
		if len(got) == 0 || got[0].Code != tt.first || got[0].Kind != tt.kind {
			t.Errorf("%q: got %v, want %s first (kind %d)", tt.q, got, tt.first, tt.kind)
			continue
		}
		if tt.also != "" {
			found := false
			for _, m := range got {
				found = found || m.Code == tt.also
			}
			if !found {
				t.Errorf("%q: %s missing from %v", tt.q, tt.also, got)
			}
		}
	}
}

func TestSuggest(t *testing.T) {
	ix := testIndex()
	tests := []struct{ q, want string }{
		{"jpaaan", "JP"},   // three edits: no match, but the nearest name
		{"tialandi", "TH"}, // transposed and missing letters
		{"qqqqqqqq", ""},   // nonsense suggests nothing
	}
	for _, tt := range tests {
		got := ix.Suggest(tt.q, 3)
		if tt.want == "" {
			if len(got) != 0 {
				t.Errorf("%q: suggested %v", tt.q, got)
			}
			continue
		}
		if len(got) == 0 || got[0].Code != tt.want {
			t.Errorf("%q: suggested %v, want %s first", tt.q, got, tt.want)
		}
	}
}

func TestFoldAndDistance(t *testing.T) {
	for in, want := range map[string]string{"México": "mexico", " CANCÚN ": "cancun", "Côte d'Ivoire": "cote d ivoire", "São-Paulo": "sao paulo"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	for _, tt := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"japn", "japan", 2, 1}, {"kitten", "sitting", 3, 3}, {"abc", "abc", 1, 0}, {"tokoy", "tokyo", 1, 1}, {"a", "abcdef", 2, 3},
	} {
		if got := distance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("distance(%q,%q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if strings.Contains(Fold("a\u0301"), "\u0301") {
		t.Error("combining accent kept")
	}
}
