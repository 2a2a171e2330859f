package billing

import (
	"context"
	"net/http"
	"testing"
)

// TestStripeRefund checks the refund request shape against stripe-mock:
// the payment intent, the full amount and the idempotency key.
func TestStripeRefund(t *testing.T) {
	s, rec := newMockStripe(t)
	id, err := s.Refund(context.Background(), RefundRequest{
		OrderID: 42, PaymentIntent: "pi_123abc", Amount: 1299, Currency: "usd", IdempotencyKey: "refund-E000042-ABCD",
	})
	if err != nil {
		t.Fatal(err)
	}
	if id == "" {
		t.Error("no refund id")
	}
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/v1/refunds" || r.Form["payment_intent"] != "pi_123abc" || r.Form["amount"] != "1299" || r.Form["metadata[order_id]"] != "42" {
		t.Errorf("request = %s %s %v", r.Method, r.Path, r.Form)
	}
	if got := r.Header.Get("Idempotency-Key"); got != "refund-E000042-ABCD" {
		t.Errorf("Idempotency-Key = %q", got)
	}
}

// TestRefundRejects checks that a bad refund request sends nothing.
func TestRefundRejects(t *testing.T) {
	s, rec := newMockStripe(t)
	for _, r := range []RefundRequest{
		{PaymentIntent: "pi_1", Amount: 0, Currency: "usd", IdempotencyKey: "k"},
		{PaymentIntent: "pi_1", Amount: 100, Currency: "usd"},
		{PaymentIntent: "pi_1", Amount: 100, Currency: "xyz", IdempotencyKey: "k"},
		{SessionID: "not-a-session", Amount: 100, Currency: "usd", IdempotencyKey: "k"},
	} {
		if _, err := s.Refund(context.Background(), r); err == nil {
			t.Errorf("%+v accepted", r)
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestDemoRefund checks that the demo refund is stable per key.
func TestDemoRefund(t *testing.T) {
	d := Demo{BaseURL: "https://shop.example"}
	r := RefundRequest{OrderID: 1, Amount: 500, Currency: "usd", IdempotencyKey: "refund-E1"}
	a, err := d.Refund(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := d.Refund(context.Background(), r)
	r.IdempotencyKey = "refund-E2"
	c, _ := d.Refund(context.Background(), r)
	if a != b || a == c {
		t.Errorf("refund ids %q %q %q", a, b, c)
	}
}
