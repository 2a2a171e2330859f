package web

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// Vendor is the part of the Billionconnect API the shop uses; *bc.Client
// implements it.
type Vendor interface {
	CatalogSource
	CreateOrder(ctx context.Context, r bc.CreateOrderRequest) (*bc.CreateOrderResult, error)
	QueryOrder(ctx context.Context, channelOrderID string) (*bc.OrderInfo, error)
	// ResendEmail (F041) asks the vendor to mail an order's eSIMs again.
	ResendEmail(ctx context.Context, orderID, email string) error
	// ProfileStatus (F042) reports an eSIM profile's status history.
	ProfileStatus(ctx context.Context, iccid string) ([]bc.ProfileStatusRecord, error)
	// Balance (F014) reports the reseller account's balance.
	Balance(ctx context.Context) (*bc.Balance, error)
}

var _ Vendor = (*bc.Client)(nil)

// placeOrder is the place_order job: F040 with the shop's own order and
// line numbers, which the vendor treats as idempotency keys, so a retry
// after a time-out can never create a second vendor order.
func (a *App) placeOrder(ctx context.Context, j store.Job) error {
	o, err := a.db.OrderByID(ctx, j.OrderID)
	if err != nil {
		return err
	}
	switch o.Status {
	case store.StatusPaid, store.StatusPlacing:
	default:
		// Placed, delivered (N009 can beat our F040 reply), or parked for
		// the operator: nothing to do.
		a.log.Info("placement skipped", "order", o.Number, "status", o.Status)
		return nil
	}
	if _, err := a.db.MarkPlacing(ctx, o.ID, fmt.Sprintf("placing with the vendor (attempt %d)", j.Attempts)); err != nil {
		return err
	}
	req, err := a.vendorOrderRequest(ctx, o)
	if err != nil {
		return err
	}
	res, err := a.vendor.CreateOrder(ctx, req)
	if err != nil {
		return fmt.Errorf("F040 for order %s: %w", o.Number, err)
	}
	subs := make(map[string]string, len(res.SubOrderList))
	for _, s := range res.SubOrderList {
		subs[string(s.ChannelSubOrderID)] = string(s.SubOrderID)
	}
	if err := a.db.MarkPlaced(ctx, o.ID, string(res.OrderID), subs, time.Now().Add(a.cfg.ReconcileAfter)); err != nil {
		return err
	}
	a.log.Info("order placed with the vendor", "order", o.Number, "vendor_order", string(res.OrderID))
	return nil
}

// vendorOrderRequest builds F040 for an order. Amounts are the vendor's
// settlement prices (the vendor's currency, not the buyer's).
func (a *App) vendorOrderRequest(ctx context.Context, o store.Order) (bc.CreateOrderRequest, error) {
	req := bc.CreateOrderRequest{
		ChannelOrderID:  o.Number,
		Email:           o.Email,
		OrderCreateTime: o.CreatedAt.In(bc.VendorLocation).Format(bc.TimeLayout),
	}
	total := new(big.Rat)
	for _, l := range o.Lines {
		sub := bc.SubOrderRequest{
			ChannelSubOrderID: l.Number,
			DeviceSKUID:       l.SKUID,
			PlanSKUCopies:     bc.Int(l.Copies),
			Number:            bc.Int(l.Quantity),
		}
		if price, err := billing.ParseDecimal(l.Settlement); err == nil {
			sub.DeviceSKUPrice = bc.Decimal(l.Settlement)
			total.Add(total, new(big.Rat).Mul(price, big.NewRat(int64(l.Quantity), 1)))
		}
		p, err := a.db.Product(ctx, l.SKUID)
		if err != nil {
			return req, err
		}
		if p.NeedsUseTime && req.EstimatedUseTime == "" {
			// The buyer is not asked for a travel date yet: the vendor
			// needs one for these SKUs, and the payment time is the
			// earliest honest answer.
			req.EstimatedUseTime = o.PaidAt.In(bc.VendorLocation).Format(bc.TimeLayout)
		}
		req.SubOrderList = append(req.SubOrderList, sub)
	}
	if total.Sign() > 0 {
		req.TotalAmount = bc.Decimal(total.FloatString(2))
	}
	return req, nil
}

// placementFailed parks an order whose placement failed for good, with
// the vendor's own code and message for the operator.
func (a *App) placementFailed(ctx context.Context, j store.Job, err error) {
	code, msg := "", err.Error()
	var apiErr *bc.APIError
	if errors.As(err, &apiErr) {
		code, msg = apiErr.TradeCode, apiErr.TradeMsg
	}
	reason := fmt.Sprintf("vendor order could not be placed after %d attempts", j.Attempts)
	if _, merr := a.db.MarkNeedsAttention(ctx, j.OrderID, reason, code, msg); merr != nil {
		a.log.Error("parking order", "order_id", j.OrderID, "err", merr)
	}
}
