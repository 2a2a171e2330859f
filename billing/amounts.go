package billing

import (
	"errors"
	"fmt"
	"math/big"
)

// ErrAmount is the one message for an amount an operator typed that
// cannot be read as a decimal.
var ErrAmount = errors.New("enter the price in major units, e.g. 12.99")

// CheckOverride refuses an operator's price override below the tier's
// cost under rule: a typo must never sell at a loss.
func CheckOverride(rule Rule, o Money, settlement string) error {
	cost, err := rule.Cost(settlement)
	if err != nil {
		return err
	}
	if o.Amount < cost.Amount {
		return fmt.Errorf("%w: override %s is less than the cost %s", ErrBelowCost, o.Major(), cost.Major())
	}
	return nil
}

// ParseMajor reads an amount typed in major units ("12.99") exactly into
// minor units of currency: no floats, no rounding. It must be positive,
// have no more decimals than the currency, and be a chargeable multiple
// of the currency's step.
func ParseMajor(text, currency string) (int64, error) {
	v, err := ParseDecimal(text)
	if err != nil {
		return 0, ErrAmount
	}
	exp, err := MinorUnits(currency)
	if err != nil {
		return 0, err
	}
	v.Mul(v, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)))
	if !v.IsInt() {
		return 0, fmt.Errorf("%s has at most %d decimals", currency, exp)
	}
	n := v.Num()
	if n.Sign() <= 0 || !n.IsInt64() {
		return 0, errors.New("the price must be greater than zero")
	}
	step, err := Step(currency)
	if err != nil {
		return 0, err
	}
	if n.Int64()%step != 0 {
		return 0, fmt.Errorf("%s amounts must be multiples of %s", currency, Money{Amount: step, Currency: currency}.Major())
	}
	return n.Int64(), nil
}

// maxAmount bounds an order amount far below int64's limit, so sums of
// amounts (totals, refunds) can never overflow either.
const maxAmount = 1 << 62

// LineAmount is unit × quantity in minor units, refusing a non-positive
// input or a product out of range instead of overflowing.
func LineAmount(unit int64, quantity int) (int64, error) {
	if unit <= 0 || quantity <= 0 || unit > maxAmount/int64(quantity) {
		return 0, errors.New("order amount out of range")
	}
	return unit * int64(quantity), nil
}

// CostLine is one order line's vendor settlement price (a decimal in the
// vendor account's currency, as F003 gives it) and its quantity.
type CostLine struct {
	Settlement string
	Quantity   int
}

// VendorTotal is the F040 totalAmount of lines: the sum of settlement ×
// quantity, exact, with two decimals. Lines whose price is not a decimal
// add nothing (the vendor prices them itself); ok is false when nothing
// could be added, and the request then carries no total.
func VendorTotal(lines []CostLine) (total string, ok bool) {
	sum := new(big.Rat)
	for _, l := range lines {
		price, err := ParseDecimal(l.Settlement)
		if err != nil || l.Quantity <= 0 {
			continue
		}
		sum.Add(sum, new(big.Rat).Mul(price, big.NewRat(int64(l.Quantity), 1)))
	}
	if sum.Sign() <= 0 {
		return "", false
	}
	return sum.FloatString(2), true
}

// IsDecimal reports whether s is an exact non-negative decimal as the
// vendor writes prices ("12.5", "0.30").
func IsDecimal(s string) bool {
	_, err := ParseDecimal(s)
	return err == nil
}
