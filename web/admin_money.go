package web

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/esimshop/esimshop/billing"
)

// tierCost is what one tier costs the shop in minor units of the rule's
// currency: the vendor's settlement price × the rule's FX rate, rounded up
// to a minor unit — the same floor Rule.Price enforces, so an override can
// be held to the rule the shop sells with.
func tierCost(rule billing.Rule, settlement string) (int64, error) {
	set, err := billing.ParseDecimal(settlement)
	if err != nil {
		return 0, fmt.Errorf("%w: settlement price: %v", billing.ErrInvalidPrice, err)
	}
	fx, err := billing.ParseDecimal(rule.FXRate())
	if err != nil {
		return 0, fmt.Errorf("pricing rule FX rate: %w", err)
	}
	exp, err := billing.MinorUnits(rule.Currency())
	if err != nil {
		return 0, err
	}
	v := new(big.Rat).Mul(set, fx)
	v.Mul(v, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)))
	q, m := new(big.Int).QuoRem(v.Num(), v.Denom(), new(big.Int))
	if m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return 0, billing.ErrOutOfRange
	}
	return q.Int64(), nil
}

// checkOverride refuses an override below the tier's cost: an operator's
// typo must never sell at a loss.
func checkOverride(rule billing.Rule, o billing.Money, settlement string) error {
	cost, err := tierCost(rule, settlement)
	if err != nil {
		return err
	}
	if o.Amount < cost {
		return fmt.Errorf("%w: override %s is less than the cost %s", billing.ErrBelowCost,
			o.Major(), billing.Money{Amount: cost, Currency: o.Currency}.Major())
	}
	return nil
}

// currencyStep is the smallest chargeable amount of a currency in minor
// units (10 for three-decimal currencies, 100 for ISK, else 1). billing
// keeps the table private; pricing a tiny amount at FX 1 without markup
// rounds it up to exactly one step, so the answer always follows billing.
func currencyStep(currency string) (int64, error) {
	r, err := billing.ParseRule(billing.BasisSettlement, "1", "0", "", currency)
	if err != nil {
		return 0, err
	}
	m, err := r.Price("0.000001", "0.000001")
	if err != nil {
		return 0, err
	}
	return m.Amount, nil
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
	step, err := currencyStep(currency)
	if err != nil {
		return 0, err
	}
	if n.Int64()%step != 0 {
		return 0, fmt.Errorf("%s amounts must be multiples of %s", currency, billing.Money{Amount: step, Currency: currency}.Major())
	}
	return n.Int64(), nil
}
