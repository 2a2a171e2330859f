package billing

import (
	"strings"
	"testing"
)

func TestMinorUnits(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{"usd", 2}, {"USD", 2}, {"Eur", 2}, {"gbp", 2}, {"chf", 2}, {"cny", 2},
		{"huf", 2}, {"twd", 2}, {"isk", 2}, // Stripe keeps two decimals for these
		{"bif", 0}, {"clp", 0}, {"djf", 0}, {"gnf", 0}, {"jpy", 0}, {"JPY", 0},
		{"kmf", 0}, {"krw", 0}, {"mga", 0}, {"pyg", 0}, {"rwf", 0}, {"ugx", 0},
		{"vnd", 0}, {"vuv", 0}, {"xaf", 0}, {"xof", 0}, {"xpf", 0},
		{"bhd", 3}, {"jod", 3}, {"kwd", 3}, {"omr", 3}, {"TND", 3},
	}
	for _, tt := range tests {
		got, err := MinorUnits(tt.code)
		if err != nil || got != tt.want {
			t.Errorf("MinorUnits(%q) = %d, %v; want %d, nil", tt.code, got, err, tt.want)
		}
	}
}

func TestMinorUnitsRejects(t *testing.T) {
	for _, code := range []string{"", "us", "usdx", "xyz", "u$d", "12a", " usd", "usd ", "€", "ÜSD", "us\x00"} {
		if got, err := MinorUnits(code); err == nil {
			t.Errorf("MinorUnits(%q) = %d, nil; want an error", code, got)
		}
	}
}

// TestCurrencyTable checks the invariants Price and Format rely on, for
// every row, so a row added later cannot break them silently.
func TestCurrencyTable(t *testing.T) {
	if n := len(currencies); n < 40 {
		t.Fatalf("only %d currencies supported; want at least 40", n)
	}
	for code, c := range currencies {
		if len(code) != 3 || strings.ToLower(code) != code || !isASCIILetters(code) {
			t.Errorf("%q: code must be three lower-case letters", code)
		}
		if c.exp < 0 || c.exp > 3 {
			t.Errorf("%s: exponent %d out of range", code, c.exp)
		}
		if c.step < 1 || int64(pow10u(c.exp))%c.step != 0 {
			t.Errorf("%s: step %d must divide 10^%d", code, c.step, c.exp)
		}
		if c.wholeOnly && c.step != int64(pow10u(c.exp)) {
			t.Errorf("%s: a whole-unit currency must step by one whole unit", code)
		}
	}
	got := Currencies()
	if len(got) != len(currencies) {
		t.Fatalf("Currencies() has %d codes; want %d", len(got), len(currencies))
	}
	for i := 1; i < len(got); i++ {
		if got[i-1] >= got[i] {
			t.Fatalf("Currencies() not sorted at %d: %q, %q", i, got[i-1], got[i])
		}
	}
}
