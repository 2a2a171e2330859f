package billing

import "errors"

// RefundOfUnits is the refund for a choice of eSIMs: the sum of their
// unit prices (minor units), refusing an empty choice, a non-positive
// price and a sum out of range.
func RefundOfUnits(units []int64) (int64, error) {
	if len(units) == 0 {
		return 0, errors.New("no eSIMs chosen")
	}
	var sum int64
	for _, u := range units {
		if u <= 0 || u > maxAmount-sum {
			return 0, errors.New("refund amount out of range")
		}
		sum += u
	}
	return sum, nil
}
