package billing

import (
	"fmt"
	"slices"
	"strings"
)

// currencyInfo describes how one currency is counted by Stripe and written
// on pages.
type currencyInfo struct {
	// exp is Stripe's API exponent: an amount of 10^exp minor units is one
	// major unit. It equals ISO 4217's exponent except for ISK (see below).
	exp int
	// step is the smallest chargeable increment in minor units. Stripe
	// requires three-decimal amounts to end in 0 (step 10) and ISK amounts
	// to be whole krónur (step 100); everything else is 1.
	step int64
	// wholeOnly marks a currency that Stripe counts with two decimals but
	// that is only ever charged, shown and charm-priced in whole units (ISK).
	wholeOnly bool
	// symEN is the symbol written before the number in English ("$", "CA$");
	// empty means the upper-case code followed by a space ("CHF 12.50").
	symEN string
	// symES is the symbol written after the number in Spanish ("US$", "€");
	// empty means the upper-case code.
	symES string
}

// displayExp is how many decimals a page shows for whole-unit amounts.
func (c currencyInfo) displayExp() int {
	if c.wholeOnly {
		return 0
	}
	return c.exp
}

// Constructors for the table below, so each row states only what is special.
func two(en, es string) currencyInfo  { return currencyInfo{exp: 2, step: 1, symEN: en, symES: es} }
func zero(en, es string) currencyInfo { return currencyInfo{exp: 0, step: 1, symEN: en, symES: es} }
func three() currencyInfo             { return currencyInfo{exp: 3, step: 10} }

// currencies is every currency the shop can sell in. Symbols follow CLDR's
// English and Spanish (Spain) data where the symbol is unambiguous for a
// traveller; otherwise the ISO code is shown, which is never ambiguous.
//
// Stripe quirks (https://docs.stripe.com/currencies#special-cases):
//   - ISK is zero-decimal in ISO 4217 but stays two-decimal in Stripe's API
//     for backwards compatibility, and since April 2023 amounts must be
//     multiples of 100 (whole krónur). Hence exp 2, step 100, wholeOnly.
//   - HUF and TWD are charged with two decimals, but Stripe pays them out
//     only in whole units (multiples of 100). Charges are unaffected; an
//     operator who wants whole prices sets the charm "0.00".
//   - UGX is on Stripe's zero-decimal list (ISO 4217 agrees), but Stripe has
//     listed it among its special cases over time; check the page above
//     before selling in UGX.
//   - Three-decimal currencies (BHD JOD KWD OMR TND) must end in 0 for
//     Stripe's payment partners: step 10.
var currencies = map[string]currencyInfo{
	// Two-decimal currencies.
	"aed": two("", ""),
	"ars": two("", ""),
	"aud": two("A$", ""),
	"bgn": two("", ""),
	"brl": two("R$", ""),
	"cad": two("CA$", ""),
	"chf": two("", ""),
	"cny": two("CN¥", ""),
	"cop": two("", ""),
	"czk": two("", ""),
	"dkk": two("", ""),
	"egp": two("", ""),
	"eur": two("€", "€"),
	"gbp": two("£", ""),
	"hkd": two("HK$", ""),
	"huf": two("", ""),
	"idr": two("", ""),
	"ils": two("₪", ""),
	"inr": two("₹", ""),
	"isk": {exp: 2, step: 100, wholeOnly: true},
	"kes": two("", ""),
	"kzt": two("", ""),
	"mad": two("", ""),
	"mxn": two("MX$", ""),
	"myr": two("", ""),
	"ngn": two("", ""),
	"nok": two("", ""),
	"nzd": two("NZ$", ""),
	"pen": two("", ""),
	"php": two("₱", ""),
	"pln": two("", ""),
	"qar": two("", ""),
	"ron": two("", ""),
	"sar": two("", ""),
	"sek": two("", ""),
	"sgd": two("", ""),
	"thb": two("", ""),
	"try": two("", ""),
	"twd": two("NT$", ""),
	"uah": two("", ""),
	"usd": two("$", "US$"),
	"uyu": two("", ""),
	"zar": two("", ""),
	// Zero-decimal currencies: Stripe's list, complete.
	"bif": zero("", ""),
	"clp": zero("", ""),
	"djf": zero("", ""),
	"gnf": zero("", ""),
	"jpy": zero("¥", ""),
	"kmf": zero("", ""),
	"krw": zero("₩", ""),
	"mga": zero("", ""),
	"pyg": zero("", ""),
	"rwf": zero("", ""),
	"ugx": zero("", ""),
	"vnd": zero("₫", ""),
	"vuv": zero("", ""),
	"xaf": zero("", ""),
	"xof": zero("", ""),
	"xpf": zero("", ""),
	// Three-decimal currencies: Stripe's list, complete.
	"bhd": three(),
	"jod": three(),
	"kwd": three(),
	"omr": three(),
	"tnd": three(),
}

// lookupCurrency validates a currency code (either case) and returns its
// lower-case form and table entry.
func lookupCurrency(code string) (string, currencyInfo, error) {
	if len(code) != 3 || !isASCIILetters(code) {
		return "", currencyInfo{}, fmt.Errorf("billing: %s is not a three-letter ISO 4217 currency code", quote(code))
	}
	lower := strings.ToLower(code)
	info, ok := currencies[lower]
	if !ok {
		return "", currencyInfo{}, fmt.Errorf("billing: currency %q is not supported (supported: %s)", lower, strings.Join(Currencies(), " "))
	}
	return lower, info, nil
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20 // fold to lower case; non-letters stay non-letters
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// MinorUnits returns the number of decimals Stripe's API uses for currency
// (a three-letter code in either case): 0 for zero-decimal currencies such as
// JPY, 3 for BHD JOD KWD OMR TND, 2 otherwise. It is the ISO 4217 exponent
// except for ISK, where Stripe keeps 2 (see the table's comment). Unknown or
// malformed codes are an error, so a typo in STORE_CURRENCY can never make
// the shop charge 100 times too much or too little.
func MinorUnits(currency string) (int, error) {
	_, info, err := lookupCurrency(currency)
	if err != nil {
		return 0, err
	}
	return info.exp, nil
}

// Step is the smallest chargeable amount of currency in minor units:
// 10 for the three-decimal currencies, 100 for ISK (whole krónur), else 1.
func Step(currency string) (int64, error) {
	_, info, err := lookupCurrency(currency)
	if err != nil {
		return 0, err
	}
	return info.step, nil
}

// Currencies lists the supported currency codes, lower case, sorted; for
// error messages and admin forms.
func Currencies() []string {
	codes := make([]string, 0, len(currencies))
	for c := range currencies {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

// quote quotes s for an error message, shortened so that a pasted blob in a
// setting cannot flood the log.
func quote(s string) string {
	const limit = 40
	if len(s) > limit {
		return fmt.Sprintf("%q…", s[:limit])
	}
	return fmt.Sprintf("%q", s)
}
