package billing

import (
	"math/big"
	"strings"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		in   string
		want string // big.Rat.RatString of the result
	}{
		{"4.5", "9/2"},
		{"12.00", "12"},
		{"0.80", "4/5"},
		{"0", "0"},
		{"0.000", "0"},
		{"007", "7"},
		{" 7 ", "7"},
		{"\t1.5\n", "3/2"},
		{"0.1389", "1389/10000"},
		{"92233720368547758.08", "2305843009213693952/25"},
		{strings.Repeat("9", maxDecimalLen), strings.Repeat("9", maxDecimalLen)},
	}
	for _, tt := range tests {
		got, err := ParseDecimal(tt.in)
		if err != nil {
			t.Errorf("ParseDecimal(%q): %v", tt.in, err)
			continue
		}
		if got.RatString() != tt.want {
			t.Errorf("ParseDecimal(%q) = %s; want %s", tt.in, got.RatString(), tt.want)
		}
	}
}

func TestParseDecimalRejects(t *testing.T) {
	for _, in := range []string{
		"", " ", "-1", "+1", "-0", "1e3", "1E3", "1/3", "1.2.3", ".5", "5.", ".",
		"1,5", "1 000", "1_000", "0x10", "NaN", "Inf", "١٢", "１２", "12abc", "$12",
		strings.Repeat("9", maxDecimalLen+1),
	} {
		if got, err := ParseDecimal(in); err == nil {
			t.Errorf("ParseDecimal(%q) = %s, nil; want an error", in, got.RatString())
		}
	}
}

func TestParseDecimalIsExact(t *testing.T) {
	// 0.1 + 0.2 must be exactly 0.3: the reason floats are banned.
	a, _ := ParseDecimal("0.1")
	b, _ := ParseDecimal("0.2")
	c, _ := ParseDecimal("0.3")
	if new(big.Rat).Add(a, b).Cmp(c) != 0 {
		t.Fatal("0.1 + 0.2 != 0.3")
	}
}
