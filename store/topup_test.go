package store

import (
	"context"
	"testing"
)

// TestTopUpOrders: a top-up must name an eSIM of its parent; N013's
// success delivers it once (one confirmation email job, the eSIM's cached
// usage forgotten), failure hands it to the operator, repeats change
// nothing, and a plain order is no top-up.
func TestTopUpOrders(t *testing.T) {
	ctx := context.Background()
	db, _, parent := paidOrder(t)
	if _, _, err := db.StoreDelivery(ctx, parent.Number, "V1", fullDelivery(parent)); err != nil {
		t.Fatal(err)
	}
	newTopUp := func(iccid, ref string) (Order, error) {
		in := validNewOrder()
		in.TopUp = &TopUp{ParentID: parent.ID, ICCID: iccid}
		o, err := db.CreateOrder(ctx, in)
		if err == nil {
			mustSetRef(t, db, o.ID, ref)
			mustPay(t, db, o.ID, ref)
		}
		return o, err
	}
	if _, err := newTopUp("8985200000000000999", "cs_x"); ErrorCode(err) != EINVALID {
		t.Fatalf("top-up of an eSIM of no order: %v, want EINVALID", err)
	}
	good, err := newTopUp("8985200000000000001", "cs_good")
	if err != nil {
		t.Fatal(err)
	}
	bad, err := newTopUp("8985200000000000002", "cs_bad")
	if err != nil {
		t.Fatal(err)
	}
	if got := statusOf(t, db, good.ID); got.TopUp == nil || got.TopUp.ICCID != "8985200000000000001" {
		t.Fatalf("loaded top-up %+v", got.TopUp)
	}
	if _, err := db.ClaimUsageCheck(ctx, "8985200000000000001", t0, 1); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		_, changed, err := db.CompleteTopUp(ctx, good.Number, "VT1", true)
		if err != nil || changed != (i == 0) {
			t.Fatalf("N013 success #%d: changed=%v, %v", i+1, changed, err)
		}
	}
	if got := statusOf(t, db, good.ID); got.Status != StatusDelivered || got.VendorOrderID != "VT1" {
		t.Fatalf("after N013 success: %s %q", got.Status, got.VendorOrderID)
	}
	if n := countJobsOf(t, db, JobSendESIMEmail, good.ID); n != 1 {
		t.Fatalf("%d confirmation email jobs, want 1", n)
	}
	if _, err := db.ESIMUsage(ctx, "8985200000000000001"); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("cached usage kept after the top-up: %v", err)
	}
	if _, changed, err := db.CompleteTopUp(ctx, bad.Number, "", false); err != nil || !changed {
		t.Fatalf("N013 failure: %v %v", changed, err)
	}
	if got := statusOf(t, db, bad.ID); got.Status != StatusNeedsAttention || got.Attention == "" {
		t.Fatalf("after N013 failure: %s %q", got.Status, got.Attention)
	}
	if _, _, err := db.CompleteTopUp(ctx, parent.Number, "", true); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("N013 for a plain order: %v, want ENOTFOUND", err)
	}
	tops, err := db.TopUpsOf(ctx, parent.ID)
	if err != nil || len(tops) != 2 || tops[0].ID != bad.ID {
		t.Fatalf("TopUpsOf: %+v %v", tops, err)
	}
}
