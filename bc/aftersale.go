package bc

import "context"

// TradeAfterSale is the after-sale (refund) interface: it cancels chosen
// eSIMs of an order and credits the account for them.
const TradeAfterSale = "F017"

// AfterSaleRequest asks the vendor to take back eSIMs of one order (F017).
type AfterSaleRequest struct {
	OrderID string   // the vendor's order ID
	ICCIDs  []string // the eSIMs to cancel, at least one
	Reason  string   // shown on the vendor's console
}

// afterSaleRequest is F017's tradeData. receivingState is always "1":
// the live API answers 1003 to a refund without it.
type afterSaleRequest struct {
	OrderID        string   `json:"orderId"`
	ICCID          []string `json:"iccid"`
	ReceivingState string   `json:"receivingState"`
	Reason         string   `json:"reason,omitempty"`
}

// AfterSale cancels the given eSIMs of an order at the vendor (F017), for
// a refund of some lines, or of an order F008 will not cancel whole. The
// vendor refuses eSIMs that are installed.
func (c *Client) AfterSale(ctx context.Context, r AfterSaleRequest) error {
	if r.OrderID == "" || len(r.ICCIDs) == 0 {
		return errInvalid(TradeAfterSale, "orderId and at least one iccid are required")
	}
	for _, id := range r.ICCIDs {
		if id == "" {
			return errInvalid(TradeAfterSale, "an empty iccid")
		}
	}
	return c.call(ctx, TradeAfterSale, afterSaleRequest{OrderID: r.OrderID, ICCID: r.ICCIDs, ReceivingState: "1", Reason: r.Reason}, nil)
}
