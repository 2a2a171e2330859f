package billing

import (
	"math"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		m      Money
		en, es string
	}{
		{Money{1299, "usd"}, "$12.99", "12,99 US$"},
		{Money{950, "eur"}, "€9.50", "9,50 €"},
		{Money{300, "gbp"}, "£3.00", "3,00 GBP"},
		{Money{1200, "jpy"}, "¥1,200", "1.200 JPY"},
		{Money{999, "jpy"}, "¥999", "999 JPY"},
		{Money{1250, "chf"}, "CHF 12.50", "12,50 CHF"},
		{Money{123450, "chf"}, "CHF 1,234.50", "1.234,50 CHF"},
		{Money{0, "usd"}, "$0.00", "0,00 US$"},
		{Money{5, "usd"}, "$0.05", "0,05 US$"},
		{Money{-500, "usd"}, "-$5.00", "-5,00 US$"},
		{Money{123456789, "usd"}, "$1,234,567.89", "1.234.567,89 US$"},
		{Money{100000, "usd"}, "$1,000.00", "1.000,00 US$"},
		{Money{99999, "usd"}, "$999.99", "999,99 US$"},
		{Money{1999, "cad"}, "CA$19.99", "19,99 CAD"},
		{Money{1389, "cny"}, "CN¥13.89", "13,89 CNY"},
		{Money{15000, "krw"}, "₩15,000", "15.000 KRW"},
		{Money{5120, "kwd"}, "KWD 5.120", "5,120 KWD"},
		{Money{10, "kwd"}, "KWD 0.010", "0,010 KWD"},
		{Money{120000, "isk"}, "ISK 1,200", "1.200 ISK"},
		{Money{120050, "isk"}, "ISK 1,200.50", "1.200,50 ISK"},
		{Money{1299, "USD"}, "$12.99", "12,99 US$"}, // upper-case code from a sloppy caller
		{Money{1299, "xyz"}, "1299 XYZ", "1299 XYZ"},
		{Money{math.MinInt64, "usd"}, "-$92,233,720,368,547,758.08", "-92.233.720.368.547.758,08 US$"},
		{Money{math.MaxInt64, "jpy"}, "¥9,223,372,036,854,775,807", "9.223.372.036.854.775.807 JPY"},
	}
	for _, tt := range tests {
		if got := tt.m.Format("en"); got != tt.en {
			t.Errorf("%+v.Format(en) = %q; want %q", tt.m, got, tt.en)
		}
		if got := tt.m.Format("es"); got != tt.es {
			t.Errorf("%+v.Format(es) = %q; want %q", tt.m, got, tt.es)
		}
	}
}

func TestFormatLanguage(t *testing.T) {
	m := Money{123456, "usd"}
	tests := []struct{ lang, want string }{
		{"en", "$1,234.56"},
		{"EN", "$1,234.56"},
		{"", "$1,234.56"},
		{"fr", "$1,234.56"}, // unsupported languages fall back to English
		{"est", "$1,234.56"},
		{"es", "1.234,56 US$"},
		{"ES", "1.234,56 US$"},
		{"es-MX", "1.234,56 US$"},
		{"es_AR", "1.234,56 US$"},
	}
	for _, tt := range tests {
		if got := m.Format(tt.lang); got != tt.want {
			t.Errorf("Format(%q) = %q; want %q", tt.lang, got, tt.want)
		}
	}
	if got := m.String(); got != "$1,234.56" {
		t.Errorf("String() = %q", got)
	}
}

func TestMajor(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{
		{Money{1299, "usd"}, "12.99"},
		{Money{1200, "usd"}, "12.00"},
		{Money{5, "usd"}, "0.05"},
		{Money{0, "usd"}, "0.00"},
		{Money{-300, "usd"}, "-3.00"},
		{Money{123456789, "usd"}, "1234567.89"},
		{Money{1200, "jpy"}, "1200"},
		{Money{5120, "kwd"}, "5.120"},
		{Money{120000, "isk"}, "1200"},
		{Money{120050, "isk"}, "1200.50"},
		{Money{42, "xyz"}, "42"},
		{Money{math.MinInt64, "usd"}, "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := tt.m.Major(); got != tt.want {
			t.Errorf("%+v.Major() = %q; want %q", tt.m, got, tt.want)
		}
	}
}

func TestNewMoney(t *testing.T) {
	m, err := NewMoney(1299, "USD")
	if err != nil || m != (Money{1299, "usd"}) {
		t.Errorf("NewMoney(1299, USD) = %+v, %v", m, err)
	}
	for _, code := range []string{"", "xyz", "dollars"} {
		if _, err := NewMoney(1, code); err == nil {
			t.Errorf("NewMoney(1, %q): want an error", code)
		}
	}
}

func TestDivRound(t *testing.T) {
	tests := []struct {
		name     string
		m        Money
		num, den int64
		want     int64
	}{
		{"thirds round down", Money{1000, "usd"}, 1, 3, 333},
		{"sixths round up", Money{1000, "usd"}, 1, 6, 167},
		{"half rounds up", Money{5, "usd"}, 1, 2, 3},
		{"just under half", Money{999, "usd"}, 1, 2000, 0}, // 0.4995
		{"exactly half", Money{1001, "usd"}, 1, 2002, 1},   // 0.5
		{"negative half rounds away from zero", Money{-5, "usd"}, 1, 2, -3},
		{"negative den", Money{100, "usd"}, 1, -3, -33},
		{"per GB of a 500 MB plan", Money{1299, "usd"}, 1024, 500, 2660}, // 2660.352
		{"per day", Money{2900, "jpy"}, 1, 7, 414},                       // 414.28…
		{"exact", Money{1500, "eur"}, 1, 15, 100},
		{"no intermediate overflow", Money{math.MaxInt64, "usd"}, 4, 4, math.MaxInt64},
		{"zero", Money{0, "usd"}, 7, 3, 0},
	}
	for _, tt := range tests {
		got := DivRound(tt.m, tt.num, tt.den)
		if got.Amount != tt.want || got.Currency != tt.m.Currency {
			t.Errorf("%s: DivRound(%+v, %d, %d) = %+v; want %d", tt.name, tt.m, tt.num, tt.den, got, tt.want)
		}
	}
}

func TestDivRoundPanics(t *testing.T) {
	tests := []struct {
		name     string
		num, den int64
		want     string
	}{
		{"zero den", 1, 0, "by zero"},
		{"overflow", 2, 1, "does not fit"},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.Contains(s, tt.want) {
					t.Errorf("%s: panic %v; want one mentioning %q", tt.name, r, tt.want)
				}
			}()
			DivRound(Money{math.MaxInt64, "usd"}, tt.num, tt.den)
		}()
	}
}
