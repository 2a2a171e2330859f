package shop

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// RefundDesk is the support desk's refunds: a fresh install check (F042),
// then a refund recorded in the store and worked by the order's refund
// job — the vendor cancel (F008 for a whole order, F017 with
// receivingState=1 for chosen eSIMs) and the payment refund, each retried
// and idempotent, each failure kept on the refund for the operator.
type RefundDesk struct {
	s *Shop
	// runMu lets one refund job run at a time: a refund added while the
	// job runs queues it again, and a second worker must not make the
	// same vendor call while the first waits for its answer.
	runMu sync.Mutex
}

// NewRefundDesk returns the refund desk of a shop.
func NewRefundDesk(s *Shop) *RefundDesk { return &RefundDesk{s: s} }

// InstallState is one eSIM's install status as the vendor reports it now.
type InstallState struct {
	ICCID  string
	Status int    // store.Profile*, store.ProfileUnknown when the vendor did not say
	Error  string // why the status is unknown, "" otherwise
}

// Installed reports whether the vendor will refuse to cancel the eSIM:
// on a device (installed, enabled, disabled), or not known to be off one.
func (st InstallState) Installed() bool {
	return st.Status == store.ProfileUnknown || st.Status >= store.ProfileInstalled && st.Status <= store.ProfileDisabled
}

// InstallStates asks the vendor (F042) for the current status of each of
// the order's eSIMs, and keeps the answers on the eSIMs.
func (d *RefundDesk) InstallStates(ctx context.Context, o store.Order) ([]InstallState, error) {
	vctx, cancel := context.WithTimeout(ctx, vendorCallTimeout)
	defer cancel()
	out := make([]InstallState, 0, len(o.ESIMs))
	for _, e := range o.ESIMs {
		st := InstallState{ICCID: e.ICCID, Status: store.ProfileUnknown}
		recs, err := d.s.Vendor.ProfileStatus(vctx, e.ICCID)
		if err != nil {
			st.Error = vendorErrText(err)
			out = append(out, st)
			continue
		}
		latest, ok, err := keepLatestProfile(ctx, d.s.DB, e.ICCID, recs)
		if err != nil {
			return nil, err
		}
		if ok {
			st.Status = int(latest.Status)
		} else {
			st.Error = "no status reported"
		}
		out = append(out, st)
	}
	return out, nil
}

// RefundAsk is an operator's refund.
type RefundAsk struct {
	Admin  string
	Order  store.Order
	Amount int64    // minor units; 0 = the price of the chosen eSIMs
	ICCIDs []string // the eSIMs refunded (and cancelled unless installed)
	Reason string
	// RefundInstalled is the operator's "refund anyway, the vendor will
	// not credit it" for chosen eSIMs that are installed.
	RefundInstalled bool
}

// InstalledError refuses a refund of installed eSIMs without the
// operator's confirmation.
type InstalledError struct{ ICCIDs []string }

func (e *InstalledError) Error() string {
	return "installed eSIMs (" + strings.Join(e.ICCIDs, ", ") + "): the vendor will not credit them; confirm to refund anyway"
}

// Request checks the chosen eSIMs at the vendor now, refuses installed
// ones without RefundInstalled (*InstalledError), and records the refund
// for the job to work. Bad input is a store.EINVALID error and changes
// nothing.
func (d *RefundDesk) Request(ctx context.Context, a RefundAsk) (store.Refund, error) {
	o := a.Order
	if strings.TrimSpace(a.Reason) == "" {
		return store.Refund{}, store.Errorf(store.EINVALID, "a refund needs a reason")
	}
	chosen := slices.Compact(slices.Sorted(slices.Values(a.ICCIDs)))
	if a.Amount <= 0 && len(chosen) == 0 {
		return store.Refund{}, store.Errorf(store.EINVALID, "give an amount or choose eSIMs to refund")
	}
	var units []int64
	for _, id := range chosen {
		i := slices.IndexFunc(o.ESIMs, func(e store.ESIM) bool { return e.ICCID == id })
		if i < 0 {
			return store.Refund{}, store.Errorf(store.EINVALID, "eSIM %s is not of order %s", id, o.Number)
		}
		units = append(units, lineUnit(o, o.ESIMs[i].LineID))
	}
	var cancel, installed []string
	if len(chosen) > 0 {
		states, err := d.InstallStates(ctx, o)
		if err != nil {
			return store.Refund{}, err
		}
		for _, st := range states {
			switch {
			case !slices.Contains(chosen, st.ICCID):
			case st.Installed():
				installed = append(installed, st.ICCID)
			default:
				cancel = append(cancel, st.ICCID)
			}
		}
	}
	if len(installed) > 0 && !a.RefundInstalled {
		return store.Refund{}, &InstalledError{ICCIDs: installed}
	}
	amount := a.Amount
	if amount <= 0 {
		sum, err := billing.RefundOfUnits(units)
		if err != nil {
			return store.Refund{}, store.Errorf(store.EINVALID, "%v", err)
		}
		amount = sum
	}
	in := store.RefundInput{OrderID: o.ID, Amount: amount, Reason: a.Reason, Admin: a.Admin, ICCIDs: cancel, Installed: installed}
	switch {
	case len(cancel) == 0:
	case len(cancel) == len(o.ESIMs) && o.VendorOrderID != "":
		in.VendorCall = store.VendorCancelOrder
	default:
		in.VendorCall = store.VendorAfterSale
	}
	r, err := d.s.DB.CreateRefund(ctx, in)
	if err != nil {
		return store.Refund{}, err
	}
	d.s.Wake()
	return r, nil
}

// lineUnit is the unit price of the order's line id (0 if unknown, which
// billing refuses).
func lineUnit(o store.Order, lineID int64) int64 {
	for _, l := range o.Lines {
		if l.ID == lineID {
			return l.UnitAmount
		}
	}
	return 0
}

// refundJobKind is the refund job: run works the order's pending refunds;
// giveUp fails what is still queued, with the last error.
func refundJobKind(s *Shop) jobKind {
	d := NewRefundDesk(s)
	return jobKind{run: d.run, giveUp: d.giveUp}
}

// run works every pending refund of the job's order, oldest first, and
// looks again until none is left, so a refund added while it ran is
// worked too. Each step is recorded as soon as it is done: after a crash
// only the steps not recorded are repeated, with the same idempotency key
// at the payment provider and an idempotent cancel at the vendor.
func (d *RefundDesk) run(ctx context.Context, j store.Job) error {
	d.runMu.Lock()
	defer d.runMu.Unlock()
	for {
		rs, err := d.s.DB.Refunds(ctx, j.OrderID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(rs, store.Refund.Pending)
		if i < 0 {
			return nil
		}
		o, err := d.s.DB.OrderByID(ctx, j.OrderID)
		if err != nil {
			return err
		}
		if err := d.work(ctx, o, rs[i]); err != nil {
			return err
		}
	}
}

// work does a refund's pending steps: the vendor cancel first (so the
// vendor's refusal is known before money moves), then the payment.
func (d *RefundDesk) work(ctx context.Context, o store.Order, r store.Refund) error {
	if r.VendorState == store.RefundQueued {
		if err := d.cancelAtVendor(ctx, o, r); err != nil {
			return err
		}
	}
	if r.PaymentState != store.RefundQueued {
		return nil
	}
	pctx, cancel := context.WithTimeout(ctx, vendorCallTimeout)
	defer cancel()
	ref, err := d.s.Payments.Refund(pctx, billing.RefundRequest{
		OrderID: o.ID, PaymentIntent: o.PaymentIntent, SessionID: o.PaymentRef,
		Amount: r.Amount, Currency: o.Currency, IdempotencyKey: fmt.Sprintf("refund-%s-r%d", o.Number, r.ID),
	})
	if err != nil {
		return fmt.Errorf("payment refund #%d: %w", r.ID, err)
	}
	if _, err := d.s.DB.SetRefundPayment(ctx, r.ID, store.RefundDone, ref, ""); err != nil {
		return err
	}
	if err := d.s.DB.AddOrderNote(ctx, o.ID, fmt.Sprintf("refund #%d: payment refunded (%s)", r.ID, ref)); err != nil {
		return err
	}
	left, err := d.s.DB.RefundLeft(ctx, o)
	if err != nil || left > 0 {
		return err
	}
	_, err = d.s.DB.MarkRefunded(ctx, o.ID, ref, fmt.Sprintf("refunds add up to the total (last #%d by %s)", r.ID, r.Admin))
	return err
}

// cancelAtVendor makes the refund's vendor call and records the answer
// and the balance around it. A refusal is recorded as failed (the payment
// still goes ahead: the operator decided to refund); a temporary failure
// is returned for the queue to retry.
func (d *RefundDesk) cancelAtVendor(ctx context.Context, o store.Order, r store.Refund) error {
	vctx, cancel := context.WithTimeout(ctx, vendorCallTimeout)
	defer cancel()
	before := d.balanceText(vctx)
	var err error
	switch r.VendorCall {
	case store.VendorCancelOrder:
		err = d.s.Vendor.CancelOrder(vctx, o.VendorOrderID)
	default:
		err = d.s.Vendor.AfterSale(vctx, bc.AfterSaleRequest{OrderID: o.VendorOrderID, ICCIDs: r.ICCIDs, Reason: r.Reason})
	}
	if err != nil && bc.Temporary(err) {
		return fmt.Errorf("%s for refund #%d: %w", r.VendorCall, r.ID, err)
	}
	state, answer := store.RefundDone, r.VendorCall+": cancelled "+strings.Join(r.ICCIDs, ", ")
	if err != nil {
		state, answer = store.RefundFailed, r.VendorCall+" refused: "+vendorErrText(err)
	}
	changed, serr := d.s.DB.SetRefundVendor(ctx, r.ID, state, answer, before, d.balanceText(vctx))
	if serr != nil || !changed {
		return serr
	}
	return d.s.DB.AddOrderNote(ctx, o.ID, fmt.Sprintf("refund #%d: %s", r.ID, answer))
}

// balanceText is the vendor balance (F014) as "12.34 CNY", "" when the
// vendor does not say: it is shown, never computed with.
func (d *RefundDesk) balanceText(ctx context.Context) string {
	b, err := d.s.Vendor.Balance(ctx)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b.AccountBalance) + " " + string(b.Currency))
}

// giveUp fails the steps still queued of the order's refunds with the
// job's last error, and notes it on the order, so the operator sees it.
func (d *RefundDesk) giveUp(ctx context.Context, j store.Job, jobErr error) {
	rs, err := d.s.DB.Refunds(ctx, j.OrderID)
	if err != nil {
		d.s.Log.ErrorContext(ctx, "refund job gave up; refunds unreadable", "order_id", j.OrderID, "err", err)
		return
	}
	text := "gave up after retries: " + jobErr.Error()
	for _, r := range rs {
		var errs []error
		if r.VendorState == store.RefundQueued {
			_, err := d.s.DB.SetRefundVendor(ctx, r.ID, store.RefundFailed, text, "", "")
			errs = append(errs, err)
		}
		if r.PaymentState == store.RefundQueued {
			_, err := d.s.DB.SetRefundPayment(ctx, r.ID, store.RefundFailed, "", text)
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			errs = append(errs, d.s.DB.AddOrderNote(ctx, j.OrderID, fmt.Sprintf("refund #%d failed: %s", r.ID, text)))
		}
		if err := errors.Join(errs...); err != nil {
			d.s.Log.ErrorContext(ctx, "recording a failed refund", "order_id", j.OrderID, "refund", r.ID, "err", err)
		}
	}
}
