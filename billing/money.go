package billing

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Money is an amount in a currency's minor units, exactly as Stripe's API
// takes it: Amount 1299 with Currency "usd" is $12.99, Amount 1200 with
// "jpy" is ¥1,200, Amount 120000 with "isk" is ISK 1,200. Currency is a
// lower-case ISO 4217 code from the supported table (see MinorUnits).
type Money struct {
	Amount   int64
	Currency string
}

// NewMoney returns Money after checking that the currency is supported; the
// code is stored lower case. Use it wherever a currency comes from outside
// (database rows, Stripe events) so a bad code fails early.
func NewMoney(amount int64, currency string) (Money, error) {
	code, _, err := lookupCurrency(currency)
	if err != nil {
		return Money{}, err
	}
	return Money{Amount: amount, Currency: code}, nil
}

// Major returns the amount as plain decimal text in major units, with no
// grouping and '.' as the decimal point: "12.99", "1200" (JPY), "5.120"
// (KWD), "-3.00". ISK, charged in whole krónur, is "1200" (or "1200.50" if
// an amount ever carries aurar). This is the form Stripe's unit_amount_decimal
// and schema.org's price expect. For a currency outside the supported table
// it returns the raw minor-unit integer.
func (m Money) Major() string {
	info, ok := currencies[strings.ToLower(m.Currency)]
	if !ok {
		return strconv.FormatInt(m.Amount, 10)
	}
	neg, whole, frac := m.split(info)
	s := whole
	if frac != "" {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	return s
}

// Format renders the amount for a buyer in lang. Conventions (one per
// language, used everywhere so prices always look the same):
//
//   - "es" (also "es-ES", "es_MX", …): number first, '.' groups thousands,
//     ',' marks decimals, then a space and the symbol or upper-case code:
//     "12,99 US$", "9,50 €", "1.200 JPY", "1.234,50 CHF".
//   - anything else is English: symbol directly before the number, or the
//     upper-case code and a space when the currency has no unambiguous
//     symbol; ',' groups thousands, '.' marks decimals: "$12.99", "€9.50",
//     "£3.00", "¥1,200", "CHF 12.50".
//
// All of the currency's decimals are always shown ("£3.00", not "£3"),
// except ISK, shown in whole krónur. Groups are used from four digits on in
// both languages, and a minus sign leads: "-$5.00", "-5,00 US$". The space
// is a plain U+0020; pages that must not wrap a price use CSS nowrap.
// A currency outside the supported table renders as "<minor units> <CODE>".
func (m Money) Format(lang string) string {
	info, ok := currencies[strings.ToLower(m.Currency)]
	code := strings.ToUpper(m.Currency)
	if !ok {
		return strconv.FormatInt(m.Amount, 10) + " " + code
	}
	neg, whole, frac := m.split(info)
	sign := ""
	if neg {
		sign = "-"
	}
	if isSpanish(lang) {
		num := group(whole, '.')
		if frac != "" {
			num += "," + frac
		}
		sym := info.symES
		if sym == "" {
			sym = code
		}
		return sign + num + " " + sym
	}
	num := group(whole, ',')
	if frac != "" {
		num += "." + frac
	}
	if info.symEN != "" {
		return sign + info.symEN + num
	}
	return sign + code + " " + num
}

// String formats the amount in English, so %v in logs reads "$12.99".
func (m Money) String() string { return m.Format("en") }

// split returns the sign and the whole and fraction digits of m, the
// fraction being "" when the currency shows no decimals.
func (m Money) split(info currencyInfo) (neg bool, whole, frac string) {
	neg = m.Amount < 0
	abs := uint64(m.Amount)
	if neg {
		abs = -abs // two's complement negation is exact, even for math.MinInt64
	}
	exp := info.exp
	if info.wholeOnly && abs%pow10u(exp) == 0 {
		abs /= pow10u(exp)
		exp = 0
	}
	whole, frac = splitDigits(strconv.FormatUint(abs, 10), exp)
	return neg, whole, frac
}

// splitDigits splits a non-negative integer's digits at exp decimals.
func splitDigits(digits string, exp int) (whole, frac string) {
	if exp == 0 {
		return digits, ""
	}
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	return digits[:len(digits)-exp], digits[len(digits)-exp:]
}

// group inserts sep between groups of three digits, from four digits on.
func group(digits string, sep byte) string {
	if len(digits) < 4 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3)
	first := len(digits) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(digits[:first])
	for i := first; i < len(digits); i += 3 {
		b.WriteByte(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// isSpanish reports whether a language tag asks for Spanish formatting.
func isSpanish(lang string) bool {
	l := strings.ToLower(lang)
	return l == "es" || strings.HasPrefix(l, "es-") || strings.HasPrefix(l, "es_")
}

func pow10u(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

// DivRound returns m × num / den, rounded to the nearest minor unit with
// halves rounded away from zero. It is for display only ("$1.30 per GB",
// "¥120 per day"): the result is not a price and must never be charged,
// because it need not respect the currency's charge step or the cost floor.
//
// den must not be zero, and the result must fit in an int64; DivRound panics
// otherwise, like integer division, because either is a programming error
// (plan sizes and day counts are small positive numbers).
func DivRound(m Money, num, den int64) Money {
	if den == 0 {
		panic("billing: DivRound by zero")
	}
	n := new(big.Int).Mul(big.NewInt(m.Amount), big.NewInt(num))
	d := big.NewInt(den)
	if d.Sign() < 0 {
		n.Neg(n)
		d.Neg(d)
	}
	neg := n.Sign() < 0
	n.Abs(n)
	q, r := new(big.Int).QuoRem(n, d, new(big.Int))
	if r.Lsh(r, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if neg {
		q.Neg(q)
	}
	if !q.IsInt64() {
		panic(fmt.Sprintf("billing: DivRound result %s %s does not fit in int64", q, m.Currency))
	}
	return Money{Amount: q.Int64(), Currency: m.Currency}
}
