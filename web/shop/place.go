package shop

import (
	"context"
	"errors"
	"fmt"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// placeOrder is the place_order job: F040 with the shop's own order and
// line numbers, which the vendor treats as idempotency keys, so a retry
// after a time-out can never create a second vendor order.
func (s *Shop) placeOrder(ctx context.Context, j store.Job) error {
	o, err := s.DB.OrderByID(ctx, j.OrderID)
	if err != nil {
		return err
	}
	switch o.Status {
	case store.StatusPaid, store.StatusPlacing:
	default:
		// Placed, delivered (N009 can beat our F040 reply), or parked for
		// the operator: nothing to do.
		s.Log.Info("placement skipped", "order", o.Number, "status", o.Status)
		return nil
	}
	if _, err := s.DB.MarkPlacing(ctx, o.ID, fmt.Sprintf("placing with the vendor (attempt %d)", j.Attempts)); err != nil {
		return err
	}
	if o.TopUp != nil {
		return placeTopUp(ctx, s, o)
	}
	req, err := s.vendorOrderRequest(ctx, o)
	if err != nil {
		return err
	}
	res, err := s.Vendor.CreateOrder(ctx, req)
	if err != nil {
		err = fmt.Errorf("F040 for order %s: %w", o.Number, err)
		if !bc.Temporary(err) {
			// A refusal (1003, 1047, balance…) or an answer that cannot
			// be read: retrying the same request gets the same result.
			return permanent(err)
		}
		return err // busy, 5xx, HTML page, time-out: retried with backoff
	}
	return markPlaced(ctx, s, o, res, "order placed with the vendor")
}

// markPlaced records the vendor's ids from an F040 or F007 answer and
// queues the check for a notice that never comes.
func markPlaced(ctx context.Context, s *Shop, o store.Order, res *bc.CreateOrderResult, what string) error {
	subs := make(map[string]string, len(res.SubOrderList))
	for _, sub := range res.SubOrderList {
		subs[string(sub.ChannelSubOrderID)] = string(sub.SubOrderID)
	}
	if err := s.DB.MarkPlaced(ctx, o.ID, string(res.OrderID), subs, s.Now().Add(s.ReconcileAfter)); err != nil {
		return err
	}
	s.Log.Info(what, "order", o.Number, "vendor_order", string(res.OrderID))
	return nil
}

// vendorOrderRequest builds F040 for an order. Amounts are the vendor's
// settlement prices (the vendor's currency, not the buyer's).
func (s *Shop) vendorOrderRequest(ctx context.Context, o store.Order) (bc.CreateOrderRequest, error) {
	req := bc.CreateOrderRequest{
		ChannelOrderID:  o.Number,
		Email:           o.Email,
		OrderCreateTime: o.CreatedAt.In(bc.VendorLocation).Format(bc.TimeLayout),
	}
	if s.VendorOrderEmail != "" {
		req.Email = s.VendorOrderEmail
	}
	costs := make([]billing.CostLine, 0, len(o.Lines))
	for _, l := range o.Lines {
		sub := bc.SubOrderRequest{
			ChannelSubOrderID: l.Number,
			DeviceSKUID:       l.SKUID,
			PlanSKUCopies:     bc.Int(l.Copies),
			Number:            bc.Int(l.Quantity),
		}
		if billing.IsDecimal(l.Settlement) {
			sub.DeviceSKUPrice = bc.Decimal(l.Settlement)
		}
		costs = append(costs, billing.CostLine{Settlement: l.Settlement, Quantity: l.Quantity})
		p, err := s.DB.Product(ctx, l.SKUID)
		if err != nil {
			return req, err
		}
		if p.NeedsUseTime && req.EstimatedUseTime == "" {
			req.EstimatedUseTime = useTime(o.TravelDate, s.Now())
		}
		req.SubOrderList = append(req.SubOrderList, sub)
	}
	if total, ok := billing.VendorTotal(costs); ok {
		req.TotalAmount = bc.Decimal(total)
	}
	return req, nil
}

// placementFailed parks an order whose placement failed for good, with
// the vendor's own code and message for the operator and, for a known
// code, what it means in English.
func (s *Shop) placementFailed(ctx context.Context, j store.Job, err error) {
	code, msg := "", err.Error()
	reason := fmt.Sprintf("vendor order could not be placed after %d attempts", j.Attempts)
	var apiErr *bc.APIError
	if errors.As(err, &apiErr) {
		code, msg = apiErr.TradeCode, apiErr.TradeMsg
		if !bc.Temporary(err) {
			reason = "the vendor refused the order (tradeCode " + code + ")"
		}
		if meaning := apiErr.Meaning(); meaning != "" {
			reason += ": " + meaning
		}
	} else if errors.As(err, new(*permanentError)) {
		reason = "the vendor order could not be placed and retrying will not help"
	}
	if _, merr := s.DB.MarkNeedsAttention(ctx, j.OrderID, reason, code, msg); merr != nil {
		s.Log.Error("parking order", "order_id", j.OrderID, "err", merr)
	}
}
