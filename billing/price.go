package billing

import (
	"errors"
	"fmt"
	"math/big"
)

// Sentinel errors of Rule.Price; test with errors.Is.
var (
	// ErrBelowCost: the rule would sell a tier for less than it costs (the
	// settlement price converted at the FX rate). Callers skip that tier and
	// log it; it is never sold at a loss.
	ErrBelowCost = errors.New("billing: price below cost")
	// ErrInvalidPrice: a vendor price is missing, malformed or zero. The
	// vendor sells no free plans, so zero is bad data, not a gift.
	ErrInvalidPrice = errors.New("billing: invalid vendor price")
	// ErrOutOfRange: the computed amount does not fit in an int64 of minor
	// units (an absurd FX rate or markup), so it cannot be charged.
	ErrOutOfRange = errors.New("billing: amount out of range")
)

// Price computes the selling price of one F003 tier from its retail and
// settlement prices (vendor decimal strings in the vendor's currency):
//
//  1. basis × FX × (1 + markup/100), exactly;
//  2. rounded up to the currency's smallest chargeable amount (one minor
//     unit; ten for three-decimal currencies; one króna for ISK);
//  3. raised to the next amount that ends in the charm, if any (an amount
//     that already ends in it is kept);
//  4. checked against the cost floor, settlement × FX rounded up to a minor
//     unit: a lower price is an error wrapping ErrBelowCost.
//
// Both prices are required, whatever the basis, because the floor needs the
// settlement price; a missing, malformed or zero one wraps ErrInvalidPrice.
func (r Rule) Price(retail, settlement string) (Money, error) {
	if r.currency == "" {
		return Money{}, errors.New("billing: pricing rule is not configured (build it with ParseRule)")
	}
	ret, err := vendorPrice("retail", retail)
	if err != nil {
		return Money{}, err
	}
	set, err := vendorPrice("settlement", settlement)
	if err != nil {
		return Money{}, err
	}
	basis := ret
	if r.basis == BasisSettlement {
		basis = set
	}

	amount := ceilToStep(new(big.Rat).Mul(basis, r.priceFactor), r.info.step)
	if r.charm.set {
		// Add the distance to the next residue; big.Int.Mod is Euclidean,
		// so the distance is in [0, mod).
		gap := new(big.Int).Sub(r.charm.rem, amount)
		amount.Add(amount, gap.Mod(gap, r.charm.mod))
	}
	cost := r.cost(set)
	if amount.Cmp(cost) < 0 {
		return Money{}, fmt.Errorf("%w: %s %s is less than the cost %s %s (settlement %s × FX %s)",
			ErrBelowCost, minorText(amount, r.info.exp), r.currency, minorText(cost, r.info.exp), r.currency, settlement, r.fxText)
	}
	if !amount.IsInt64() {
		return Money{}, fmt.Errorf("%w: %s minor units of %s (check PRICE_FX_RATE and PRICE_MARKUP_PCT)", ErrOutOfRange, amount, r.currency)
	}
	return Money{Amount: amount.Int64(), Currency: r.currency}, nil
}

// cost is the floor a selling price must reach: settlement × FX, rounded
// up to a minor unit.
func (r Rule) cost(settlement *big.Rat) *big.Int {
	return ceilToStep(new(big.Rat).Mul(settlement, r.costFactor), 1)
}

// Cost is what a tier costs the shop in the rule's currency: the vendor's
// settlement price × the FX rate, rounded up to a minor unit — the floor
// Price enforces, for checking prices set by hand (overrides).
func (r Rule) Cost(settlement string) (Money, error) {
	if r.currency == "" {
		return Money{}, errors.New("billing: pricing rule is not configured (build it with ParseRule)")
	}
	set, err := vendorPrice("settlement", settlement)
	if err != nil {
		return Money{}, err
	}
	c := r.cost(set)
	if !c.IsInt64() {
		return Money{}, fmt.Errorf("%w: cost of %s %s", ErrOutOfRange, settlement, r.currency)
	}
	return Money{Amount: c.Int64(), Currency: r.currency}, nil
}

// vendorPrice parses one vendor price, which must be a positive decimal.
func vendorPrice(name, s string) (*big.Rat, error) {
	if s == "" {
		return nil, fmt.Errorf("%w: %s price is missing", ErrInvalidPrice, name)
	}
	v, err := ParseDecimal(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %s price: %v", ErrInvalidPrice, name, err)
	}
	if v.Sign() == 0 {
		return nil, fmt.Errorf("%w: %s price is zero", ErrInvalidPrice, name)
	}
	return v, nil
}

// ceilToStep rounds a non-negative rational up to a multiple of step.
func ceilToStep(x *big.Rat, step int64) *big.Int {
	d := new(big.Int).Mul(x.Denom(), big.NewInt(step))
	q, m := new(big.Int).QuoRem(x.Num(), d, new(big.Int))
	if m.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q.Mul(q, big.NewInt(step))
}

// minorText writes a non-negative minor-unit amount as a major-unit decimal
// for error messages (it may exceed int64, so Money.Major cannot be used).
func minorText(v *big.Int, exp int) string {
	whole, frac := splitDigits(v.String(), exp)
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}
