package billing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/stripe/stripe-go/v76"
)

// Error is a payment provider failure reduced to what is safe to log and
// act on. stripe-go's own error serialises everything it received
// (including nested payment intents) and network errors can carry request
// details; this type keeps only the classification and Stripe's message,
// scrubbed of anything shaped like a key or a client secret.
type Error struct {
	// Op is what the shop was doing: "create checkout", "retrieve session".
	Op string
	// Type is Stripe's error type ("card_error", "invalid_request_error",
	// "api_error", "idempotency_error") or "api_connection" when Stripe
	// was not reached or did not answer with an API error.
	Type string
	// Code is Stripe's error code, e.g. "rate_limit" or "resource_missing";
	// empty when Stripe gave none.
	Code string
	// HTTPStatus is the status Stripe answered with; 0 when there was no
	// answer.
	HTTPStatus int
	// RequestID is Stripe's request ID (req_…), for support tickets.
	RequestID string
	// Message is Stripe's (or the network's) message, redacted.
	Message string
	// Temporary is true when the same call may succeed later: network
	// failures, timeouts, rate limits, lock conflicts and Stripe 5xx.
	Temporary bool
	// cause is kept only for context errors, so errors.Is(err,
	// context.DeadlineExceeded) works without exposing raw Stripe errors.
	cause error
}

// Error implements error with the operation, classification and message.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "billing: stripe %s: %s", e.Op, e.Type)
	if e.Code != "" {
		fmt.Fprintf(&b, "/%s", e.Code)
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [%s]", e.RequestID)
	}
	return b.String()
}

// Unwrap returns the context error behind a cancelled or timed-out call, or
// nil.
func (e *Error) Unwrap() error { return e.cause }

// UserMessage is an English sentence that may be shown to a buyer: it never
// contains Stripe's text, only whether trying again may help.
func (e *Error) UserMessage() string {
	if e.Temporary {
		return "The payment service is busy right now. Please try again in a minute."
	}
	return "We could not start the payment. Please contact us and quote your order number."
}

// PaymentTemporary reports whether err is a payment provider failure that
// may go away if the same call is retried later (network, timeout, rate
// limit, Stripe 5xx). Card and invalid-request errors, validation errors
// from this package and anything unknown are not temporary.
func PaymentTemporary(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Temporary
}

// secretPattern matches things that must never reach a log: API keys
// (secret, restricted, publishable), webhook secrets and the client secrets
// of payment intents and checkout sessions.
var secretPattern = regexp.MustCompile(`\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z*]+|\bwhsec_[0-9A-Za-z*]+|_secret_[0-9A-Za-z*]+`)

// redact removes the configured secret key verbatim (in case it has an
// unexpected shape) and then anything shaped like a secret.
func redact(s, secretKey string) string {
	if secretKey != "" {
		s = strings.ReplaceAll(s, secretKey, "[redacted]")
	}
	return secretPattern.ReplaceAllString(s, "[redacted]")
}

// maxMessageLen bounds Stripe's message in our error; a proxy's HTML error
// page must not flood the log.
const maxMessageLen = 300

// wrapStripeError converts anything a stripe-go call returned into *Error.
func wrapStripeError(op string, err error, secretKey string) error {
	if err == nil {
		return nil
	}
	e := &Error{Op: op}
	var se *stripe.Error
	switch {
	case errors.As(err, &se):
		e.Type = string(se.Type)
		e.Code = string(se.Code)
		e.HTTPStatus = se.HTTPStatusCode
		e.RequestID = se.RequestID
		e.Message = se.Msg
		e.Temporary = stripeTemporary(se)
	case errors.Is(err, context.Canceled):
		// The caller gave up (shutdown, client went away); retrying is the
		// caller's decision, not a property of the payment.
		e.Type, e.Message, e.cause = "api_connection", "request cancelled", context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		e.Type, e.Message, e.cause, e.Temporary = "api_connection", "request timed out", context.DeadlineExceeded, true
	default:
		// Network failure or an answer that was not a Stripe API error
		// (e.g. a proxy's HTML page): Stripe may be fine a minute later.
		e.Type, e.Message, e.Temporary = "api_connection", err.Error(), true
	}
	e.Message = redact(e.Message, secretKey)
	if len(e.Message) > maxMessageLen {
		e.Message = e.Message[:maxMessageLen] + "…"
	}
	return e
}

// stripeTemporary classifies an API error Stripe returned.
func stripeTemporary(se *stripe.Error) bool {
	switch {
	case se.Code == stripe.ErrorCodeIdempotencyKeyInUse:
		// The same create is still running (a double submit); its result
		// will be there in a moment.
		return true
	case se.Type == stripe.ErrorTypeIdempotency:
		// The key was reused with different parameters: a bug, not weather.
		return false
	case se.HTTPStatusCode == http.StatusTooManyRequests, se.Code == stripe.ErrorCodeRateLimit,
		se.Code == stripe.ErrorCodeLockTimeout, se.HTTPStatusCode == http.StatusConflict:
		return true
	case se.HTTPStatusCode >= 500, se.Type == stripe.ErrorTypeAPI:
		return true
	}
	return false
}
