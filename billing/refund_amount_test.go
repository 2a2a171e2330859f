package billing

import "testing"

func TestRefundOfUnits(t *testing.T) {
	tests := []struct {
		units []int64
		want  int64
		ok    bool
	}{
		{[]int64{450}, 450, true},
		{[]int64{450, 450, 999}, 1899, true},
		{nil, 0, false},
		{[]int64{450, 0}, 0, false},
		{[]int64{-1}, 0, false},
		{[]int64{maxAmount, 1}, 0, false},
	}
	for _, tt := range tests {
		got, err := RefundOfUnits(tt.units)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("RefundOfUnits(%v) = %d, %v; want %d, ok %v", tt.units, got, err, tt.want, tt.ok)
		}
	}
}
