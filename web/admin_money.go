package web

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/esimshop/esimshop/billing"
)

// checkOverride refuses an override below the tier's cost: an operator's
// typo must never sell at a loss.
func checkOverride(rule billing.Rule, o billing.Money, settlement string) error {
	cost, err := rule.Cost(settlement)
	if err != nil {
		return err
	}
	if o.Amount < cost.Amount {
		return fmt.Errorf("%w: override %s is less than the cost %s", billing.ErrBelowCost, o.Major(), cost.Major())
	}
	return nil
}

// errAmount is the one message for an override amount that cannot be read.
var errAmount = errors.New("enter the price in major units, e.g. 12.99")

// parseMajor reads an amount an operator typed in major units ("12.99")
// exactly into minor units of currency: no floats, no rounding. It must be
// positive, have no more decimals than the currency, and be a chargeable
// multiple of the currency's step.
func parseMajor(text, currency string) (int64, error) {
	v, err := billing.ParseDecimal(text)
	if err != nil {
		return 0, errAmount
	}
	exp, err := billing.MinorUnits(currency)
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
	step, err := billing.Step(currency)
	if err != nil {
		return 0, err
	}
	if n.Int64()%step != 0 {
		return 0, fmt.Errorf("%s amounts must be multiples of %s", currency, billing.Money{Amount: step, Currency: currency}.Major())
	}
	return n.Int64(), nil
}
