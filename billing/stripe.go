package billing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// StripeConfig configures the Stripe provider.
type StripeConfig struct {
	// SecretKey is the API key: sk_live_…, sk_test_… or a restricted key
	// rk_…. It is never logged and is scrubbed from errors.
	SecretKey string
	// WebhookSecret is the signing secret of the webhook endpoint
	// (whsec_…). Empty is allowed at start-up (the success page still works
	// by retrieving the session) but every webhook is then rejected.
	WebhookSecret string
	// APIURL overrides Stripe's API base, for stripe-mock in tests; empty
	// means https://api.stripe.com.
	APIURL string
	// HTTPClient is used for every call; nil means a client with a 30 s
	// timeout per attempt.
	HTTPClient *http.Client
}

// Stripe is the Stripe Checkout provider. It uses its own client.API with
// its own backends, never stripe-go's global key and backends, so tests and
// a second shop in one process cannot interfere. Safe for concurrent use.
type Stripe struct {
	api           *client.API
	secretKey     string
	webhookSecret string
}

var _ Provider = (*Stripe)(nil)

// stripeTimeout bounds one attempt; with stripeRetries the worst case is
// about a minute and a half, which the caller's context can shorten.
const (
	stripeTimeout = 30 * time.Second
	// stripeRetries is small: retries reuse the idempotency key, so they are
	// safe, but a buyer is waiting on the checkout button.
	stripeRetries = 2
)

// NewStripe checks cfg and returns a Stripe provider. The key's shape is
// checked here so a pasted publishable key or a stray space fails at start
// rather than at the first sale; nothing is sent to Stripe.
func NewStripe(cfg StripeConfig) (*Stripe, error) {
	key := cfg.SecretKey
	if key == "" {
		return nil, errors.New("billing: Stripe secret key is empty")
	}
	if !(strings.HasPrefix(key, "sk_") || strings.HasPrefix(key, "rk_")) || strings.TrimSpace(key) != key {
		// The message must not echo the key.
		return nil, errors.New("billing: Stripe secret key must start with sk_ or rk_ (is it a publishable pk_ key?) and have no spaces")
	}
	if cfg.WebhookSecret != "" && (!strings.HasPrefix(cfg.WebhookSecret, "whsec_") || strings.TrimSpace(cfg.WebhookSecret) != cfg.WebhookSecret) {
		return nil, errors.New("billing: Stripe webhook secret must start with whsec_ and have no spaces")
	}
	bc := &stripe.BackendConfig{
		HTTPClient:        cfg.HTTPClient,
		MaxNetworkRetries: stripe.Int64(stripeRetries),
		// stripe-go logs failed requests to stderr by default; the shop
		// logs the redacted *Error instead.
		LeveledLogger: &stripe.LeveledLogger{Level: stripe.LevelNull},
	}
	if bc.HTTPClient == nil {
		bc.HTTPClient = &http.Client{Timeout: stripeTimeout}
	}
	if cfg.APIURL != "" {
		u, err := url.Parse(cfg.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("billing: Stripe API URL %s must be an absolute http(s) URL", quote(cfg.APIURL))
		}
		bc.URL = stripe.String(cfg.APIURL)
	}
	return &Stripe{
		api:           client.New(key, stripe.NewBackendsWithConfig(bc)),
		secretKey:     key,
		webhookSecret: cfg.WebhookSecret,
	}, nil
}

// Name implements Provider.
func (s *Stripe) Name() string { return "stripe" }

// Live reports whether the key is a live-mode key, so the shop can refuse
// test-mode sessions and events in production and the other way round.
func (s *Stripe) Live() bool {
	return strings.HasPrefix(s.secretKey, "sk_live_") || strings.HasPrefix(s.secretKey, "rk_live_")
}

// CreateCheckout opens a Stripe Checkout session in payment mode with one
// line item priced inline (no Stripe Product objects to keep in sync). The
// order ID goes into client_reference_id and into the metadata of both the
// session and its payment intent, so the order can be found from either in
// the Stripe dashboard. Sessions expire after Stripe's default 24 hours.
func (s *Stripe) CreateCheckout(ctx context.Context, r CheckoutRequest) (CheckoutSession, error) {
	if err := r.validate(); err != nil {
		return CheckoutSession{}, err
	}
	if err := validateStripeURLs(r); err != nil {
		return CheckoutSession{}, err
	}
	if r.IdempotencyKey == "" || len(r.IdempotencyKey) > 255 {
		return CheckoutSession{}, errors.New("billing: Stripe checkout needs an idempotency key of 1 to 255 bytes derived from the order")
	}
	orderID := strconv.FormatInt(r.OrderID, 10)
	meta := map[string]string{"order_id": orderID, "order_number": r.OrderNumber}
	product := &stripe.CheckoutSessionLineItemPriceDataProductDataParams{Name: stripe.String(r.ProductName)}
	if r.ProductDesc != "" {
		product.Description = stripe.String(r.ProductDesc)
	}
	p := &stripe.CheckoutSessionParams{
		Params: stripe.Params{Context: ctx},
		Mode:   stripe.String(string(stripe.CheckoutSessionModePayment)),
		LineItems: []*stripe.CheckoutSessionLineItemParams{{
			PriceData: &stripe.CheckoutSessionLineItemPriceDataParams{
				Currency:    stripe.String(r.Currency),
				UnitAmount:  stripe.Int64(r.UnitAmount),
				ProductData: product,
			},
			Quantity: stripe.Int64(r.Quantity),
		}},
		ClientReferenceID: stripe.String(orderID),
		Metadata:          meta,
		PaymentIntentData: &stripe.CheckoutSessionPaymentIntentDataParams{Metadata: meta},
		Locale:            stripe.String(stripeLocale(r.Lang)),
		SuccessURL:        stripe.String(r.SuccessURL),
		CancelURL:         stripe.String(r.CancelURL),
	}
	if r.Email != "" {
		p.CustomerEmail = stripe.String(r.Email)
	}
	p.SetIdempotencyKey(r.IdempotencyKey)
	cs, err := s.api.CheckoutSessions.New(p)
	if err != nil {
		return CheckoutSession{}, wrapStripeError("create checkout", err, s.secretKey)
	}
	if !validSessionID(cs.ID) || cs.URL == "" {
		return CheckoutSession{}, &Error{Op: "create checkout", Type: "api_connection", Message: "Stripe returned a session without a valid ID or URL", Temporary: true}
	}
	return CheckoutSession{ID: cs.ID, URL: cs.URL}, nil
}

// Session retrieves a checkout session. The ID usually arrives in the
// success URL's query string, so it is checked before any request: a
// malformed ID never reaches Stripe (or turns into a different API path).
func (s *Stripe) Session(ctx context.Context, id string) (SessionState, error) {
	if !validSessionID(id) {
		return SessionState{}, fmt.Errorf("billing: %s is not a Stripe checkout session ID", quote(id))
	}
	cs, err := s.api.CheckoutSessions.Get(id, &stripe.CheckoutSessionParams{Params: stripe.Params{Context: ctx}})
	if err != nil {
		return SessionState{}, wrapStripeError("retrieve session", err, s.secretKey)
	}
	return sessionState(cs), nil
}

// Refund refunds a paid checkout in full. Stripe refunds a payment
// intent; when the order does not know it, it is read from the session.
// The idempotency key makes a repeated call return the first refund.
func (s *Stripe) Refund(ctx context.Context, r RefundRequest) (string, error) {
	if err := r.validate(); err != nil {
		return "", err
	}
	pi := r.PaymentIntent
	if pi == "" {
		st, err := s.Session(ctx, r.SessionID)
		if err != nil {
			return "", err
		}
		if pi = st.PaymentIntent; pi == "" {
			return "", fmt.Errorf("billing: session %s has no payment to refund", quote(r.SessionID))
		}
	}
	p := &stripe.RefundParams{
		Params:        stripe.Params{Context: ctx},
		Metadata:      map[string]string{"order_id": strconv.FormatInt(r.OrderID, 10)},
		PaymentIntent: stripe.String(pi),
		Amount:        stripe.Int64(r.Amount),
	}
	p.SetIdempotencyKey(r.IdempotencyKey)
	re, err := s.api.Refunds.New(p)
	if err != nil {
		return "", wrapStripeError("refund", err, s.secretKey)
	}
	return re.ID, nil
}

// validSessionID reports whether id looks like a Checkout Session ID:
// "cs_" then letters, digits and underscores ("cs_test_a1B2…"), at most 255
// bytes as Stripe documents for object IDs.
func validSessionID(id string) bool {
	if len(id) < 8 || len(id) > 255 || !strings.HasPrefix(id, "cs_") {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// sessionState copies the fields the shop acts on out of stripe-go's type.
func sessionState(cs *stripe.CheckoutSession) SessionState {
	st := SessionState{
		ID:                cs.ID,
		Status:            string(cs.Status),
		PaymentStatus:     string(cs.PaymentStatus),
		AmountTotal:       cs.AmountTotal,
		Currency:          strings.ToLower(string(cs.Currency)),
		ClientReferenceID: cs.ClientReferenceID,
		MetadataOrderID:   cs.Metadata["order_id"],
		Livemode:          cs.Livemode,
	}
	if cs.PaymentIntent != nil {
		st.PaymentIntent = cs.PaymentIntent.ID
	}
	return st
}

// validateStripeURLs checks the two redirect URLs: absolute http(s), and the
// success URL carries Stripe's {CHECKOUT_SESSION_ID} placeholder so the
// success page can retrieve the session without waiting for the webhook.
func validateStripeURLs(r CheckoutRequest) error {
	for _, f := range []struct{ name, v string }{{"success", r.SuccessURL}, {"cancel", r.CancelURL}} {
		u, err := url.Parse(f.v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("billing: checkout %s URL %s must be an absolute http(s) URL", f.name, quote(f.v))
		}
	}
	if !strings.Contains(r.SuccessURL, "{CHECKOUT_SESSION_ID}") {
		return errors.New("billing: checkout success URL must contain {CHECKOUT_SESSION_ID}")
	}
	return nil
}
