package billing

import (
	"errors"
	"testing"
)

// TestRuleCost checks the cost floor on its own: settlement × FX, rounded
// up to a minor unit, the same floor Price enforces.
func TestRuleCost(t *testing.T) {
	tests := []struct {
		fx, currency, settlement string
		want                     int64
		err                      error
	}{
		{"0.14", "usd", "24.50", 343, nil},   // 3.43 exactly
		{"0.1389", "usd", "24.50", 341, nil}, // 3.40305 → 3.41
		{"20.5", "jpy", "24.50", 503, nil},   // 502.25 → 503
		{"0.14", "usd", "", 0, ErrInvalidPrice},
		{"0.14", "usd", "abc", 0, ErrInvalidPrice},
	}
	for _, tt := range tests {
		r, err := ParseRule("retail", tt.fx, "10", "", tt.currency)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Cost(tt.settlement)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("Cost(%q) error %v, want %v", tt.settlement, err, tt.err)
			}
			continue
		}
		if err != nil || got.Amount != tt.want || got.Currency != tt.currency {
			t.Errorf("Cost(%q) at %s %s = %v, %v; want %d", tt.settlement, tt.fx, tt.currency, got, err, tt.want)
		}
		// A price below the cost is refused by Price with the same floor.
		if p, err := r.Price(tt.settlement, tt.settlement); err == nil && p.Amount < got.Amount {
			t.Errorf("Price %d below Cost %d", p.Amount, got.Amount)
		}
	}
}

// TestStep checks the smallest chargeable amounts.
func TestStep(t *testing.T) {
	for cur, want := range map[string]int64{"usd": 1, "JPY": 1, "kwd": 10, "isk": 100} {
		if got, err := Step(cur); err != nil || got != want {
			t.Errorf("Step(%s) = %d, %v; want %d", cur, got, err, want)
		}
	}
	if _, err := Step("xyz"); err == nil {
		t.Error("Step(xyz) accepted")
	}
}
