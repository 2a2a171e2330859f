package shop

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// vendorCallTimeout bounds one vendor call made while the operator waits.
const vendorCallTimeout = 20 * time.Second

// Outcomes of an operator's action: each names the message the admin
// shows (see the admin's flashes).
const (
	OutcomeNothing        = "nothing"
	OutcomeNotAllowed     = "not-allowed"
	OutcomeRetried        = "retry-placement"
	OutcomeEmailQueued    = "resend-email"
	OutcomeVendorResent   = "vendor-resend"
	OutcomeVendorError    = "vendor-error"
	OutcomeRefunded       = "refund"
	OutcomeRefundError    = "refund-error"
	OutcomeStatusChecked  = "check-status"
	StatusCheckNotePrefix = "status check: " // starts the order note a status check leaves
)

// Retryable reports whether vendor placement can be retried: the order is
// paid and not (yet) with the vendor, or parked for the operator.
func Retryable(o store.Order) bool {
	switch o.Status {
	case store.StatusPaid, store.StatusPlacing, store.StatusNeedsAttention:
		return !o.PaidAt.IsZero()
	}
	return false
}

// Refundable reports whether the order's money was taken and not given back.
func Refundable(o store.Order) bool {
	switch o.Status {
	case store.StatusPaid, store.StatusPlacing, store.StatusPlaced, store.StatusDelivered, store.StatusNeedsAttention:
		return !o.PaidAt.IsZero() && o.RefundID == ""
	}
	return false
}

// CanRefund reports whether this shop can refund the order: refundable,
// and paid through the provider the shop runs with.
func CanRefund(o store.Order, provider string) bool {
	return Refundable(o) && o.Provider == provider
}

// RetryPlacement queues the place_order job again (and moves a parked
// order back to paid). F040 is idempotent on the order number, so even a
// retry of an order the vendor did accept creates no second vendor order.
func (s *Shop) RetryPlacement(ctx context.Context, admin string, o store.Order) (string, error) {
	changed, err := s.DB.RetryPlacement(ctx, o.ID, "operator retry by "+admin)
	return s.requeued(changed, err, OutcomeRetried, store.ECONFLICT)
}

// ResendEmail queues the buyer's eSIM email again.
func (s *Shop) ResendEmail(ctx context.Context, admin string, o store.Order) (string, error) {
	changed, err := s.DB.ResendDeliveryEmail(ctx, o.ID, "operator re-sent the eSIM email: "+admin)
	return s.requeued(changed, err, OutcomeEmailQueued, store.ECONFLICT, store.ENOTFOUND)
}

// requeued turns the outcome of putting a job back in the queue into the
// outcome to show: refused (an error code in refused), nothing to do, or
// done — then the workers are woken.
func (s *Shop) requeued(changed bool, err error, done string, refused ...string) (string, error) {
	switch {
	case err != nil && slices.Contains(refused, store.ErrorCode(err)):
		return OutcomeNotAllowed, nil
	case err != nil:
		return "", err
	case !changed:
		return OutcomeNothing, nil
	}
	s.Wake()
	return done, nil
}

// VendorResend asks the vendor to mail its eSIM email again (F041).
func (s *Shop) VendorResend(ctx context.Context, admin string, o store.Order) (string, error) {
	if o.VendorOrderID == "" || o.Status == store.StatusRefunded {
		return OutcomeNotAllowed, nil
	}
	vctx, cancel := context.WithTimeout(ctx, vendorCallTimeout)
	defer cancel()
	if err := s.Vendor.ResendEmail(vctx, o.VendorOrderID, o.Email); err != nil {
		s.Log.WarnContext(ctx, "F041 failed", "order", o.Number, "err", err)
		return OutcomeVendorError, s.DB.AddOrderNote(ctx, o.ID, "F041 re-send by "+admin+" failed: "+vendorErrText(err))
	}
	return OutcomeVendorResent, s.DB.AddOrderNote(ctx, o.ID, "F041: "+admin+" asked the vendor to re-send its eSIM email")
}

// Refund refunds the order in full through its payment provider, then
// marks it refunded (which cancels its pending jobs). The idempotency key
// is the order's, so even two refunds that both got past the audit log
// would be one refund at Stripe.
func (s *Shop) Refund(ctx context.Context, admin string, o store.Order) (string, error) {
	if o.RefundID != "" || o.Status == store.StatusRefunded {
		return OutcomeNothing, nil
	}
	if !CanRefund(o, s.Payments.Name()) {
		return OutcomeNotAllowed, nil
	}
	rctx, cancel := context.WithTimeout(ctx, vendorCallTimeout)
	defer cancel()
	id, err := s.Payments.Refund(rctx, billing.RefundRequest{
		OrderID: o.ID, PaymentIntent: o.PaymentIntent, SessionID: o.PaymentRef,
		Amount: o.Total, Currency: o.Currency, IdempotencyKey: "refund-" + o.Number,
	})
	if err != nil {
		s.Log.ErrorContext(ctx, "refund failed", "order", o.Number, "err", err)
		return OutcomeRefundError, nil
	}
	if _, err := s.DB.MarkRefunded(ctx, o.ID, id, "refunded in full by "+admin+" ("+id+")"); err != nil {
		// The money went back; the record must follow. Logged loudly: the
		// next click finds the same refund (same idempotency key).
		s.Log.ErrorContext(ctx, "refund done but not recorded", "order", o.Number, "refund", id, "err", err)
		return "", err
	}
	return OutcomeRefunded, nil
}

// CheckStatus asks the vendor now: F011 for the order, F042 for each
// eSIM. The answers are stored as an order note (and profile statuses on
// the eSIMs), which the admin's order page shows.
func (s *Shop) CheckStatus(ctx context.Context, _ string, o store.Order) (string, error) {
	if o.PaidAt.IsZero() {
		return OutcomeNotAllowed, nil
	}
	vctx, cancel := context.WithTimeout(ctx, vendorCallTimeout)
	defer cancel()
	var lines []string
	info, err := s.Vendor.QueryOrder(vctx, o.Number)
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
		recs, err := s.Vendor.ProfileStatus(vctx, e.ICCID)
		if err != nil {
			lines = append(lines, "F042 "+e.ICCID+": "+vendorErrText(err))
			continue
		}
		latest, ok, err := keepLatestProfile(ctx, s.DB, e.ICCID, recs)
		if err != nil {
			return "", err
		}
		if !ok {
			lines = append(lines, "F042 "+e.ICCID+": no status reported")
			continue
		}
		lines = append(lines, fmt.Sprintf("F042 %s: %s since %s", e.ICCID, ProfileStatusName(int(latest.Status)), dash(string(latest.RecordTime))))
	}
	note := StatusCheckNotePrefix + strings.Join(lines, "; ")
	return OutcomeStatusChecked, s.DB.AddOrderNote(ctx, o.ID, truncate(note, 2000))
}

// vendorErrText is what the operator is told about a failed vendor call:
// the vendor's own code and message, or that it did not answer.
func vendorErrText(err error) string {
	var apiErr *bc.APIError
	if errors.As(err, &apiErr) {
		text := "tradeCode " + apiErr.TradeCode + ": " + apiErr.TradeMsg
		if meaning := apiErr.Meaning(); meaning != "" {
			text += " (" + meaning + ")"
		}
		return text
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

// truncate shortens s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) > n {
		s = s[:n]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// ProfileStatusName names an eSIM profile status (F042, N012) for the
// operator.
func ProfileStatusName(s int) string {
	switch s {
	case store.ProfileNotDownloaded:
		return "not downloaded"
	case store.ProfileDownloaded:
		return "downloaded"
	case store.ProfileInstalled:
		return "installed"
	case store.ProfileEnabled:
		return "enabled"
	case store.ProfileDisabled:
		return "disabled"
	case store.ProfileRecycled:
		return "recycled"
	}
	return "unknown"
}
