package billing

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// Price bases: which F003 price a Rule starts from.
const (
	// BasisRetail starts from the vendor's suggested retail price.
	BasisRetail = "retail"
	// BasisSettlement starts from what the shop pays the vendor (its cost).
	BasisSettlement = "settlement"
)

// Rule is the pricing rule: it turns a vendor price (in the vendor
// account's currency) into a selling price in the store currency.
//
// Build one with ParseRule; the zero Rule prices nothing. A Rule is
// immutable and safe for concurrent use.
type Rule struct {
	basis      string
	fxText     string
	markupText string
	charmText  string
	currency   string
	info       currencyInfo
	charm      charmRule
	// priceFactor is FX × (100 + markup)/100 × 10^exp: vendor major units to
	// store minor units, markup included. costFactor is FX × 10^exp.
	priceFactor *big.Rat
	costFactor  *big.Rat
}

// charmRule: when set, a price is raised to the next amount (in minor
// units) that is ≡ rem modulo mod.
type charmRule struct {
	set      bool
	mod, rem *big.Int
}

// ParseRule builds a Rule from the shop's settings, each given as text
// (surrounding white space ignored). Every invalid setting is reported, each
// error naming its setting and what it expects:
//
//   - basis (PRICE_BASIS): "retail" or "settlement", either case.
//   - fxRate (PRICE_FX_RATE): store-currency units per one vendor-currency
//     unit, a plain decimal > 0 (e.g. 0.1389 for CNY→USD).
//   - markupPct (PRICE_MARKUP_PCT): percent added to the converted price, a
//     plain decimal with an optional leading '-', greater than -100. A
//     negative markup is a discount; the cost floor in Price still applies.
//   - charm (PRICE_CHARM): optional; empty means none. For a currency with
//     decimals it is the fraction every price ends in, 0 ≤ charm < 1, with
//     no more decimals than the currency ("0.99", "0.5" = "0.50", "0.00" =
//     whole units). For a currency shown without decimals (JPY, KRW, ISK…)
//     it is the digits every price ends in ("80": …80, "900": …900, "0":
//     whole tens). Three-decimal charms must end in 0, as Stripe requires.
//   - currency (STORE_CURRENCY): a supported ISO 4217 code, either case.
func ParseRule(basis, fxRate, markupPct, charm, currency string) (Rule, error) {
	var r Rule
	var errs []error

	switch b := strings.ToLower(strings.TrimSpace(basis)); b {
	case BasisRetail, BasisSettlement:
		r.basis = b
	default:
		errs = append(errs, fmt.Errorf("PRICE_BASIS: %s is not a price basis; expected %q or %q", quote(strings.TrimSpace(basis)), BasisRetail, BasisSettlement))
	}

	r.fxText = strings.TrimSpace(fxRate)
	fx, err := ParseDecimal(r.fxText)
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("PRICE_FX_RATE: %s is not a plain decimal number; expected the store-currency amount of one vendor-currency unit, greater than 0, e.g. 0.1389", quote(r.fxText)))
	case fx.Sign() <= 0:
		errs = append(errs, fmt.Errorf("PRICE_FX_RATE: %s must be greater than 0", quote(r.fxText)))
	}

	r.markupText = strings.TrimSpace(markupPct)
	markup, err := parseSigned(r.markupText)
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("PRICE_MARKUP_PCT: %s is not a plain decimal number; expected a percentage greater than -100, e.g. 30 for +30%% or -10 for a 10%% discount", quote(r.markupText)))
	case markup.Cmp(big.NewRat(-100, 1)) <= 0:
		errs = append(errs, fmt.Errorf("PRICE_MARKUP_PCT: %s must be greater than -100 (a price cannot be zero or negative)", quote(r.markupText)))
	}

	code, info, err := lookupCurrency(strings.TrimSpace(currency))
	if err != nil {
		errs = append(errs, fmt.Errorf("STORE_CURRENCY: %s is not supported; expected a three-letter ISO 4217 code such as usd or eur (supported: %s)", quote(strings.TrimSpace(currency)), strings.Join(Currencies(), " ")))
	} else {
		r.currency, r.info = code, info
		r.charmText = strings.TrimSpace(charm)
		if r.charm, err = parseCharm(r.charmText, code, info); err != nil {
			errs = append(errs, err)
		}
	}

	if len(errs) > 0 {
		return Rule{}, errors.Join(errs...)
	}
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(info.exp)), nil))
	r.costFactor = new(big.Rat).Mul(fx, scale)
	uplift := new(big.Rat).Add(big.NewRat(100, 1), markup)
	uplift.Quo(uplift, big.NewRat(100, 1))
	r.priceFactor = new(big.Rat).Mul(r.costFactor, uplift)
	return r, nil
}

// parseSigned is ParseDecimal with an optional leading '-' (no space after
// it, no '+').
func parseSigned(s string) (*big.Rat, error) {
	rest, neg := strings.CutPrefix(s, "-")
	if neg && strings.TrimSpace(rest) != rest {
		return nil, errors.New("space after sign")
	}
	v, err := ParseDecimal(rest)
	if err != nil {
		return nil, err
	}
	if neg {
		v.Neg(v)
	}
	return v, nil
}

// parseCharm turns PRICE_CHARM into a residue rule in minor units.
func parseCharm(text, code string, info currencyInfo) (charmRule, error) {
	if text == "" {
		return charmRule{}, nil
	}
	upper := strings.ToUpper(code)
	if info.displayExp() == 0 {
		// Digits every whole-unit price ends in; their count sets the modulus.
		const maxDigits = 9
		if !isDigits(text) || len(text) > maxDigits {
			return charmRule{}, fmt.Errorf("PRICE_CHARM: %s does not fit %s, which is priced in whole units; expected up to %d digits every price should end in, e.g. 80 or 900, or empty for none", quote(text), upper, maxDigits)
		}
		unit := big.NewInt(info.step) // minor units per whole unit
		mod := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(text))), nil)
		rem, _ := new(big.Int).SetString(text, 10)
		return charmRule{set: true, mod: mod.Mul(mod, unit), rem: rem.Mul(rem, unit)}, nil
	}
	want := fmt.Sprintf("PRICE_CHARM: %s does not fit %s; expected the fraction every price ends in, from 0 to below 1 with at most %d decimals, e.g. %s, or empty for none", quote(text), upper, info.exp, exampleCharm(info.exp))
	c, err := ParseDecimal(text)
	if err != nil || c.Cmp(big.NewRat(1, 1)) >= 0 {
		return charmRule{}, errors.New(want)
	}
	mod := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(info.exp)), nil)
	minor := new(big.Rat).Mul(c, new(big.Rat).SetInt(mod))
	if !minor.IsInt() {
		return charmRule{}, errors.New(want)
	}
	rem := new(big.Int).Set(minor.Num())
	if new(big.Int).Mod(rem, big.NewInt(info.step)).Sign() != 0 {
		return charmRule{}, fmt.Errorf("PRICE_CHARM: %s does not fit %s, whose amounts must be multiples of %d minor units for Stripe; expected e.g. %s", quote(text), upper, info.step, exampleCharm(info.exp))
	}
	return charmRule{set: true, mod: mod, rem: rem}, nil
}

func exampleCharm(exp int) string {
	if exp == 3 {
		return "0.990"
	}
	return "0.99"
}

// Basis returns BasisRetail or BasisSettlement.
func (r Rule) Basis() string { return r.basis }

// FXRate returns the exchange rate as the operator wrote it (trimmed).
func (r Rule) FXRate() string { return r.fxText }

// MarkupPct returns the markup percentage as the operator wrote it (trimmed).
func (r Rule) MarkupPct() string { return r.markupText }

// Charm returns the charm as the operator wrote it, "" when there is none.
func (r Rule) Charm() string { return r.charmText }

// Currency returns the store currency, lower case.
func (r Rule) Currency() string { return r.currency }

// String describes the rule for logs and the admin page, e.g.
// "retail × 0.1389 × (100+30)% → usd, charm 0.99".
func (r Rule) String() string {
	if r.currency == "" {
		return "unconfigured pricing rule"
	}
	s := fmt.Sprintf("%s × %s × (100%s)%% → %s", r.basis, r.fxText, signed(r.markupText), r.currency)
	if r.charmText != "" {
		s += ", charm " + r.charmText
	}
	return s
}

func signed(s string) string {
	if strings.HasPrefix(s, "-") {
		return s
	}
	return "+" + s
}
