package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// StripeWebhooks verifies and decodes Stripe webhook deliveries;
// *billing.Stripe implements it.
type StripeWebhooks interface {
	ParseWebhook(payload []byte, sigHeader string) (billing.WebhookEvent, error)
}

// confirmPayment marks an order paid from what the payment provider says
// was paid, and queues its vendor placement — exactly once, whichever of
// the webhook, the success page or the demo page gets here first. The store
// checks amount, currency and payment reference against the order; a
// mismatch flags the order and is returned as store's ErrPaymentMismatch.
func (a *App) confirmPayment(ctx context.Context, provider string, st billing.SessionState, cause string) (bool, error) {
	orderID, err := sessionOrderID(st)
	if err != nil {
		return false, err
	}
	changed, err := a.db.MarkPaid(ctx, store.Payment{
		Provider: provider, Ref: st.ID, Amount: st.AmountTotal, Currency: st.Currency, OrderID: orderID,
		PaymentIntent: st.PaymentIntent,
	}, cause)
	if changed {
		a.log.InfoContext(ctx, "order paid", "order_id", orderID, "cause", cause)
		a.wake() // the placement job
	}
	return changed, err
}

// sessionOrderID is the order a checkout session belongs to: its
// client_reference_id, which must agree with metadata[order_id].
func sessionOrderID(st billing.SessionState) (int64, error) {
	id, err := strconv.ParseInt(st.ClientReferenceID, 10, 64)
	if err != nil || id <= 0 {
		return 0, store.Errorf(store.EINVALID, "checkout session %s has no order reference", st.ID)
	}
	if st.MetadataOrderID != "" && st.MetadataOrderID != st.ClientReferenceID {
		return 0, store.Errorf(store.EINVALID, "checkout session %s: order reference %q and metadata %q disagree", st.ID, st.ClientReferenceID, st.MetadataOrderID)
	}
	return id, nil
}

// handleStripeWebhook serves POST /webhooks/stripe: verify the signature on
// the raw body, store the raw event once, act on it, answer 2xx. Acting is
// idempotent, so a redelivered event is acted on again safely (which also
// heals an event whose first delivery failed half-way).
func (a *App) handleStripeWebhook(c *fiber.Ctx) error {
	body := append([]byte(nil), c.BodyRaw()...)
	ctx := c.UserContext()
	ev, err := a.cfg.StripeWebhooks.ParseWebhook(body, c.Get("Stripe-Signature"))
	if err != nil {
		// Unverified: keep the payload for the operator under a synthetic id,
		// change nothing else.
		var b [8]byte
		_, _ = rand.Read(b[:])
		if _, rerr := a.db.RecordPaymentEvent(ctx, store.PaymentEvent{
			Provider: store.ProviderStripe, EventID: "unverified-" + hex.EncodeToString(b[:]), Type: "unverified",
			Payload: truncateBytes(body, rejectedKeep), Verdict: store.VerdictRejected,
		}); rerr != nil {
			a.log.ErrorContext(ctx, "storing rejected stripe event", "err", rerr)
		}
		a.log.WarnContext(c.UserContext(), "stripe webhook rejected", "err", err)
		return c.Status(fiber.StatusBadRequest).SendString("invalid webhook")
	}
	var orderID int64
	if ev.Session != nil {
		orderID, _ = sessionOrderID(*ev.Session)
	}
	_, err = a.db.RecordPaymentEvent(ctx, store.PaymentEvent{
		Provider: store.ProviderStripe, EventID: ev.ID, Type: ev.Type, OrderID: orderID, Payload: body, Verdict: store.VerdictReceived,
	})
	if err != nil {
		return err // 500: Stripe retries later
	}
	verdict, err := a.applyStripeEvent(ctx, ev)
	if err != nil && verdict == "" {
		return err
	}
	if serr := a.db.SetPaymentEventVerdict(ctx, store.ProviderStripe, ev.ID, verdict, orderID); serr != nil {
		a.log.ErrorContext(ctx, "recording stripe event verdict", "event", ev.ID, "err", serr)
	}
	return c.SendString(verdict)
}

// applyStripeEvent acts on a verified event and returns its verdict. An
// error with an empty verdict is a failure Stripe should retry (5xx).
func (a *App) applyStripeEvent(ctx context.Context, ev billing.WebhookEvent) (string, error) {
	if ev.Session == nil {
		return store.VerdictIgnored, nil
	}
	st := *ev.Session
	cause := "stripe " + ev.Type + " " + ev.ID
	var err error
	switch ev.Type {
	case "checkout.session.completed":
		if st.PaymentStatus != "paid" { // e.g. a bank transfer still on its way
			return store.VerdictAccepted, nil
		}
		_, err = a.confirmPayment(ctx, store.ProviderStripe, st, cause)
	case "checkout.session.async_payment_succeeded":
		_, err = a.confirmPayment(ctx, store.ProviderStripe, st, cause)
	case "checkout.session.async_payment_failed", "checkout.session.expired":
		var id int64
		if id, err = sessionOrderID(st); err == nil {
			if ev.Type == "checkout.session.expired" {
				_, err = a.db.MarkExpired(ctx, id, cause)
			} else {
				_, err = a.db.MarkPaymentFailed(ctx, id, cause)
			}
		}
	default:
		return store.VerdictIgnored, nil
	}
	switch {
	case err == nil:
		return store.VerdictAccepted, nil
	case errors.Is(err, store.ErrPaymentMismatch):
		a.log.ErrorContext(ctx, "payment does not match its order: flagged, not fulfilled", "event", ev.ID, "err", err)
		return store.VerdictMismatch, nil
	case store.ErrorCode(err) == store.EINVALID || store.ErrorCode(err) == store.ENOTFOUND:
		a.log.WarnContext(ctx, "stripe event names no order of ours", "event", ev.ID, "err", err)
		return store.VerdictRejected, nil
	}
	return "", err
}
