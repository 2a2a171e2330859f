package shop

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"slices"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/mail"
	"github.com/esimshop/esimshop/web/present"
)

// TopUpVendor is the part of the vendor API top-ups need; *bc.Client
// implements it.
type TopUpVendor interface {
	// TopUpSKUs (F052) lists the plan SKUs that can be added to an eSIM.
	TopUpSKUs(ctx context.Context, iccid string) ([]string, error)
	// TopUp (F007) orders plans for eSIMs already sold; N013 reports the outcome.
	TopUp(ctx context.Context, r bc.TopUpRequest) (*bc.CreateOrderResult, error)
}

var _ TopUpVendor = (*bc.Client)(nil)

// TopUpDeps is what TopUps needs.
type TopUpDeps struct {
	DB       *store.DB
	Catalog  *catalog.Catalog
	Vendor   TopUpVendor
	Payments billing.Provider
	BaseURL  string // public URL without trailing slash
}

// TopUps sells more data for an eSIM already delivered ("Add data"). A
// top-up is an order of its own, tied to the eSIM's order: the plans are
// those F052 offers that the shop's catalog prices (the same pricing rule
// and overrides as every other sale), the payment is a server-priced
// checkout like any order, and the paid order is placed with F007 by the
// same place_order job, idempotent on the order number; N013 completes it.
type TopUps struct{ d TopUpDeps }

// NewTopUps builds the top-up service.
func NewTopUps(d TopUpDeps) *TopUps { return &TopUps{d: d} }

// Offers lists the plans that can be added to the eSIM with iccid of the
// delivered order o: ENOTFOUND when the order has no such eSIM, EINVALID
// when it cannot be topped up; an empty list when the vendor offers
// nothing the shop sells.
func (t *TopUps) Offers(ctx context.Context, o store.Order, iccid string) ([]*catalog.Plan, error) {
	if _, err := topUpESIM(o, iccid); err != nil {
		return nil, err
	}
	if t.d.Vendor == nil {
		return nil, store.Errorf(store.EINVALID, "top-ups are not available")
	}
	skus, err := t.d.Vendor.TopUpSKUs(ctx, iccid)
	if err != nil {
		return nil, fmt.Errorf("F052 for order %s: %w", o.Number, err)
	}
	snap := t.d.Catalog.Snapshot()
	var out []*catalog.Plan
	for _, sku := range skus {
		if p := snap.Plan(sku); p != nil && len(p.Priced) > 0 && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// topUpESIM is the eSIM of o that a top-up would add to, if it may be.
func topUpESIM(o store.Order, iccid string) (store.ESIM, error) {
	if o.TopUp != nil || o.Status != store.StatusDelivered {
		return store.ESIM{}, store.Errorf(store.EINVALID, "only a delivered eSIM can be topped up")
	}
	for _, e := range o.ESIMs {
		if e.ICCID == iccid {
			if !e.Rechargeable {
				return e, store.Errorf(store.EINVALID, "this eSIM cannot be topped up")
			}
			return e, nil
		}
	}
	return store.ESIM{}, store.Errorf(store.ENOTFOUND, "no such eSIM on this order")
}

// Start creates the top-up order for copies of plan sku on the eSIM and
// its payment page, returning where to send the buyer. The plan must be
// one F052 offers now and the price is the current catalog's, whatever
// the browser sent.
func (t *TopUps) Start(ctx context.Context, o store.Order, iccid, sku string, copies int, lang string) (string, error) {
	offers, err := t.Offers(ctx, o, iccid)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(offers, func(p *catalog.Plan) bool { return p.SKUID == sku })
	if i < 0 {
		return "", store.Errorf(store.EINVALID, "this plan cannot be added to this eSIM")
	}
	p := offers[i]
	tier, ok := p.Tier(copies)
	if !ok {
		return "", store.Errorf(store.EINVALID, "choose one of the offered options")
	}
	title := present.TierTitle(lang, p, tier)
	order, err := t.d.DB.CreateOrder(store.Bulk(ctx), store.NewOrder{
		Email: o.Email, Lang: lang, Currency: tier.Price.Currency, Provider: t.d.Payments.Name(),
		Lines: []store.OrderLine{{
			SKUID: p.SKUID, Title: title, Copies: tier.Copies, Quantity: 1,
			Days: tier.Days, DataKB: tier.DataKB, DailyKB: p.DailyKB,
			UnitAmount: tier.Price.Amount, Amount: tier.Price.Amount, Settlement: p.Settlement(tier.Copies),
		}},
		TopUp: &store.TopUp{ParentID: o.ID, ICCID: iccid},
	})
	if err != nil {
		return "", err
	}
	return openPayment(ctx, t.d.DB, t.d.Payments, order, billing.CheckoutRequest{
		UnitAmount: tier.Price.Amount, Quantity: 1,
		ProductName: title + " top-up", ProductDesc: present.ProductDescription(lang, p, tier),
		SuccessURL: orderURL(t.d.BaseURL, order) + "?session_id={CHECKOUT_SESSION_ID}",
		CancelURL:  orderURL(t.d.BaseURL, o) + "/top-up?iccid=" + url.QueryEscape(iccid),
	})
}

// placeTopUp is the place_order job for a top-up order: F007 with the
// shop's own order and line numbers (the vendor's idempotency keys, as
// for F040), then the order waits for N013.
func placeTopUp(ctx context.Context, s *Shop, o store.Order) error {
	v, ok := s.Vendor.(TopUpVendor)
	if !ok {
		return permanent(fmt.Errorf("order %s: the vendor client cannot top up", o.Number))
	}
	req := bc.TopUpRequest{ChannelOrderID: o.Number}
	costs := make([]billing.CostLine, 0, len(o.Lines))
	for _, l := range o.Lines {
		req.SubOrderList = append(req.SubOrderList, bc.TopUpLine{
			ChannelSubOrderID: l.Number, ICCID: bc.StringList{o.TopUp.ICCID}, SKUID: l.SKUID, Copies: bc.Int(l.Copies),
		})
		costs = append(costs, billing.CostLine{Settlement: l.Settlement, Quantity: l.Quantity})
	}
	if total, ok := billing.VendorTotal(costs); ok {
		req.TotalAmount = bc.Decimal(total)
	}
	res, err := v.TopUp(ctx, req)
	if err != nil {
		err = fmt.Errorf("F007 for order %s: %w", o.Number, err)
		if !bc.Temporary(err) {
			return permanent(err)
		}
		return err
	}
	return markPlaced(ctx, s, o, res, "top-up placed with the vendor")
}

// applyTopUpResult applies N013 to its top-up order.
func applyTopUpResult(ctx context.Context, db *store.DB, d *bc.TopUpResult) (string, int64, error) {
	id, _, err := db.CompleteTopUp(ctx, string(d.ChannelOrderID), string(d.OrderID), int(d.Status) == bc.TopUpSucceeded)
	switch store.ErrorCode(err) {
	case "":
		return store.VerdictAccepted, id, nil
	case store.ENOTFOUND:
		return store.VerdictUnmatched, 0, nil
	}
	return "", 0, err
}

// topUpMessage is the top-up confirmation email, in the buyer's language,
// pointing to the order page of the eSIM that got the data.
func topUpMessage(ctx context.Context, db *store.DB, baseURL, from string, demo bool, o store.Order) (mail.Message, error) {
	parent, err := db.OrderByID(ctx, o.TopUp.ParentID)
	if err != nil {
		return mail.Message{}, err
	}
	title := ""
	if len(o.Lines) > 0 {
		title = o.Lines[0].Title
	}
	d := views.LinkEmailData{
		Lang: o.Lang, URL: orderURL(baseURL, parent), Number: o.Number, Demo: demo,
		TopUp: true, Plan: title, ICCID: o.TopUp.ICCID,
	}
	var html bytes.Buffer
	if err := views.LinkEmailHTML(d).Render(ctx, &html); err != nil {
		return mail.Message{}, err
	}
	return mail.Message{
		From: from, To: o.Email, Subject: views.TopUpEmailSubject(o.Lang, o.Number),
		Text: views.LinkEmailText(d), HTML: html.String(),
		Headers: map[string]string{"X-Order": o.Number, "Message-ID": "<" + o.Number + ".topup@" + host(baseURL) + ">"},
	}, nil
}
