package billing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Demo is the payment provider of the -demo mode: instead of Stripe's page
// it sends the buyer to the shop's own /demo/pay/{token} page, where a
// button marks the order paid. It makes no network calls, so the whole shop
// can be tried without a Stripe account.
type Demo struct {
	// BaseURL is the shop's public base URL, e.g. "http://localhost:8080";
	// a trailing slash is ignored.
	BaseURL string
}

var _ Provider = Demo{}

// ErrDemoSession is returned by Demo.Session: the demo pay page confirms a
// demo payment directly, so there is no session to ask about.
var ErrDemoSession = errors.New("billing: demo sessions are confirmed only through the demo pay page")

// Name implements Provider.
func (Demo) Name() string { return "demo" }

// CreateCheckout returns a session whose ID is derived from the order token
// (so repeating the call gives the same session, as Stripe's idempotency
// key would) and whose URL is BaseURL + "/demo/pay/" + token. The request
// is validated like Stripe's, so demo mode catches the same bad orders.
func (d Demo) CreateCheckout(ctx context.Context, r CheckoutRequest) (CheckoutSession, error) {
	if err := ctx.Err(); err != nil {
		return CheckoutSession{}, err
	}
	if err := r.validate(); err != nil {
		return CheckoutSession{}, err
	}
	if r.OrderToken == "" || r.OrderToken != strings.TrimSpace(r.OrderToken) {
		return CheckoutSession{}, errors.New("billing: demo checkout needs the order token for its pay page URL")
	}
	base := strings.TrimRight(d.BaseURL, "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return CheckoutSession{}, fmt.Errorf("billing: demo base URL %s must be an absolute http(s) URL", quote(d.BaseURL))
	}
	// Hash the token rather than embed it: session IDs are shown to
	// operators and logged, the token is a capability for the order page.
	sum := sha256.Sum256([]byte("demo-checkout:" + r.OrderToken))
	return CheckoutSession{
		ID:  "demo_" + hex.EncodeToString(sum[:12]),
		URL: base + "/demo/pay/" + url.PathEscape(r.OrderToken),
	}, nil
}

// Session always fails with ErrDemoSession.
func (Demo) Session(ctx context.Context, id string) (SessionState, error) {
	return SessionState{}, ErrDemoSession
}

// Refund "refunds" a demo payment: no money moved, so there is nothing to
// give back; the ID is derived from the idempotency key, so a repeat gives
// the same refund.
func (d Demo) Refund(ctx context.Context, r RefundRequest) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := r.validate(); err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(r.IdempotencyKey))
	return "demo_re_" + hex.EncodeToString(sum[:12]), nil
}
