package billing

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Provider is a payment provider: it opens a hosted payment page for an
// order and, where it can, reports what became of it. The shop has two:
// Stripe Checkout for real sales and Demo for the -demo mode, so handlers
// and jobs are written once against this interface.
type Provider interface {
	// Name is "stripe" or "demo"; it is stored with the order so a session
	// ID is always looked up with the provider that issued it.
	Name() string
	// CreateCheckout opens a payment page for one order. Calling it again
	// with the same request (same IdempotencyKey) must not charge twice.
	CreateCheckout(ctx context.Context, r CheckoutRequest) (CheckoutSession, error)
	// Session reports the current state of a checkout session, for the
	// success page and for reconciliation when a webhook went missing.
	Session(ctx context.Context, id string) (SessionState, error)
	// Refund gives the buyer their money back in full. Calling it again with
	// the same IdempotencyKey must not refund twice.
	Refund(ctx context.Context, r RefundRequest) (refundID string, err error)
}

// RefundRequest asks for a full refund of an order's payment.
type RefundRequest struct {
	OrderID       int64
	PaymentIntent string // Stripe payment_intent of the paid session ("" for the demo)
	SessionID     string // the checkout session, used when PaymentIntent is unknown
	Amount        int64  // minor units: the order's total
	Currency      string
	// IdempotencyKey is derived from the order ("refund-" + number), so a
	// double-clicked refund is one refund.
	IdempotencyKey string
}

// validate checks a refund request before anything is sent.
func (r RefundRequest) validate() error {
	switch {
	case r.Amount <= 0:
		return fmt.Errorf("billing: refund amount %d must be positive", r.Amount)
	case r.IdempotencyKey == "" || len(r.IdempotencyKey) > 255:
		return errors.New("billing: refund needs an idempotency key of 1-255 bytes")
	}
	if _, err := MinorUnits(r.Currency); err != nil {
		return err
	}
	return nil
}

// CheckoutRequest is what the shop asks a payment provider for: a hosted
// payment page for one order. Amounts come from the server-side price of the
// order, never from the browser.
type CheckoutRequest struct {
	OrderID     int64
	OrderNumber string
	// OrderToken is the unguessable token of the order's private page. It
	// goes into SuccessURL and the demo pay URL only, never into provider
	// metadata, because anyone who has it can see the eSIM.
	OrderToken string
	Email      string
	Lang       string // "en" or "es" (region suffixes allowed); anything else lets Stripe pick
	Currency   string // lower-case ISO 4217 code from the supported table
	UnitAmount int64  // minor units, per eSIM
	Quantity   int64
	// ProductName is the line item's title on the payment page, e.g.
	// "Japan 5 GB · 7 days eSIM".
	ProductName string
	// ProductDesc is the line item's description (destination, data, days);
	// optional.
	ProductDesc string
	// SuccessURL is where the buyer lands after paying:
	// BASE_URL/orders/{token}?session_id={CHECKOUT_SESSION_ID}. Stripe
	// replaces the placeholder with the session ID.
	SuccessURL string
	// CancelURL is where the buyer lands when they go back: the plan page.
	CancelURL string
	// IdempotencyKey is derived from the order (e.g. "checkout-" + number) so
	// a retried or double-submitted create returns the same session.
	IdempotencyKey string
}

// CheckoutSession is a payment page a provider opened: the shop stores ID
// with the order and redirects the buyer to URL.
type CheckoutSession struct{ ID, URL string }

// SessionState is what the provider says about a checkout session. The shop
// fulfils an order only after matching AmountTotal, Currency and the order
// reference (ClientReferenceID and MetadataOrderID) against its own record.
type SessionState struct {
	ID string
	// Status is "open", "complete" or "expired".
	Status string
	// PaymentStatus is "paid", "unpaid" or "no_payment_required". A session
	// can be complete and still unpaid while a delayed payment method
	// (e.g. a bank debit) settles.
	PaymentStatus     string
	AmountTotal       int64  // minor units
	Currency          string // lower case
	ClientReferenceID string // the order ID as decimal text
	MetadataOrderID   string // metadata[order_id], the same order ID
	PaymentIntent     string // Stripe's payment_intent id once paid ("" for the demo); refunds need it
	// Livemode is true for real money; a live shop must ignore test-mode
	// sessions and the other way round.
	Livemode bool
}

// Session states and payment states as Stripe spells them; the demo provider
// uses the same words so the order code has one vocabulary.
const (
	SessionOpen     = "open"
	SessionComplete = "complete"
	SessionExpired  = "expired"

	PaymentPaid   = "paid"
	PaymentUnpaid = "unpaid"
	// PaymentNoPaymentRequired never happens for a shop without free
	// orders; it is listed so that code comparing against it is explicit.
	PaymentNoPaymentRequired = "no_payment_required"
)

// Paid reports whether the session is one the shop may fulfil on: complete
// and paid. It does not check amount, currency or order reference; the
// caller compares those with its order.
func (s SessionState) Paid() bool {
	return s.Status == SessionComplete && s.PaymentStatus == PaymentPaid
}

// MatchesOrder checks that the session pays for the given order: both
// order references name orderID, and the amount and currency are exactly
// what the order costs. The webhook, the success page and reconciliation
// all call it before fulfilling, so a session for another order or a
// tampered amount can never mark an order paid. It does not check Paid.
func (s SessionState) MatchesOrder(orderID, amountTotal int64, currency string) error {
	id := strconv.FormatInt(orderID, 10)
	switch {
	case s.ClientReferenceID != id || s.MetadataOrderID != id:
		return fmt.Errorf("billing: session %s is for order %s/%s, not order %s", s.ID, quote(s.ClientReferenceID), quote(s.MetadataOrderID), id)
	case s.AmountTotal != amountTotal || s.Currency != strings.ToLower(currency):
		return fmt.Errorf("billing: session %s charges %d %s, but order %s costs %d %s", s.ID, s.AmountTotal, s.Currency, id, amountTotal, strings.ToLower(currency))
	}
	return nil
}

// maxTextLen bounds the free-text fields sent to a provider. Stripe accepts
// more in most places, but a longer product name or URL is a bug upstream.
const maxTextLen = 2000

// validate checks what every provider needs: a positive order, a supported
// currency, a chargeable amount and a product name. Provider-specific
// checks (URLs, idempotency key, token) are done by the provider.
func (r CheckoutRequest) validate() error {
	if r.OrderID <= 0 {
		return fmt.Errorf("billing: checkout needs a positive order ID, got %d", r.OrderID)
	}
	if strings.TrimSpace(r.OrderNumber) == "" {
		return fmt.Errorf("billing: checkout for order %d has no order number", r.OrderID)
	}
	if r.Currency != strings.ToLower(r.Currency) {
		return fmt.Errorf("billing: checkout currency %s must be lower case", quote(r.Currency))
	}
	_, info, err := lookupCurrency(r.Currency)
	if err != nil {
		return err
	}
	if r.UnitAmount <= 0 {
		return fmt.Errorf("billing: checkout unit amount must be positive, got %d", r.UnitAmount)
	}
	if r.UnitAmount%info.step != 0 {
		return fmt.Errorf("billing: unit amount %d %s is not a multiple of %d minor units, which Stripe requires for this currency", r.UnitAmount, r.Currency, info.step)
	}
	if r.Quantity <= 0 {
		return fmt.Errorf("billing: checkout quantity must be positive, got %d", r.Quantity)
	}
	if r.Quantity > math.MaxInt64/r.UnitAmount {
		return fmt.Errorf("billing: %d × %d %s overflows", r.Quantity, r.UnitAmount, r.Currency)
	}
	if strings.TrimSpace(r.ProductName) == "" {
		return fmt.Errorf("billing: checkout needs a product name")
	}
	for _, f := range []struct{ name, v string }{
		{"order number", r.OrderNumber}, {"email", r.Email}, {"product name", r.ProductName},
		{"product description", r.ProductDesc}, {"success URL", r.SuccessURL}, {"cancel URL", r.CancelURL},
	} {
		if len(f.v) > maxTextLen {
			return fmt.Errorf("billing: checkout %s is longer than %d bytes", f.name, maxTextLen)
		}
	}
	return nil
}

// stripeLocale maps the shop's language to a Stripe Checkout locale. Only
// the two languages the shop speaks are forced; anything else lets Stripe
// follow the buyer's browser.
func stripeLocale(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	base, _, _ = strings.Cut(base, "_")
	switch base {
	case "en", "es":
		return base
	}
	return "auto"
}
