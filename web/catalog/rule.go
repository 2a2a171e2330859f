package catalog

import (
	"strings"

	"github.com/esimshop/esimshop/billing"
)

// Settings keys of the pricing rule. The environment's rule is only the
// default for a key that was never saved.
const (
	SetBasis    = "pricing.basis"
	SetFXRate   = "pricing.fx_rate"
	SetMarkup   = "pricing.markup_pct"
	SetCharm    = "pricing.charm"
	SetCurrency = "pricing.currency"
)

// RuleFields are the pricing form's fields with the setting each is
// stored under and the prefix billing.ParseRule gives its errors.
var RuleFields = []struct{ Form, Key, errPrefix string }{
	{"basis", SetBasis, "PRICE_BASIS: "},
	{"fx_rate", SetFXRate, "PRICE_FX_RATE: "},
	{"markup", SetMarkup, "PRICE_MARKUP_PCT: "},
	{"charm", SetCharm, "PRICE_CHARM: "},
	{"currency", SetCurrency, "STORE_CURRENCY: "},
}

// RuleValues returns a rule's settings as text, keyed by setting.
func RuleValues(r billing.Rule) map[string]string {
	return map[string]string{
		SetBasis: r.Basis(), SetFXRate: r.FXRate(), SetMarkup: r.MarkupPct(), SetCharm: r.Charm(), SetCurrency: r.Currency(),
	}
}

// ParseRuleValues builds a rule from settings text; field errors are keyed
// by form field ("form" for one that names no field).
func ParseRuleValues(v map[string]string) (billing.Rule, map[string]string) {
	r, err := billing.ParseRule(v[SetBasis], v[SetFXRate], v[SetMarkup], v[SetCharm], v[SetCurrency])
	if err == nil {
		return r, nil
	}
	errs := map[string]string{}
	for _, line := range strings.Split(err.Error(), "\n") {
		field := "form"
		for _, f := range RuleFields {
			if rest, ok := strings.CutPrefix(line, f.errPrefix); ok {
				field, line = f.Form, rest
			}
		}
		if errs[field] == "" {
			errs[field] = line
		}
	}
	return billing.Rule{}, errs
}
