package billing

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"
)

// Webhook failures fall in two classes because the HTTP answer differs: a
// bad signature is someone other than Stripe (or a misconfigured secret) and
// gets 400 without being acted on; a bad payload passed the signature, so
// Stripe really sent it, and the operator must fix the endpoint settings.
var (
	// ErrBadSignature means the Stripe-Signature header is missing or
	// malformed, no signature matches the webhook secret, the timestamp is
	// outside the 5-minute tolerance, or no webhook secret is configured.
	ErrBadSignature = errors.New("billing: Stripe webhook signature invalid")
	// ErrBadPayload means the signature is valid but the body is not a
	// Stripe event this shop understands: not JSON, the wrong shape, or an
	// API version other than the one stripe-go v76 speaks.
	ErrBadPayload = errors.New("billing: Stripe webhook payload invalid")
)

// WebhookEvent is a verified Stripe event, reduced to what the shop uses.
type WebhookEvent struct {
	// ID is the event ID (evt_…); Stripe may deliver an event more than
	// once, so the shop dedupes on it.
	ID string
	// Type is e.g. "checkout.session.completed".
	Type    string
	Created time.Time // UTC
	// Session is set for checkout.session.* events and nil otherwise.
	Session  *SessionState
	Livemode bool
}

// Checkout event types the shop acts on. Fulfil on completed when the
// session is paid, and on async_payment_succeeded; async_payment_failed and
// expired end the order's payment attempt.
const (
	EventCheckoutCompleted             = "checkout.session.completed"
	EventCheckoutAsyncPaymentSucceeded = "checkout.session.async_payment_succeeded"
	EventCheckoutAsyncPaymentFailed    = "checkout.session.async_payment_failed"
	EventCheckoutExpired               = "checkout.session.expired"
)

// ParseWebhook verifies payload (the request body exactly as received)
// against the Stripe-Signature header and the webhook secret, then decodes
// it. Errors wrap ErrBadSignature or ErrBadPayload (test with errors.Is);
// their text never contains the secret.
func (s *Stripe) ParseWebhook(payload []byte, sigHeader string) (WebhookEvent, error) {
	if s.webhookSecret == "" {
		// ComputeSignature with an empty key is still an HMAC anyone can
		// produce, so an unconfigured secret must reject everything.
		return WebhookEvent{}, fmt.Errorf("%w: no webhook secret is configured", ErrBadSignature)
	}
	// The API version is checked below, with a message for the operator.
	ev, err := webhook.ConstructEventWithOptions(payload, sigHeader, s.webhookSecret,
		webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		if reason, ok := signatureReason(err); ok {
			return WebhookEvent{}, fmt.Errorf("%w: %s", ErrBadSignature, reason)
		}
		// stripe-go reports decoding failures as plain text that quotes the
		// body; keep it out of the log.
		return WebhookEvent{}, fmt.Errorf("%w: body is not a Stripe event in JSON", ErrBadPayload)
	}
	if ev.APIVersion != stripe.APIVersion {
		return WebhookEvent{}, fmt.Errorf("%w: event has API version %s but this shop (stripe-go v76) reads API version %s; "+
			"create the Stripe webhook endpoint with API version %s", ErrBadPayload, quote(ev.APIVersion), stripe.APIVersion, stripe.APIVersion)
	}
	if !strings.HasPrefix(ev.ID, "evt_") || ev.Type == "" || ev.Data == nil {
		return WebhookEvent{}, fmt.Errorf("%w: event lacks an evt_ ID, a type or data", ErrBadPayload)
	}
	out := WebhookEvent{
		ID:       ev.ID,
		Type:     string(ev.Type),
		Created:  time.Unix(ev.Created, 0).UTC(),
		Livemode: ev.Livemode,
	}
	if strings.HasPrefix(out.Type, "checkout.session.") {
		var cs stripe.CheckoutSession
		if err := json.Unmarshal(ev.Data.Raw, &cs); err != nil {
			return WebhookEvent{}, fmt.Errorf("%w: %s event object is not a checkout session", ErrBadPayload, out.Type)
		}
		if cs.Object != "checkout.session" || !validSessionID(cs.ID) {
			return WebhookEvent{}, fmt.Errorf("%w: %s event object is not a checkout session with a cs_ ID", ErrBadPayload, out.Type)
		}
		st := sessionState(&cs)
		out.Session = &st
	}
	return out, nil
}

// signatureReason turns stripe-go's signature errors into a short reason
// for the log; ok is false for any other error.
func signatureReason(err error) (reason string, ok bool) {
	switch {
	case errors.Is(err, webhook.ErrNotSigned):
		return "no Stripe-Signature header", true
	case errors.Is(err, webhook.ErrInvalidHeader):
		return "malformed Stripe-Signature header", true
	case errors.Is(err, webhook.ErrTooOld):
		return "timestamp outside the 5-minute tolerance (replayed, or the server clock is off)", true
	case errors.Is(err, webhook.ErrNoValidSignature):
		return "no signature matches the webhook secret (wrong secret, or the body was changed)", true
	}
	return "", false
}
