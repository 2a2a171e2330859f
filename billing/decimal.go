package billing

import (
	"fmt"
	"math/big"
	"strings"
)

// maxDecimalLen bounds the text ParseDecimal accepts. Real prices and rates
// are a dozen characters; the bound keeps a corrupt feed from making
// big.Rat arithmetic arbitrarily expensive.
const maxDecimalLen = 64

// ParseDecimal parses a non-negative decimal number exactly, as the vendor
// sends prices ("4.5", "12.00", "0.80") and as operators write rates.
//
// It is strict on purpose, because a misread price is a mis-priced sale:
// surrounding white space is ignored; what remains must be ASCII digits with
// at most one '.', and digits on both sides of it. There is no sign, no
// exponent, no fraction ("1/3"), no thousands separator and no comma decimal
// ("4,5"); the empty string is an error. Leading zeros are allowed ("007").
func ParseDecimal(s string) (*big.Rat, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, fmt.Errorf("billing: empty number")
	}
	if len(t) > maxDecimalLen {
		return nil, fmt.Errorf("billing: number %s is longer than %d characters", quote(t), maxDecimalLen)
	}
	whole, frac, hasDot := strings.Cut(t, ".")
	if !isDigits(whole) || (hasDot && !isDigits(frac)) {
		return nil, fmt.Errorf("billing: %s is not a plain decimal number (expected digits with at most one '.', such as 12.50)", quote(t))
	}
	r, ok := new(big.Rat).SetString(t)
	if !ok { // unreachable after the check above; kept so a future edit cannot return nil, nil
		return nil, fmt.Errorf("billing: %s is not a decimal number", quote(t))
	}
	return r, nil
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
