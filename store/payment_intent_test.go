package store

import (
	"context"
	"errors"
	"testing"
)

func TestMarkPaidStoresPaymentIntent(t *testing.T) {
	ctx := context.Background()
	db, o := pendingOrder(t)
	p := goodPayment(o.ID)
	p.PaymentIntent = "pi_1"
	if changed, err := db.MarkPaid(ctx, p, "webhook"); err != nil || !changed {
		t.Fatalf("MarkPaid = %v, %v", changed, err)
	}
	if got := statusOf(t, db, o.ID); got.PaymentIntent != "pi_1" {
		t.Errorf("PaymentIntent = %q, want pi_1", got.PaymentIntent)
	}
	// A repeat naming the same intent changes nothing; another intent is a
	// second charge and is reported.
	if changed, err := db.MarkPaid(ctx, p, "webhook again"); err != nil || changed {
		t.Errorf("repeat = %v, %v", changed, err)
	}
	p.PaymentIntent = "pi_2"
	if _, err := db.MarkPaid(ctx, p, "other charge"); !errors.Is(err, ErrPaymentMismatch) {
		t.Errorf("other intent = %v, want ErrPaymentMismatch", err)
	}
	if got := statusOf(t, db, o.ID); got.PaymentIntent != "pi_1" {
		t.Errorf("PaymentIntent overwritten: %q", got.PaymentIntent)
	}

	// Paid first without an intent (the success page), the webhook adds it.
	db2, o2 := pendingOrder(t)
	if changed, err := db2.MarkPaid(ctx, goodPayment(o2.ID), "success page"); err != nil || !changed {
		t.Fatal(err)
	}
	p2 := goodPayment(o2.ID)
	p2.PaymentIntent = "pi_late"
	if changed, err := db2.MarkPaid(ctx, p2, "webhook"); err != nil || changed {
		t.Errorf("late intent = %v, %v", changed, err)
	}
	if got := statusOf(t, db2, o2.ID); got.PaymentIntent != "pi_late" {
		t.Errorf("PaymentIntent = %q, want pi_late", got.PaymentIntent)
	}
}
