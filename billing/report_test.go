package billing

import (
	"errors"
	"testing"
)

func TestCostOf(t *testing.T) {
	r, err := ParseRule("retail", "0.14", "25", "", "usd")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		settlement string
		qty        int64
		want       int64
		err        bool
	}{
		{"4.50", 1, 63, false}, // 4.50 × 0.14 = 0.63
		{"4.50", 3, 189, false},
		{"1.01", 2, 2 * 15, false}, // 0.1414 rounds up to 0.15 per eSIM
		{"4.50", 0, 0, false},
		{"", 1, 0, true},
		{"abc", 1, 0, true},
		{"4.50", -1, 0, true},
		{"4.50", 1 << 62, 0, true},
	}
	for _, tc := range tests {
		got, err := r.CostOf(tc.settlement, tc.qty)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("CostOf(%q, %d) = %d, %v; want %d, err %v", tc.settlement, tc.qty, got, err, tc.want, tc.err)
		}
	}
	if _, err := r.CostOf("4.50", 1<<62); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("overflow err = %v, want ErrOutOfRange", err)
	}
}

func TestMargin(t *testing.T) {
	tests := []struct {
		revenue, refunds, cost, want, bp int64
	}{
		{10000, 0, 6000, 4000, 4000},
		{10000, 1000, 6000, 3000, 3000},
		{1000, 2000, 500, -1500, -15000},
		{0, 0, 0, 0, 0},
		{3, 0, 2, 1, 3333},
	}
	for _, tc := range tests {
		m := Margin(tc.revenue, tc.refunds, tc.cost)
		if m != tc.want {
			t.Errorf("Margin(%d, %d, %d) = %d, want %d", tc.revenue, tc.refunds, tc.cost, m, tc.want)
		}
		if bp := MarginBasisPoints(m, tc.revenue); bp != tc.bp {
			t.Errorf("MarginBasisPoints(%d, %d) = %d, want %d", m, tc.revenue, bp, tc.bp)
		}
	}
}
