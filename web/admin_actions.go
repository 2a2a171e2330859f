package web

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// vendorCallTimeout bounds one vendor call made while the operator waits.
const vendorCallTimeout = 20 * time.Second

// orderActionSpec is one operator action on an order. run returns the
// flash key to show; an error is for failures the page cannot explain.
type orderActionSpec struct {
	confirm bool // the form must carry confirm=1 (money leaves the shop)
	run     func(ctx context.Context, admin string, o store.Order) (string, error)
}

// orderActions are the actions of the order page, by URL name.
func (a *App) orderActions() map[string]orderActionSpec {
	return map[string]orderActionSpec{
		"retry-placement": {run: a.actRetryPlacement},
		"resend-email":    {run: a.actResendEmail},
		"vendor-resend":   {run: a.actVendorResend},
		"refund":          {confirm: true, run: a.actRefund},
		"check-status":    {run: a.actCheckStatus},
	}
}

// orderAction is the handler of POST /admin/orders/{number}/{name}. The
// action is written to the audit log under the form's action_id before
// anything happens, so a double-submitted form finds its id taken and does
// nothing: no second vendor order, no second refund.
func (a *App) orderAction(name string, act orderActionSpec) fiber.Handler {
	return func(c *fiber.Ctx) error {
		o, err := a.adminOrder(c)
		if err != nil {
			return err
		}
		back := orderURL(o.Number)
		if act.confirm && c.FormValue("confirm") != "1" {
			if err := checkCSRF(c); err != nil {
				return err
			}
			// Not audited: the same form, ticked, must still go through.
			return done(c, back, "confirm")
		}
		dup, err := a.audit(c, name, o.ID, "", "order "+o.Number+" ("+string(o.Status)+")")
		if err != nil {
			return err
		}
		if dup {
			return done(c, back, "dup")
		}
		admin := signedIn(c).Email
		key, err := act.run(c.UserContext(), admin, o)
		if err != nil {
			return err
		}
		a.log.InfoContext(c.UserContext(), "admin action", "action", name, "order", o.Number, "admin_id", signedIn(c).AdminID, "result", key)
		return done(c, back, key)
	}
}

// retryable reports whether vendor placement can be retried: the order is
// paid and not (yet) with the vendor, or parked for the operator.
func retryable(o store.Order) bool {
	switch o.Status {
	case store.StatusPaid, store.StatusPlacing, store.StatusNeedsAttention:
		return !o.PaidAt.IsZero()
	}
	return false
}

// refundable reports whether the order's money was taken and not given back.
func refundable(o store.Order) bool {
	switch o.Status {
	case store.StatusPaid, store.StatusPlacing, store.StatusPlaced, store.StatusDelivered, store.StatusNeedsAttention:
		return !o.PaidAt.IsZero() && o.RefundID == ""
	}
	return false
}

// actRetryPlacement queues the place_order job again (and moves a parked
// order back to paid). F040 is idempotent on the order number, so even a
// retry of an order the vendor did accept creates no second vendor order.
func (a *App) actRetryPlacement(ctx context.Context, admin string, o store.Order) (string, error) {
	changed, err := a.db.RetryPlacement(ctx, o.ID, "operator retry by "+admin)
	return a.requeued(changed, err, "retry-placement", store.ECONFLICT)
}

// actResendEmail queues the buyer's eSIM email again.
func (a *App) actResendEmail(ctx context.Context, admin string, o store.Order) (string, error) {
	changed, err := a.db.ResendDeliveryEmail(ctx, o.ID, "operator re-sent the eSIM email: "+admin)
	return a.requeued(changed, err, "resend-email", store.ECONFLICT, store.ENOTFOUND)
}

// requeued turns the outcome of putting a job back in the queue into the
// flash key to show: refused (an error code in refused), nothing to do,
// or done — then the workers are woken.
func (a *App) requeued(changed bool, err error, done string, refused ...string) (string, error) {
	switch {
	case err != nil && slices.Contains(refused, store.ErrorCode(err)):
		return "not-allowed", nil
	case err != nil:
		return "", err
	case !changed:
		return "nothing", nil
	}
	a.wake()
	return done, nil
}

// actVendorResend asks the vendor to mail its eSIM email again (F041).
func (a *App) actVendorResend(ctx context.Context, admin string, o store.Order) (string, error) {
	if o.VendorOrderID == "" || o.Status == store.StatusRefunded {
		return "not-allowed", nil
	}
	vctx, cancel := context.WithTimeout(ctx, vendorCallTimeout)
	defer cancel()
	if err := a.vendor.ResendEmail(vctx, o.VendorOrderID, o.Email); err != nil {
		a.log.WarnContext(ctx, "F041 failed", "order", o.Number, "err", err)
		return "vendor-error", a.db.AddOrderNote(ctx, o.ID, "F041 re-send by "+admin+" failed: "+vendorErrText(err))
	}
	return "vendor-resend", a.db.AddOrderNote(ctx, o.ID, "F041: "+admin+" asked the vendor to re-send its eSIM email")
}

// actRefund refunds the order in full through its payment provider, then
// marks it refunded (which cancels its pending jobs). The idempotency key
// is the order's, so even two refunds that both got past the audit log
// would be one refund at Stripe.
func (a *App) actRefund(ctx context.Context, admin string, o store.Order) (string, error) {
	if o.RefundID != "" || o.Status == store.StatusRefunded {
		return "nothing", nil
	}
	if !refundable(o) || o.Provider != a.cfg.Payments.Name() {
		return "not-allowed", nil
	}
	rctx, cancel := context.WithTimeout(ctx, vendorCallTimeout)
	defer cancel()
	id, err := a.cfg.Payments.Refund(rctx, billing.RefundRequest{
		OrderID: o.ID, PaymentIntent: o.PaymentIntent, SessionID: o.PaymentRef,
		Amount: o.Total, Currency: o.Currency, IdempotencyKey: "refund-" + o.Number,
	})
	if err != nil {
		a.log.ErrorContext(ctx, "refund failed", "order", o.Number, "err", err)
		return "refund-error", nil
	}
	if _, err := a.db.MarkRefunded(ctx, o.ID, id, "refunded in full by "+admin+" ("+id+")"); err != nil {
		// The money went back; the record must follow. Logged loudly: the
		// next click finds the same refund (same idempotency key).
		a.log.ErrorContext(ctx, "refund done but not recorded", "order", o.Number, "refund", id, "err", err)
		return "", err
	}
	return "refund", nil
}

// actCheckStatus asks the vendor now: F011 for the order, F042 for each
// eSIM. The answers are stored as an order note (and profile statuses on
// the eSIMs), which the page shows.
func (a *App) actCheckStatus(ctx context.Context, _ string, o store.Order) (string, error) {
	if o.PaidAt.IsZero() {
		return "not-allowed", nil
	}
	vctx, cancel := context.WithTimeout(ctx, vendorCallTimeout)
	defer cancel()
	var lines []string
	info, err := a.vendor.QueryOrder(vctx, o.Number)
	switch {
	case err != nil:
		lines = append(lines, "F011: "+vendorErrText(err))
	default:
		iccids := 0
		for _, l := range info.SubOrderList {
			iccids += len(l.ICCID)
		}
		lines = append(lines, fmt.Sprintf("F011: vendor order %s is %s, %d sub-orders, %d ICCIDs",
			dash(string(info.OrderID)), vendorOrderStatus(int(info.OrderStatus)), len(info.SubOrderList), iccids))
	}
	for _, e := range o.ESIMs {
		recs, err := a.vendor.ProfileStatus(vctx, e.ICCID)
		if err != nil {
			lines = append(lines, "F042 "+e.ICCID+": "+vendorErrText(err))
			continue
		}
		latest, ok := bc.LatestProfileStatus(recs)
		if !ok {
			lines = append(lines, "F042 "+e.ICCID+": no status reported")
			continue
		}
		lines = append(lines, fmt.Sprintf("F042 %s: %s since %s", e.ICCID, profileStatusName(int(latest.Status)), dash(string(latest.RecordTime))))
		if at, err := time.ParseInLocation(bc.TimeLayout, string(latest.RecordTime), bc.VendorLocation); err == nil {
			if _, err := a.db.SetProfileStatus(ctx, e.ICCID, int(latest.Status), at); err != nil {
				return "", err
			}
		}
	}
	note := statusCheckPrefix + strings.Join(lines, "; ")
	return "check-status", a.db.AddOrderNote(ctx, o.ID, truncate(note, 2000))
}

// vendorErrText is what the operator is told about a failed vendor call:
// the vendor's own code and message, or that it did not answer.
func vendorErrText(err error) string {
	var apiErr *bc.APIError
	if errors.As(err, &apiErr) {
		return "tradeCode " + apiErr.TradeCode + ": " + apiErr.TradeMsg
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer in time"
	}
	return "no usable answer"
}

// vendorOrderStatus names an F011 order status.
func vendorOrderStatus(s int) string {
	switch s {
	case bc.OrderStatusOrdered:
		return "ordered"
	case bc.OrderStatusDelivered:
		return "delivered"
	case bc.OrderStatusCancelled:
		return "cancelled"
	}
	return fmt.Sprintf("status %d", s)
}

// dash shows an empty value as a dash.
func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
