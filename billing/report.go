package billing

import (
	"errors"
	"math/big"
)

// CostOf is the vendor cost of quantity eSIMs sold at a settlement price,
// in the rule's currency: Cost(settlement) × quantity, for report lines
// sold before their cost was recorded on the order.
func (r Rule) CostOf(settlement string, quantity int64) (int64, error) {
	if quantity < 0 {
		return 0, errors.New("billing: negative quantity")
	}
	c, err := r.Cost(settlement)
	if err != nil {
		return 0, err
	}
	p := new(big.Int).Mul(big.NewInt(c.Amount), big.NewInt(quantity))
	if !p.IsInt64() || p.Int64() > maxAmount {
		return 0, ErrOutOfRange
	}
	return p.Int64(), nil
}

// Margin is what the shop kept of a period's sales: revenue less refunds
// less the vendor's cost, in minor units (negative for a loss). Overflow
// is impossible for amounts within maxAmount; larger sums saturate.
func Margin(revenue, refunds, cost int64) int64 {
	m := new(big.Int).Sub(big.NewInt(revenue), big.NewInt(refunds))
	m.Sub(m, big.NewInt(cost))
	if !m.IsInt64() {
		if m.Sign() < 0 {
			return -maxAmount
		}
		return maxAmount
	}
	return m.Int64()
}

// MarginBasisPoints is margin as a share of revenue in hundredths of a
// percent (2537 = 25.37 %), rounded toward zero; 0 without revenue.
func MarginBasisPoints(margin, revenue int64) int64 {
	if revenue <= 0 {
		return 0
	}
	q := new(big.Int).Mul(big.NewInt(margin), big.NewInt(10000))
	return q.Quo(q, big.NewInt(revenue)).Int64()
}
