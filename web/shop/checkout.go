package shop

import (
	"context"
	"errors"
	"strconv"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/present"
)

// Checkout is a validated buy form: a tier of a plan of the current
// catalog (so its price is the server's, never the browser's), how many
// eSIMs, and the buyer's email and language.
type Checkout struct {
	Lang     string
	Plan     *catalog.Plan
	Tier     catalog.Tier
	Quantity int
	Email    string
	// TravelDate is the travel start (YYYY-MM-DD) for a plan that needs
	// one (NeedsUseTime); it must be within TravelWindow. Ignored for
	// other plans.
	TravelDate string
}

// StartCheckout creates the order and its payment page, returning the URL
// to send the buyer to. A provider failure marks the new order failed so
// it does not linger as pending.
func (s *Shop) StartCheckout(ctx context.Context, f Checkout) (string, error) {
	p, t, lang := f.Plan, f.Tier, f.Lang
	travel := ""
	if p.NeedsUseTime {
		if !ValidTravelDate(p.Product, f.TravelDate, s.Now()) {
			return "", store.Errorf(store.EINVALID, "travel start date %q is outside the plan's window", f.TravelDate)
		}
		travel = f.TravelDate
	}
	title := present.TierTitle(lang, p, t)
	amount, err := billing.LineAmount(t.Price.Amount, f.Quantity)
	if err != nil {
		return "", err
	}
	// The line's vendor cost at today's rule, kept for reports; a tier the
	// rule cannot cost (no decimal settlement) is stored without one.
	var unitCost int64
	if c, err := s.Catalog.Rule().Cost(p.Settlement(t.Copies)); err == nil && c.Currency == t.Price.Currency {
		unitCost = c.Amount
	}
	// A new order is the write that may wait (or be refused when too many
	// wait): the vendor's notices and paid orders' work go first.
	order, err := s.DB.CreateOrder(store.Bulk(ctx), store.NewOrder{
		Email: f.Email, Lang: lang, Currency: t.Price.Currency, Provider: s.Payments.Name(), TravelDate: travel,
		Lines: []store.OrderLine{{
			SKUID: p.SKUID, Title: title, Copies: t.Copies, Quantity: f.Quantity,
			Days: t.Days, DataKB: t.DataKB, DailyKB: p.DailyKB,
			UnitAmount: t.Price.Amount, Amount: amount, Settlement: p.Settlement(t.Copies),
			UnitCost: unitCost,
		}},
	})
	if err != nil {
		return "", err
	}
	return openPayment(ctx, s.DB, s.Payments, order, billing.CheckoutRequest{
		UnitAmount: t.Price.Amount, Quantity: int64(f.Quantity),
		ProductName: title + " eSIM",
		ProductDesc: present.ProductDescription(lang, p, t),
		SuccessURL:  orderURL(s.BaseURL, order) + "?session_id={CHECKOUT_SESSION_ID}",
		CancelURL:   CancelURL(s.BaseURL, p.SKUID, t.Copies, order.Token),
	})
}

// openPayment creates the payment page of a new order (its amounts and
// texts in r; the order's own fields are filled in here) and records its
// reference. A provider failure marks the order failed so it does not
// linger as pending.
func openPayment(ctx context.Context, db *store.DB, payments billing.Provider, order store.Order, r billing.CheckoutRequest) (string, error) {
	r.OrderID, r.OrderNumber, r.OrderToken = order.ID, order.Number, order.Token
	r.Email, r.Lang, r.Currency = order.Email, order.Lang, order.Currency
	r.IdempotencyKey = "checkout-" + order.Number
	sess, err := payments.CreateCheckout(ctx, r)
	if err == nil {
		err = db.SetPaymentRef(ctx, order.ID, sess.ID)
	}
	if err != nil {
		if _, ferr := db.MarkPaymentFailed(context.WithoutCancel(ctx), order.ID, "payment page could not be created"); ferr != nil {
			err = errors.Join(err, ferr)
		}
		return "", err
	}
	return sess.URL, nil
}

// CancelURL is where a buyer who leaves the payment page lands: the plan
// page with the option chosen, and the order's token so the page can
// refill the form and say that nothing was charged.
func CancelURL(base, sku string, copies int, token string) string {
	return base + "/plans/" + sku + "?copies=" + strconv.Itoa(copies) + "&cancelled=" + token
}
