package shop

import (
	"context"
	"strconv"
	"time"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// ConfirmPayment marks an order paid from what the payment provider says
// was paid, and queues its vendor placement — exactly once, whichever of
// the webhook, the success page or the demo page gets here first. The store
// checks amount, currency and payment reference against the order; a
// mismatch flags the order and is returned as store's ErrPaymentMismatch.
func (s *Shop) ConfirmPayment(ctx context.Context, provider string, st billing.SessionState, cause string) (bool, error) {
	orderID, err := sessionOrderID(st)
	if err != nil {
		return false, err
	}
	changed, err := s.DB.MarkPaid(ctx, store.Payment{
		Provider: provider, Ref: st.ID, Amount: st.AmountTotal, Currency: st.Currency, OrderID: orderID,
		PaymentIntent: st.PaymentIntent,
	}, cause)
	if changed {
		s.Log.InfoContext(ctx, "order paid", "order_id", orderID, "cause", cause)
		s.Wake() // the placement job
	}
	return changed, err
}

// ConfirmFromSession is the buyer coming back from the payment page with
// a session id: a still-pending order of the configured provider whose
// payment reference is that session is confirmed from the session itself,
// so a late webhook does not leave the buyer looking at "pending".
// Failures are logged: the webhook will still arrive, and the page
// refreshes until then.
func (s *Shop) ConfirmFromSession(ctx context.Context, o store.Order, sid string) {
	if o.Status != store.StatusPendingPayment || s.Payments.Name() != o.Provider || sid != o.PaymentRef {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := s.Payments.Session(ctx, sid)
	if err != nil {
		s.Log.WarnContext(ctx, "retrieving checkout session", "session", sid, "err", err)
		return
	}
	if st.ID != sid || st.PaymentStatus != "paid" {
		return
	}
	if _, err := s.ConfirmPayment(ctx, s.Payments.Name(), st, "checkout session retrieved on the order page"); err != nil {
		s.Log.ErrorContext(ctx, "confirming payment from the order page", "session", sid, "err", err)
	}
}

// PayDemo pays a demo order: exactly what a Stripe webhook reporting a
// paid session for the order's full amount would do.
func (s *Shop) PayDemo(ctx context.Context, o store.Order) error {
	id := strconv.FormatInt(o.ID, 10)
	st := billing.SessionState{
		ID: o.PaymentRef, Status: "complete", PaymentStatus: "paid",
		AmountTotal: o.Total, Currency: o.Currency, ClientReferenceID: id, MetadataOrderID: id,
	}
	_, err := s.ConfirmPayment(ctx, store.ProviderDemo, st, "demo payment")
	return err
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
