package billing

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestRulePrice(t *testing.T) {
	type rule struct{ basis, fx, markup, charm, currency string }
	usd := rule{"retail", "1", "0", "", "usd"}
	tests := []struct {
		name               string
		rule               rule
		retail, settlement string
		want               int64
	}{
		// Plain conversion and markup.
		{"usd plain", usd, "12.00", "10.00", 1200},
		{"usd surrounding spaces", usd, " 12.00 ", " 10 ", 1200},
		{"markup 30%", rule{"retail", "1", "30", "", "usd"}, "10", "8", 1300},
		{"fractional markup", rule{"retail", "1", "12.5", "", "usd"}, "8", "1", 900},
		{"fx cny→usd", rule{"retail", "0.1389", "0", "", "usd"}, "100.00", "80", 1389},
		{"fx and markup", rule{"retail", "0.1389", "30", "", "usd"}, "100.00", "80", 1806}, // 18.057
		{"discount above cost", rule{"retail", "1", "-10", "", "usd"}, "10", "8", 900},
		// Rounding up to the minor unit, never down.
		{"fraction rounds up", usd, "1.001", "1", 101},
		{"tiny fraction rounds up", usd, "1.0000001", "1", 101},
		{"exact cent kept", usd, "1.01", "1", 101},
		{"fx result rounds up", rule{"retail", "0.1389", "0", "", "usd"}, "4.5", "4.5", 63}, // 0.62505
		// Charm: next amount ending in the charm; exact hits kept.
		{"charm .99 from .01", rule{"retail", "1", "0", "0.99", "usd"}, "12.01", "5", 1299},
		{"charm .99 exact hit", rule{"retail", "1", "0", "0.99", "usd"}, "12.99", "5", 1299},
		{"charm .99 from whole", rule{"retail", "1", "0", "0.99", "usd"}, "13.00", "5", 1399},
		{"charm .99 from .98", rule{"retail", "1", "0", "0.99", "usd"}, "12.98", "5", 1299},
		{"charm after rounding up hits", rule{"retail", "1", "0", "0.99", "usd"}, "12.981", "5", 1299},
		{"charm after rounding up passes", rule{"retail", "1", "0", "0.99", "usd"}, "12.991", "5", 1399},
		{"charm .00 whole units", rule{"retail", "1", "0", "0.00", "usd"}, "12.01", "5", 1300},
		{"charm .00 exact", rule{"retail", "1", "0", "0.00", "usd"}, "12.00", "5", 1200},
		{"charm .5 below", rule{"retail", "1", "0", "0.5", "eur"}, "12.01", "5", 1250},
		{"charm .5 exact", rule{"retail", "1", "0", "0.5", "eur"}, "12.50", "5", 1250},
		{"charm .5 above", rule{"retail", "1", "0", "0.5", "eur"}, "12.51", "5", 1350},
		{"charm .99 below one", rule{"retail", "1", "0", "0.99", "usd"}, "0.10", "0.05", 99},
		{"charm with fx and markup", rule{"retail", "0.1389", "30", "0.99", "usd"}, "100.00", "80", 1899},
		// Zero-decimal currency.
		{"jpy fx 20.5", rule{"retail", "20.5", "0", "", "jpy"}, "12.00", "10", 246},
		{"jpy rounds up", rule{"retail", "20.5", "0", "", "jpy"}, "12.34", "10", 253}, // 252.97
		{"jpy charm 80", rule{"retail", "20.5", "0", "80", "jpy"}, "12.00", "10", 280},
		{"jpy charm 80 exact", rule{"retail", "20.5", "0", "20", "jpy"}, "40", "10", 820},
		{"jpy charm 80 next hundred", rule{"retail", "20.5", "0", "80", "jpy"}, "20", "10", 480}, // 410
		{"jpy charm 0 tens", rule{"retail", "20.5", "0", "0", "jpy"}, "12.00", "10", 250},
		{"jpy charm 900", rule{"retail", "20.5", "0", "900", "jpy"}, "100", "10", 2900}, // 2050
		{"jpy charm 00 hundreds", rule{"retail", "20.5", "0", "00", "jpy"}, "100", "10", 2100},
		// Three-decimal currency: amounts end in 0 for Stripe.
		{"kwd rounds to ten fils", rule{"retail", "0.0425", "0", "", "kwd"}, "10", "10", 430},    // 425
		{"kwd exact ten fils", rule{"retail", "0.0425", "0", "", "kwd"}, "12.00", "10", 510},     // 510
		{"kwd fraction rounds up", rule{"retail", "0.0425", "0", "", "kwd"}, "12.01", "10", 520}, // 510.425
		{"kwd charm", rule{"retail", "0.0425", "0", "0.990", "kwd"}, "100", "10", 4990},
		// ISK: two decimals in the API, whole krónur only.
		{"isk whole krónur", rule{"retail", "19.5", "0", "", "isk"}, "12.34", "10", 24100}, // 240.63
		{"isk exact", rule{"retail", "19.5", "0", "", "isk"}, "10", "10", 19500},
		{"isk charm", rule{"retail", "19.5", "0", "90", "isk"}, "12.34", "10", 29000},
		// Settlement basis: retail is ignored except for being well formed.
		{"settlement basis", rule{"settlement", "1", "50", "", "usd"}, "100", "8", 1200},
		{"settlement basis at cost", rule{"settlement", "0.1389", "0", "", "usd"}, "99", "10", 139}, // 1.389
		{"settlement basis retail below cost", rule{"settlement", "1", "10", "", "usd"}, "5", "10", 1100},
		// The charm can lift a discounted price back above cost.
		{"charm rescues discount", rule{"retail", "0.1389", "-1", "0.99", "usd"}, "100", "100", 1399},
		// Largest amount that fits.
		{"max int64", usd, "92233720368547758.07", "1", 9223372036854775807},
	}
	for _, tt := range tests {
		r := mustRule(t, tt.rule.basis, tt.rule.fx, tt.rule.markup, tt.rule.charm, tt.rule.currency)
		got, err := r.Price(tt.retail, tt.settlement)
		if err != nil {
			t.Errorf("%s: Price(%q, %q): %v", tt.name, tt.retail, tt.settlement, err)
			continue
		}
		if got.Amount != tt.want || got.Currency != r.Currency() {
			t.Errorf("%s: Price(%q, %q) = %d %s; want %d %s", tt.name, tt.retail, tt.settlement, got.Amount, got.Currency, tt.want, r.Currency())
		}
	}
}

func TestRulePriceErrors(t *testing.T) {
	type rule struct{ basis, fx, markup, charm, currency string }
	usd := rule{"retail", "1", "0", "", "usd"}
	tests := []struct {
		name               string
		rule               rule
		retail, settlement string
		want               error
	}{
		{"discount below cost", rule{"retail", "1", "-20", "", "usd"}, "10", "9", ErrBelowCost},
		{"vendor retail below settlement", usd, "8", "9", ErrBelowCost},
		{"below cost after fx", rule{"retail", "0.1389", "-1", "", "usd"}, "100", "100", ErrBelowCost}, // 13.76 < 13.89
		{"below cost by a fraction", usd, "9.99", "9.991", ErrBelowCost},                               // 999 < 1000
		{"below cost in jpy", rule{"retail", "20.5", "-50", "", "jpy"}, "12", "10", ErrBelowCost},
		{"settlement basis discount", rule{"settlement", "1", "-0.5", "", "usd"}, "10", "10", ErrBelowCost},
		{"retail missing", usd, "", "1", ErrInvalidPrice},
		{"settlement missing", usd, "1", "", ErrInvalidPrice},
		{"settlement missing, settlement basis", rule{"settlement", "1", "0", "", "usd"}, "1", "", ErrInvalidPrice},
		{"retail malformed on settlement basis", rule{"settlement", "1", "0", "", "usd"}, "n/a", "1", ErrInvalidPrice},
		{"retail spaces only", usd, "  ", "1", ErrInvalidPrice},
		{"retail word", usd, "abc", "1", ErrInvalidPrice},
		{"retail negative", usd, "-1", "1", ErrInvalidPrice},
		{"retail exponent", usd, "1e3", "1", ErrInvalidPrice},
		{"retail comma", usd, "1,5", "1", ErrInvalidPrice},
		{"retail zero", usd, "0", "1", ErrInvalidPrice},
		{"settlement zero", usd, "1", "0.00", ErrInvalidPrice},
		{"settlement fraction", usd, "1", "1/3", ErrInvalidPrice},
		{"one past max int64", usd, "92233720368547758.08", "1", ErrOutOfRange},
		{"charm pushes past max int64", rule{"retail", "1", "0", "0.99", "usd"}, "92233720368547758.07", "1", ErrOutOfRange},
		{"huge fx", rule{"retail", "1000000000000000000", "0", "", "usd"}, "12.99", "1", ErrOutOfRange},
		{"huge fx and markup in jpy", rule{"retail", "100000000000", "100000000", "", "jpy"}, "99999", "1", ErrOutOfRange},
	}
	for _, tt := range tests {
		r := mustRule(t, tt.rule.basis, tt.rule.fx, tt.rule.markup, tt.rule.charm, tt.rule.currency)
		got, err := r.Price(tt.retail, tt.settlement)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Price(%q, %q) = %+v, %v; want %v", tt.name, tt.retail, tt.settlement, got, err, tt.want)
		}
		if got != (Money{}) {
			t.Errorf("%s: Price returned %+v alongside an error", tt.name, got)
		}
	}
}

func TestRulePriceMessages(t *testing.T) {
	r := mustRule(t, "retail", "1", "-20", "", "usd")
	_, err := r.Price("10", "9")
	if err == nil || !strings.Contains(err.Error(), "8.00 usd is less than the cost 9.00 usd") {
		t.Errorf("below-cost error %q does not show price and cost", err)
	}
	_, err = r.Price("10", "")
	if err == nil || !strings.Contains(err.Error(), "settlement price is missing") {
		t.Errorf("missing-price error %q does not name the price", err)
	}
}

func TestZeroRulePrice(t *testing.T) {
	if m, err := (Rule{}).Price("1", "1"); err == nil {
		t.Errorf("zero Rule priced %+v", m)
	}
}

// TestRulePriceConcurrent runs under -race: a Rule is shared by every
// request and the catalog sync, so Price must not write to it.
func TestRulePriceConcurrent(t *testing.T) {
	r := mustRule(t, "retail", "0.1389", "30", "0.99", "usd")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if m, err := r.Price("100.00", "80"); err != nil || m.Amount != 1899 {
					t.Errorf("Price = %+v, %v", m, err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkRulePrice(b *testing.B) {
	r := mustRule(b, "retail", "0.1389", "30", "0.99", "usd")
	for b.Loop() {
		if _, err := r.Price("45.60", "32.10"); err != nil {
			b.Fatal(err)
		}
	}
}
