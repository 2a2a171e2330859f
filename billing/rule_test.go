package billing

import (
	"strings"
	"testing"
)

func TestParseRule(t *testing.T) {
	tests := []struct {
		basis, fx, markup, charm, currency string
		wantBasis, wantCurrency            string
	}{
		{"retail", "1", "0", "", "usd", "retail", "usd"},
		{" Retail ", " 0.1389 ", " 30 ", " 0.99 ", " USD ", "retail", "usd"},
		{"SETTLEMENT", "20.5", "-99.5", "80", "jpy", "settlement", "jpy"},
		{"settlement", "0.0425", "12.5", "0.990", "kwd", "settlement", "kwd"},
		{"retail", "0.0425", "0", "0.99", "kwd", "retail", "kwd"}, // two digits = 0.990
		{"retail", "19.5", "-0", "90", "isk", "retail", "isk"},
		{"retail", "1", "0", "0.00", "eur", "retail", "eur"},
		{"retail", "1", "0", "0.5", "eur", "retail", "eur"},
		{"retail", "1", "0", "0", "jpy", "retail", "jpy"},
		{"retail", "1", "0", "000000000", "krw", "retail", "krw"},
	}
	for _, tt := range tests {
		r, err := ParseRule(tt.basis, tt.fx, tt.markup, tt.charm, tt.currency)
		if err != nil {
			t.Errorf("ParseRule(%q, %q, %q, %q, %q): %v", tt.basis, tt.fx, tt.markup, tt.charm, tt.currency, err)
			continue
		}
		if r.Basis() != tt.wantBasis || r.Currency() != tt.wantCurrency ||
			r.FXRate() != strings.TrimSpace(tt.fx) || r.MarkupPct() != strings.TrimSpace(tt.markup) ||
			r.Charm() != strings.TrimSpace(tt.charm) {
			t.Errorf("ParseRule(%q, %q, %q, %q, %q) getters = %q %q %q %q %q", tt.basis, tt.fx, tt.markup, tt.charm, tt.currency,
				r.Basis(), r.FXRate(), r.MarkupPct(), r.Charm(), r.Currency())
		}
	}
}

func TestParseRuleRejects(t *testing.T) {
	type in struct{ basis, fx, markup, charm, currency string }
	ok := in{"retail", "1", "30", "0.99", "usd"}
	tests := []struct {
		name    string
		in      in
		setting string // the error must name it
	}{
		{"empty basis", in{"", ok.fx, ok.markup, ok.charm, ok.currency}, "PRICE_BASIS"},
		{"unknown basis", in{"wholesale", ok.fx, ok.markup, ok.charm, ok.currency}, "PRICE_BASIS"},
		{"empty fx", in{ok.basis, "", ok.markup, ok.charm, ok.currency}, "PRICE_FX_RATE"},
		{"zero fx", in{ok.basis, "0", ok.markup, ok.charm, ok.currency}, "PRICE_FX_RATE"},
		{"zero fx decimals", in{ok.basis, "0.000", ok.markup, ok.charm, ok.currency}, "PRICE_FX_RATE"},
		{"negative fx", in{ok.basis, "-1", ok.markup, ok.charm, ok.currency}, "PRICE_FX_RATE"},
		{"exponent fx", in{ok.basis, "1e3", ok.markup, ok.charm, ok.currency}, "PRICE_FX_RATE"},
		{"fraction fx", in{ok.basis, "1/7", ok.markup, ok.charm, ok.currency}, "PRICE_FX_RATE"},
		{"comma fx", in{ok.basis, "0,1389", ok.markup, ok.charm, ok.currency}, "PRICE_FX_RATE"},
		{"empty markup", in{ok.basis, ok.fx, "", ok.charm, ok.currency}, "PRICE_MARKUP_PCT"},
		{"markup -100", in{ok.basis, ok.fx, "-100", ok.charm, ok.currency}, "PRICE_MARKUP_PCT"},
		{"markup -150", in{ok.basis, ok.fx, "-150", ok.charm, ok.currency}, "PRICE_MARKUP_PCT"},
		{"markup plus sign", in{ok.basis, ok.fx, "+5", ok.charm, ok.currency}, "PRICE_MARKUP_PCT"},
		{"markup space after sign", in{ok.basis, ok.fx, "- 5", ok.charm, ok.currency}, "PRICE_MARKUP_PCT"},
		{"markup double sign", in{ok.basis, ok.fx, "--5", ok.charm, ok.currency}, "PRICE_MARKUP_PCT"},
		{"markup percent sign", in{ok.basis, ok.fx, "30%", ok.charm, ok.currency}, "PRICE_MARKUP_PCT"},
		{"markup word", in{ok.basis, ok.fx, "thirty", ok.charm, ok.currency}, "PRICE_MARKUP_PCT"},
		{"charm one", in{ok.basis, ok.fx, ok.markup, "1", ok.currency}, "PRICE_CHARM"},
		{"charm 1.00", in{ok.basis, ok.fx, ok.markup, "1.00", ok.currency}, "PRICE_CHARM"},
		{"charm too precise", in{ok.basis, ok.fx, ok.markup, "0.999", ok.currency}, "PRICE_CHARM"},
		{"charm no leading zero", in{ok.basis, ok.fx, ok.markup, ".99", ok.currency}, "PRICE_CHARM"},
		{"charm negative", in{ok.basis, ok.fx, ok.markup, "-0.99", ok.currency}, "PRICE_CHARM"},
		{"charm word", in{ok.basis, ok.fx, ok.markup, "yes", ok.currency}, "PRICE_CHARM"},
		{"charm with decimals for jpy", in{ok.basis, ok.fx, ok.markup, "0.99", "jpy"}, "PRICE_CHARM"},
		{"charm 8.0 for jpy", in{ok.basis, ok.fx, ok.markup, "8.0", "jpy"}, "PRICE_CHARM"},
		{"charm too long for jpy", in{ok.basis, ok.fx, ok.markup, "1234567890", "jpy"}, "PRICE_CHARM"},
		{"charm with decimals for isk", in{ok.basis, ok.fx, ok.markup, "0.99", "isk"}, "PRICE_CHARM"},
		{"charm not ending in 0 for kwd", in{ok.basis, ok.fx, ok.markup, "0.995", "kwd"}, "PRICE_CHARM"},
		{"empty currency", in{ok.basis, ok.fx, ok.markup, "", ""}, "STORE_CURRENCY"},
		{"short currency", in{ok.basis, ok.fx, ok.markup, "", "us"}, "STORE_CURRENCY"},
		{"unknown currency", in{ok.basis, ok.fx, ok.markup, "", "xyz"}, "STORE_CURRENCY"},
		{"symbol currency", in{ok.basis, ok.fx, ok.markup, "", "$"}, "STORE_CURRENCY"},
		{"currency name", in{ok.basis, ok.fx, ok.markup, "", "dollar"}, "STORE_CURRENCY"},
	}
	for _, tt := range tests {
		r, err := ParseRule(tt.in.basis, tt.in.fx, tt.in.markup, tt.in.charm, tt.in.currency)
		if err == nil {
			t.Errorf("%s: ParseRule = %v, nil; want an error", tt.name, r)
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.setting+": ") {
			t.Errorf("%s: error %q does not start with %s", tt.name, err, tt.setting)
		}
		if !strings.Contains(err.Error(), "expected") && !strings.Contains(err.Error(), "must be") {
			t.Errorf("%s: error %q does not say what is expected", tt.name, err)
		}
		if r != (Rule{}) {
			t.Errorf("%s: a failed ParseRule returned a non-zero Rule", tt.name)
		}
	}
}

func TestParseRuleReportsEverySetting(t *testing.T) {
	_, err := ParseRule("x", "0", "-200", "", "zzz")
	if err == nil {
		t.Fatal("want an error")
	}
	for _, s := range []string{"PRICE_BASIS", "PRICE_FX_RATE", "PRICE_MARKUP_PCT", "STORE_CURRENCY"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %s", err, s)
		}
	}
}

func TestRuleString(t *testing.T) {
	tests := []struct {
		r    Rule
		want string
	}{
		{mustRule(t, "retail", "0.1389", "30", "0.99", "USD"), "retail × 0.1389 × (100+30)% → usd, charm 0.99"},
		{mustRule(t, "settlement", "20.5", "-10", "", "jpy"), "settlement × 20.5 × (100-10)% → jpy"},
		{Rule{}, "unconfigured pricing rule"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("String() = %q; want %q", got, tt.want)
		}
	}
}

func mustRule(t testing.TB, basis, fx, markup, charm, currency string) Rule {
	t.Helper()
	r, err := ParseRule(basis, fx, markup, charm, currency)
	if err != nil {
		t.Fatalf("ParseRule(%q, %q, %q, %q, %q): %v", basis, fx, markup, charm, currency, err)
	}
	return r
}
