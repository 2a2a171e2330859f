package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// Obviously fake Stripe secrets.
const (
	testStripeKey     = "sk_test_fake_key_for_tests"
	testWebhookSecret = "whsec_test_fake_secret"
)

// newStripeShop is a test shop whose webhooks are verified by the real
// Stripe provider (no network: webhooks are verified locally), with one
// pending Stripe order.
func newStripeShop(t testing.TB) (*testShop, store.Order) {
	t.Helper()
	st, err := billing.NewStripe(billing.StripeConfig{SecretKey: testStripeKey, WebhookSecret: testWebhookSecret, APIURL: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"), func(c *Config) {
		c.Payments = &countingProvider{Provider: st}
		c.StripeWebhooks = st
	})
	ctx := context.Background()
	p := someMultiTierPlan(t, s)
	o, err := s.db.CreateOrder(ctx, store.NewOrder{
		Email: "traveller@example.com", Lang: "en", Currency: "usd", Provider: "stripe",
		Lines: []store.OrderLine{{SKUID: p.SKUID, Title: "Test plan", Copies: 1, Quantity: 2, Days: 7, UnitAmount: 1250, Amount: 2500, Settlement: "8.50"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.SetPaymentRef(ctx, o.ID, "cs_test_a1b2c3d4e5"); err != nil {
		t.Fatal(err)
	}
	o, err = s.db.OrderByID(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return s, o
}

// stripeEvent builds a checkout.session event for order o.
func stripeEvent(id, typ string, o store.Order, amount int64, currency, paymentStatus string) []byte {
	ref := strconv.FormatInt(o.ID, 10)
	ev := map[string]any{
		"id": id, "object": "event", "api_version": "2023-10-16", "type": typ, "created": 1764243000,
		"livemode": false, "pending_webhooks": 1,
		"data": map[string]any{"object": map[string]any{
			"id": o.PaymentRef, "object": "checkout.session", "mode": "payment",
			"status": "complete", "payment_status": paymentStatus,
			"amount_total": amount, "currency": currency,
			"client_reference_id": ref, "metadata": map[string]string{"order_id": ref},
		}},
	}
	b, _ := json.Marshal(ev)
	return b
}

// sendStripe posts a webhook signed with secret.
func (s *testShop) sendStripe(t testing.TB, payload []byte, secret string) int {
	t.Helper()
	signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret})
	req := httptest.NewRequest(http.MethodPost, "/webhooks/stripe", bytes.NewReader(payload))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", signed.Header)
	resp, err := s.app.Handler().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// orderState returns an order's status and its number of placement jobs.
func (s *testShop) orderState(t testing.TB, id int64) (store.OrderStatus, int) {
	t.Helper()
	o, err := s.db.OrderByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := s.db.Jobs(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o.Status, len(jobs)
}

// TestStripeWebhook checks each event kind and order of arrival.
func TestStripeWebhook(t *testing.T) {
	type delivery struct {
		id, typ, currency, paymentStatus string
		amountDelta                      int64
		secret                           string
		status                           int
	}
	ok := func(id, typ, ps string) delivery {
		return delivery{id, typ, "usd", ps, 0, testWebhookSecret, http.StatusOK}
	}
	tests := []struct {
		name       string
		deliveries []delivery
		want       store.OrderStatus
		jobs       int
	}{
		{"completed and paid", []delivery{ok("evt_1", "checkout.session.completed", "paid")}, store.StatusPaid, 1},
		{"same event again", []delivery{ok("evt_1", "checkout.session.completed", "paid"), ok("evt_1", "checkout.session.completed", "paid")}, store.StatusPaid, 1},
		{"completed but unpaid waits", []delivery{ok("evt_1", "checkout.session.completed", "unpaid")}, store.StatusPendingPayment, 0},
		{"async succeeded before completed", []delivery{ok("evt_2", "checkout.session.async_payment_succeeded", "paid"), ok("evt_1", "checkout.session.completed", "unpaid")}, store.StatusPaid, 1},
		{"completed then async succeeded", []delivery{ok("evt_1", "checkout.session.completed", "unpaid"), ok("evt_2", "checkout.session.async_payment_succeeded", "paid")}, store.StatusPaid, 1},
		{"async failed", []delivery{ok("evt_1", "checkout.session.completed", "unpaid"), ok("evt_2", "checkout.session.async_payment_failed", "unpaid")}, store.StatusPaymentFailed, 0},
		{"expired", []delivery{ok("evt_3", "checkout.session.expired", "unpaid")}, store.StatusExpired, 0},
		{"expired after paid changes nothing", []delivery{ok("evt_1", "checkout.session.completed", "paid"), ok("evt_3", "checkout.session.expired", "unpaid")}, store.StatusPaid, 1},
		{"wrong signature", []delivery{{"evt_1", "checkout.session.completed", "usd", "paid", 0, "whsec_wrong", http.StatusBadRequest}}, store.StatusPendingPayment, 0},
		{"amount mismatch", []delivery{{"evt_1", "checkout.session.completed", "usd", "paid", -100, testWebhookSecret, http.StatusOK}}, store.StatusNeedsAttention, 0},
		{"currency mismatch", []delivery{{"evt_1", "checkout.session.completed", "eur", "paid", 0, testWebhookSecret, http.StatusOK}}, store.StatusNeedsAttention, 0},
		{"mismatch then a second try", []delivery{{"evt_1", "checkout.session.completed", "usd", "paid", 1, testWebhookSecret, http.StatusOK}, {"evt_1", "checkout.session.completed", "usd", "paid", 1, testWebhookSecret, http.StatusOK}}, store.StatusNeedsAttention, 0},
		{"other event ignored", []delivery{ok("evt_4", "checkout.session.async_payment_succeeded_not", "paid")}, store.StatusPendingPayment, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, o := newStripeShop(t)
			for _, d := range tt.deliveries {
				body := stripeEvent(d.id, d.typ, o, o.Total+d.amountDelta, d.currency, d.paymentStatus)
				if got := s.sendStripe(t, body, d.secret); got != d.status {
					t.Fatalf("%s: status %d, want %d", d.id, got, d.status)
				}
			}
			status, jobs := s.orderState(t, o.ID)
			if status != tt.want || jobs != tt.jobs {
				t.Errorf("order %s with %d jobs, want %s with %d", status, jobs, tt.want, tt.jobs)
			}
		})
	}
}

// TestStripeWebhookConcurrent delivers the same paid event 20 times at
// once: one order paid, one job.
func TestStripeWebhookConcurrent(t *testing.T) {
	s, o := newStripeShop(t)
	body := stripeEvent("evt_same", "checkout.session.completed", o, o.Total, "usd", "paid")
	var wg sync.WaitGroup
	statuses := make(chan int, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- s.sendStripe(t, body, testWebhookSecret)
		}()
	}
	wg.Wait()
	close(statuses)
	for st := range statuses {
		if st != http.StatusOK {
			t.Errorf("status %d", st)
		}
	}
	if status, jobs := s.orderState(t, o.ID); status != store.StatusPaid || jobs != 1 {
		t.Errorf("order %s with %d jobs, want paid with 1", status, jobs)
	}
	events, err := s.db.PaymentEvents(context.Background(), o.ID)
	if err != nil || len(events) != 1 {
		t.Errorf("%d payment events stored (%v), want 1", len(events), err)
	}
}

// TestStripeWebhookMalformed checks that garbage is rejected and changes
// nothing.
func TestStripeWebhookMalformed(t *testing.T) {
	s, o := newStripeShop(t)
	for i, body := range [][]byte{[]byte("not json"), []byte(`{"id":"evt_x"}`), {}, []byte(`{"id":"evt_1","type":"checkout.session.completed","api_version":"2020-08-27","data":{"object":{}}}`)} {
		if got := s.sendStripe(t, body, testWebhookSecret); got != http.StatusBadRequest {
			t.Errorf("body %d: status %d, want 400", i, got)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/webhooks/stripe", bytes.NewReader(stripeEvent("evt_1", "checkout.session.completed", o, o.Total, "usd", "paid")))
	resp, err := s.app.Handler().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unsigned: status %d", resp.StatusCode)
	}
	if status, jobs := s.orderState(t, o.ID); status != store.StatusPendingPayment || jobs != 0 {
		t.Errorf("order %s with %d jobs after garbage", status, jobs)
	}
}

// TestSuccessPageConfirmsPayment checks that coming back from Stripe with
// a paid session marks the order paid even before the webhook.
func TestSuccessPageConfirmsPayment(t *testing.T) {
	s, o := newStripeShop(t)
	cp := s.app.cfg.Payments.(*countingProvider)
	answer := billing.SessionState{
		ID: o.PaymentRef, Status: "complete", PaymentStatus: "paid", AmountTotal: o.Total, Currency: "usd",
		ClientReferenceID: fmt.Sprint(o.ID), MetadataOrderID: fmt.Sprint(o.ID),
	}
	cp.session = func(id string) (billing.SessionState, error) { return answer, nil }
	// A session id that is not the order's is not even asked about.
	s.get(t, "/orders/"+o.Token+"?session_id=cs_test_someoneelse")
	if status, _ := s.orderState(t, o.ID); status != store.StatusPendingPayment {
		t.Fatalf("paid from another order's session: %s", status)
	}
	back := s.get(t, "/orders/"+o.Token+"?session_id="+o.PaymentRef)
	if back.StatusCode != http.StatusSeeOther || back.Header.Get("Location") != "/orders/"+o.Token {
		t.Errorf("return from Stripe: %d → %q, want 303 to the plain order URL", back.StatusCode, back.Header.Get("Location"))
	}
	d := doc(t, s.get(t, "/orders/"+o.Token))
	if status, jobs := s.orderState(t, o.ID); status != store.StatusPaid || jobs != 1 {
		t.Errorf("order %s with %d jobs, want paid with 1", status, jobs)
	}
	if d.Find("h1").Length() == 0 {
		t.Error("order page has no heading")
	}
	// The webhook arriving afterwards changes nothing.
	s.sendStripe(t, stripeEvent("evt_late", "checkout.session.completed", o, o.Total, "usd", "paid"), testWebhookSecret)
	if status, jobs := s.orderState(t, o.ID); status != store.StatusPaid || jobs != 1 {
		t.Errorf("after late webhook: %s with %d jobs", status, jobs)
	}
}

// TestOrderPageTokens checks that malformed and unknown tokens get the
// same 404, and the page is private.
func TestOrderPageTokens(t *testing.T) {
	s, o := newStripeShop(t)
	for _, tok := range []string{"x", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "%3Cscript%3E", o.Token + "A"} {
		resp := s.get(t, "/orders/"+tok)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("token %q: status %d", tok, resp.StatusCode)
		}
	}
	resp := s.get(t, "/orders/"+o.Token)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Robots-Tag") == "" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("order page %d %v", resp.StatusCode, resp.Header)
	}
	// The token never goes into canonical or hreflang links (only the
	// buyer's own language switch links back to the page).
	d := doc(t, resp)
	if d.Find(`link[rel="canonical"], link[rel="alternate"]`).Length() != 0 {
		t.Error("the private order page advertises its URL in link tags")
	}
}
