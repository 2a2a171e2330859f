package billing

import (
	"errors"
	"strings"
	"testing"
)

// TestCheckOverride: an override at or above the cost is accepted, one
// below it is ErrBelowCost, an unreadable cost is the cost's error.
func TestCheckOverride(t *testing.T) {
	r, err := ParseRule("retail", "0.14", "10", "", "usd")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		amount     int64
		settlement string
		want       error
	}{
		{"above cost", 500, "24.50", nil},
		{"exactly cost", 343, "24.50", nil},
		{"one cent below", 342, "24.50", ErrBelowCost},
		{"zero", 0, "24.50", ErrBelowCost},
		{"no vendor price", 500, "", ErrInvalidPrice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckOverride(r, Money{Amount: tt.amount, Currency: "usd"}, tt.settlement)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("CheckOverride(%d, %q) = %v, want %v", tt.amount, tt.settlement, err, tt.want)
			}
		})
	}
}

// TestParseMajor reads operator-typed prices exactly, per currency.
func TestParseMajor(t *testing.T) {
	tests := []struct {
		text, currency string
		want           int64
		errHas         string // "" = no error
	}{
		{"12.99", "usd", 1299, ""},
		{" 12.9 ", "usd", 1290, ""},
		{"12", "usd", 1200, ""},
		{"0.01", "usd", 1, ""},
		{"1500", "jpy", 1500, ""},
		{"1.5", "jpy", 0, "at most 0 decimals"},
		{"12.999", "usd", 0, "at most 2 decimals"},
		{"1.230", "kwd", 1230, ""},
		{"1.235", "kwd", 0, "multiples of"},
		{"0", "usd", 0, "greater than zero"},
		{"0.00", "usd", 0, "greater than zero"},
		{"-5", "usd", 0, ErrAmount.Error()},
		{"12,99", "usd", 0, ErrAmount.Error()},
		{"1e3", "usd", 0, ErrAmount.Error()},
		{"", "usd", 0, ErrAmount.Error()},
		{"99999999999999999999999", "usd", 0, "greater than zero"},
		{"5", "xyz", 0, "xyz"},
	}
	for _, tt := range tests {
		got, err := ParseMajor(tt.text, tt.currency)
		switch {
		case tt.errHas == "" && (err != nil || got != tt.want):
			t.Errorf("ParseMajor(%q, %s) = %d, %v; want %d", tt.text, tt.currency, got, err, tt.want)
		case tt.errHas != "" && (err == nil || !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(tt.errHas))):
			t.Errorf("ParseMajor(%q, %s) = %d, %v; want an error containing %q", tt.text, tt.currency, got, err, tt.errHas)
		}
	}
}

// TestLineAmount multiplies without overflow and refuses nonsense.
func TestLineAmount(t *testing.T) {
	tests := []struct {
		unit     int64
		quantity int
		want     int64
		ok       bool
	}{
		{1299, 1, 1299, true},
		{1299, 3, 3897, true},
		{1, 10, 10, true},
		{0, 1, 0, false},
		{-5, 2, 0, false},
		{100, 0, 0, false},
		{100, -1, 0, false},
		{1 << 61, 2, 1 << 62, true},
		{1 << 61, 3, 0, false},
		{1 << 62, 1, 1 << 62, true},
		{1<<62 + 1, 1, 0, false},
	}
	for _, tt := range tests {
		got, err := LineAmount(tt.unit, tt.quantity)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("LineAmount(%d, %d) = %d, %v; want %d (ok=%v)", tt.unit, tt.quantity, got, err, tt.want, tt.ok)
		}
	}
}

// TestVendorTotal sums settlement × quantity exactly, to two decimals.
func TestVendorTotal(t *testing.T) {
	tests := []struct {
		name  string
		lines []CostLine
		want  string
		ok    bool
	}{
		{"one line", []CostLine{{"4.5", 1}}, "4.50", true},
		{"quantity", []CostLine{{"4.5", 3}}, "13.50", true},
		{"two lines", []CostLine{{"0.1", 3}, {"0.2", 1}}, "0.50", true}, // no float drift
		{"unpriced line adds nothing", []CostLine{{"", 2}, {"1.25", 2}}, "2.50", true},
		{"nothing priced", []CostLine{{"", 1}, {"abc", 1}}, "", false},
		{"zero prices", []CostLine{{"0", 4}}, "", false},
		{"no lines", nil, "", false},
		{"three decimals round half away", []CostLine{{"1.005", 1}}, "1.01", true},
	}
	for _, tt := range tests {
		got, ok := VendorTotal(tt.lines)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: VendorTotal = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}
