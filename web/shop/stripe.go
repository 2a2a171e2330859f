package shop

import (
	"context"
	"errors"
	"net/http"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// StripeWebhook handles one Stripe webhook delivery: verify the signature
// on the raw body (failures count against clientIP, see rejects), store
// the raw event once, act on it, answer 2xx. Acting
// is idempotent, so a redelivered event is acted on again safely (which
// also heals an event whose first delivery failed half-way).
func (s *Shop) StripeWebhook(ctx context.Context, body []byte, signature, clientIP string) Reply {
	ev, err := s.Stripe.ParseWebhook(body, signature)
	if err != nil {
		blocked, keep, _ := s.stripeRejects.fail(clientIP, s.Now())
		if blocked {
			return replyTooMany
		}
		// Unverified: keep the payload for the operator under a synthetic id
		// (a few a minute), change nothing else.
		if !keep {
			return text(http.StatusBadRequest, "invalid webhook")
		}
		if _, rerr := s.DB.RecordPaymentEvent(ctx, store.PaymentEvent{
			Provider: store.ProviderStripe, EventID: "unverified-" + randomID(), Type: "unverified",
			Payload: truncateBytes(body, rejectedKeep), Verdict: store.VerdictRejected,
		}); rerr != nil {
			s.Log.ErrorContext(ctx, "storing rejected stripe event", "err", rerr)
		}
		s.Log.WarnContext(ctx, "stripe webhook rejected", "err", err)
		return text(http.StatusBadRequest, "invalid webhook")
	}
	var orderID int64
	if ev.Session != nil {
		orderID, _ = sessionOrderID(*ev.Session)
	}
	_, err = s.DB.RecordPaymentEvent(ctx, store.PaymentEvent{
		Provider: store.ProviderStripe, EventID: ev.ID, Type: ev.Type, OrderID: orderID, Payload: body, Verdict: store.VerdictReceived,
	})
	if err != nil {
		s.Log.ErrorContext(ctx, "storing stripe event", "event", ev.ID, "err", err)
		return retryLater
	}
	verdict, err := s.applyStripeEvent(ctx, ev)
	if err != nil && verdict == "" {
		s.Log.ErrorContext(ctx, "applying stripe event", "event", ev.ID, "err", err)
		return retryLater
	}
	if serr := s.DB.SetPaymentEventVerdict(ctx, store.ProviderStripe, ev.ID, verdict, orderID); serr != nil {
		s.Log.ErrorContext(ctx, "recording stripe event verdict", "event", ev.ID, "err", serr)
	}
	return text(http.StatusOK, verdict)
}

// applyStripeEvent acts on a verified event and returns its verdict. An
// error with an empty verdict is a failure Stripe should retry (5xx).
func (s *Shop) applyStripeEvent(ctx context.Context, ev billing.WebhookEvent) (string, error) {
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
		_, err = s.ConfirmPayment(ctx, store.ProviderStripe, st, cause)
	case "checkout.session.async_payment_succeeded":
		_, err = s.ConfirmPayment(ctx, store.ProviderStripe, st, cause)
	case "checkout.session.async_payment_failed", "checkout.session.expired":
		var id int64
		if id, err = sessionOrderID(st); err == nil {
			if ev.Type == "checkout.session.expired" {
				_, err = s.DB.MarkExpired(ctx, id, cause)
			} else {
				_, err = s.DB.MarkPaymentFailed(ctx, id, cause)
			}
		}
	default:
		return store.VerdictIgnored, nil
	}
	switch {
	case err == nil:
		return store.VerdictAccepted, nil
	case errors.Is(err, store.ErrPaymentMismatch):
		s.Log.ErrorContext(ctx, "payment does not match its order: flagged, not fulfilled", "event", ev.ID, "err", err)
		return store.VerdictMismatch, nil
	case store.ErrorCode(err) == store.EINVALID || store.ErrorCode(err) == store.ENOTFOUND:
		s.Log.WarnContext(ctx, "stripe event names no order of ours", "event", ev.ID, "err", err)
		return store.VerdictRejected, nil
	}
	return "", err
}
