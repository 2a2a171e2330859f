package shop

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// recordingPayments is the demo provider with a record of every refund
// call's idempotency key; with loseFirst the first refund goes through
// but its answer is lost, as when the process dies before recording it.
type recordingPayments struct {
	billing.Provider
	mu        sync.Mutex
	keys      []string
	loseFirst bool
}

func (p *recordingPayments) Refund(ctx context.Context, r billing.RefundRequest) (string, error) {
	id, err := p.Provider.Refund(ctx, r)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = append(p.keys, r.IdempotencyKey)
	if p.loseFirst && len(p.keys) == 1 {
		return "", errors.New("connection reset after the refund was made")
	}
	return id, err
}

func (p *recordingPayments) refundKeys() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.keys)
}

// deliveredOrder pays for an order of n eSIMs and waits for its delivery.
func (tc *testCore) deliveredOrder(t *testing.T, n int) store.Order {
	t.Helper()
	o := tc.checkout(t, n)
	if err := tc.shop.PayDemo(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	return tc.waitStatus(t, o.ID, store.StatusDelivered)
}

// waitRefunds waits until none of the order's refunds has a pending step.
func (tc *testCore) waitRefunds(t *testing.T, orderID int64) []store.Refund {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		rs, err := tc.db.Refunds(context.Background(), orderID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(rs, store.Refund.Pending) {
			return rs
		}
		if time.Now().After(deadline) {
			t.Fatalf("refunds still pending: %+v", rs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func iccidsOf(o store.Order) []string {
	var out []string
	for _, e := range o.ESIMs {
		out = append(out, e.ICCID)
	}
	return out
}

// TestRefundUninstalledOrder: a whole order never installed is cancelled
// with one F008 and refunded with one payment refund, even when the
// refund is asked twice and the payment's answer is lost once; the vendor
// balance comes back and the order ends refunded.
func TestRefundUninstalledOrder(t *testing.T) {
	pay := &recordingPayments{Provider: billing.Demo{BaseURL: "https://shop.example"}, loseFirst: true}
	tc := newTestCore(t, true, func(d *Deps) { d.Payments = pay })
	o := tc.deliveredOrder(t, 2)
	for _, id := range iccidsOf(o) {
		tc.sandbox.SetProfileStatus(id, store.ProfileNotDownloaded)
	}
	paidBalance := tc.sandbox.Balance()
	desk := NewRefundDesk(tc.shop)
	ask := RefundAsk{Admin: "ops@example.com", Order: o, ICCIDs: iccidsOf(o), Reason: "trip cancelled"}
	r, err := desk.Request(context.Background(), ask)
	if err != nil {
		t.Fatal(err)
	}
	if r.Amount != o.Total || r.VendorCall != store.VendorCancelOrder {
		t.Fatalf("refund %+v, want the total %d by F008", r, o.Total)
	}
	if _, err := desk.Request(context.Background(), ask); store.ErrorCode(err) != store.ECONFLICT {
		t.Fatalf("second press: %v, want ECONFLICT (nothing left)", err)
	}
	rs := tc.waitRefunds(t, o.ID)
	if len(rs) != 1 || rs[0].VendorState != store.RefundDone || rs[0].PaymentState != store.RefundDone {
		t.Fatalf("refunds %+v", rs)
	}
	if rs[0].BalanceBefore == "" || rs[0].BalanceBefore == rs[0].BalanceAfter {
		t.Errorf("balance before %q after %q: the change is not shown", rs[0].BalanceBefore, rs[0].BalanceAfter)
	}
	if n := tc.sandbox.Calls("F008"); n != 1 {
		t.Errorf("%d F008 calls, want 1", n)
	}
	if keys := slices.Compact(pay.refundKeys()); len(keys) != 1 || len(pay.refundKeys()) != 2 {
		t.Errorf("refund keys %v: want one key, tried twice", pay.refundKeys())
	}
	if got := tc.sandbox.Balance(); got <= paidBalance {
		t.Errorf("vendor balance %d, not credited (was %d)", got, paidBalance)
	}
	for _, id := range iccidsOf(o) {
		if !tc.sandbox.Cancelled(id) {
			t.Errorf("eSIM %s not cancelled at the vendor", id)
		}
	}
	tc.waitStatus(t, o.ID, store.StatusRefunded)
}

// TestRefundInstalledNeedsConfirmation: an installed eSIM is refused
// without the confirmation and changes nothing; with it, the money goes
// back and nothing is sent to the vendor for it.
func TestRefundInstalledNeedsConfirmation(t *testing.T) {
	tc := newTestCore(t, true)
	o := tc.deliveredOrder(t, 1)
	tc.sandbox.SetProfileStatus(o.ESIMs[0].ICCID, store.ProfileInstalled)
	desk := NewRefundDesk(tc.shop)
	ask := RefundAsk{Admin: "ops@example.com", Order: o, ICCIDs: iccidsOf(o), Reason: "does not connect"}
	var inst *InstalledError
	if _, err := desk.Request(context.Background(), ask); !errors.As(err, &inst) || len(inst.ICCIDs) != 1 {
		t.Fatalf("without confirmation: %v, want InstalledError", err)
	}
	if rs, _ := tc.db.Refunds(context.Background(), o.ID); len(rs) != 0 {
		t.Fatalf("a refused refund was stored: %+v", rs)
	}
	ask.RefundInstalled = true
	r, err := desk.Request(context.Background(), ask)
	if err != nil {
		t.Fatal(err)
	}
	if r.VendorCall != "" || len(r.Installed) != 1 || r.Amount != o.Total {
		t.Fatalf("refund anyway: %+v", r)
	}
	rs := tc.waitRefunds(t, o.ID)
	if rs[0].PaymentState != store.RefundDone || rs[0].VendorState != store.VendorNone {
		t.Fatalf("refunds %+v", rs)
	}
	if n := tc.sandbox.Calls("F008") + tc.sandbox.Calls("F017"); n != 0 {
		t.Errorf("%d vendor cancel calls for an installed eSIM", n)
	}
	tc.waitStatus(t, o.ID, store.StatusRefunded)
}

// TestPartialRefunds: one eSIM of three by F017, then an amount, never
// more than is left; bad input is refused and changes nothing; the order
// is refunded when the parts add up to the total.
func TestPartialRefunds(t *testing.T) {
	tc := newTestCore(t, true)
	o := tc.deliveredOrder(t, 3)
	ids := iccidsOf(o)
	for _, id := range ids {
		tc.sandbox.SetProfileStatus(id, store.ProfileNotDownloaded)
	}
	unit := o.Lines[0].UnitAmount
	desk := NewRefundDesk(tc.shop)
	ctx := context.Background()
	bad := []struct {
		name string
		ask  RefundAsk
		code string
	}{
		{"no reason", RefundAsk{Order: o, ICCIDs: ids[:1], Reason: "  "}, store.EINVALID},
		{"nothing chosen", RefundAsk{Order: o, Reason: "x"}, store.EINVALID},
		{"foreign eSIM", RefundAsk{Order: o, ICCIDs: []string{"89850000000000000000"}, Reason: "x"}, store.EINVALID},
		{"more than paid", RefundAsk{Order: o, Amount: o.Total + 1, Reason: "x"}, store.ECONFLICT},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := desk.Request(ctx, tt.ask); store.ErrorCode(err) != tt.code {
				t.Fatalf("err %v, want %s", err, tt.code)
			}
			if rs, _ := tc.db.Refunds(ctx, o.ID); len(rs) != 0 {
				t.Fatalf("stored %+v", rs)
			}
		})
	}
	r1, err := desk.Request(ctx, RefundAsk{Admin: "a", Order: o, ICCIDs: ids[:1], Reason: "one traveller stayed home"})
	if err != nil || r1.Amount != unit || r1.VendorCall != store.VendorAfterSale {
		t.Fatalf("line refund %+v, %v", r1, err)
	}
	if _, err := desk.Request(ctx, RefundAsk{Admin: "a", Order: o, ICCIDs: ids[:1], Reason: "again"}); store.ErrorCode(err) != store.EINVALID {
		t.Fatalf("the same eSIM twice: %v", err)
	}
	if _, err := desk.Request(ctx, RefundAsk{Admin: "a", Order: o, Amount: o.Total - unit + 1, Reason: "too much"}); store.ErrorCode(err) != store.ECONFLICT {
		t.Fatalf("over what is left: %v", err)
	}
	r2, err := desk.Request(ctx, RefundAsk{Admin: "a", Order: o, Amount: o.Total - unit - 1, Reason: "goodwill"})
	if err != nil || r2.VendorCall != "" {
		t.Fatalf("amount refund %+v, %v", r2, err)
	}
	tc.waitRefunds(t, o.ID)
	if cur, _ := tc.db.OrderByID(ctx, o.ID); cur.Status == store.StatusRefunded {
		t.Fatal("refunded in full with 1 minor unit left")
	}
	if left, _ := tc.db.RefundLeft(ctx, o); left != 1 {
		t.Fatalf("left %d, want 1", left)
	}
	if !tc.sandbox.Cancelled(ids[0]) || tc.sandbox.Cancelled(ids[1]) || tc.sandbox.Calls("F017") != 1 {
		t.Fatalf("vendor: cancelled %v %v, %d F017", tc.sandbox.Cancelled(ids[0]), tc.sandbox.Cancelled(ids[1]), tc.sandbox.Calls("F017"))
	}
	if _, err := desk.Request(ctx, RefundAsk{Admin: "a", Order: o, Amount: 1, Reason: "the rest"}); err != nil {
		t.Fatal(err)
	}
	tc.waitRefunds(t, o.ID)
	tc.waitStatus(t, o.ID, store.StatusRefunded)
}
