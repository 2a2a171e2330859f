package billing

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
)

const testWebhookSecret = "whsec_test_fake"

// webhookStripe is a provider for webhook tests; ParseWebhook makes no
// network call, so no API URL is needed.
func webhookStripe(t testing.TB, secret string) *Stripe {
	t.Helper()
	s, err := NewStripe(StripeConfig{SecretKey: testKey, WebhookSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// eventJSON builds a Stripe event of type typ around a checkout session
// with the given status and payment status.
func eventJSON(t testing.TB, typ, apiVersion, status, paymentStatus string) []byte {
	t.Helper()
	ev := map[string]any{
		"id": "evt_1OaBcDeFgHiJkLmN", "object": "event", "api_version": apiVersion,
		"created": 1700000000, "livemode": false, "type": typ, "pending_webhooks": 1,
		"data": map[string]any{"object": map[string]any{
			"id": "cs_test_a1B2c3D4e5F6g7H8", "object": "checkout.session",
			"status": status, "payment_status": paymentStatus, "mode": "payment",
			"amount_total": 2598, "currency": "EUR", "client_reference_id": "42",
			"metadata": map[string]string{"order_id": "42", "order_number": "ES-1042"},
			"livemode": false,
		}},
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sign returns the Stripe-Signature header for payload.
func sign(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
}

func TestParseWebhookCheckoutEvents(t *testing.T) {
	s := webhookStripe(t, testWebhookSecret)
	tests := []struct {
		typ, status, payment string
		paid                 bool
	}{
		{EventCheckoutCompleted, SessionComplete, PaymentPaid, true},
		{EventCheckoutCompleted, SessionComplete, PaymentUnpaid, false}, // delayed method: wait for async_*
		{EventCheckoutAsyncPaymentSucceeded, SessionComplete, PaymentPaid, true},
		{EventCheckoutAsyncPaymentFailed, SessionComplete, PaymentUnpaid, false},
		{EventCheckoutExpired, SessionExpired, PaymentUnpaid, false},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"/"+tt.payment, func(t *testing.T) {
			payload := eventJSON(t, tt.typ, "2023-10-16", tt.status, tt.payment)
			ev, err := s.ParseWebhook(payload, sign(payload, testWebhookSecret, time.Now()))
			if err != nil {
				t.Fatal(err)
			}
			want := SessionState{
				ID: "cs_test_a1B2c3D4e5F6g7H8", Status: tt.status, PaymentStatus: tt.payment,
				AmountTotal: 2598, Currency: "eur", ClientReferenceID: "42", MetadataOrderID: "42",
			}
			if ev.ID != "evt_1OaBcDeFgHiJkLmN" || ev.Type != tt.typ || ev.Livemode ||
				!ev.Created.Equal(time.Unix(1700000000, 0)) || ev.Created.Location() != time.UTC {
				t.Errorf("event = %+v", ev)
			}
			if ev.Session == nil || *ev.Session != want {
				t.Fatalf("Session = %+v; want %+v", ev.Session, want)
			}
			if ev.Session.Paid() != tt.paid {
				t.Errorf("Paid() = %v; want %v", ev.Session.Paid(), tt.paid)
			}
		})
	}
}

// TestParseWebhookOtherEvent: events the shop does not act on still verify
// (so the handler can answer 200 and Stripe stops retrying) but carry no
// session.
func TestParseWebhookOtherEvent(t *testing.T) {
	s := webhookStripe(t, testWebhookSecret)
	payload := []byte(`{"id":"evt_2","object":"event","api_version":"2023-10-16","created":1700000001,"livemode":true,` +
		`"type":"charge.refunded","data":{"object":{"id":"ch_1","object":"charge"}}}`)
	ev, err := s.ParseWebhook(payload, sign(payload, testWebhookSecret, time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if ev.ID != "evt_2" || ev.Type != "charge.refunded" || ev.Session != nil || !ev.Livemode {
		t.Errorf("event = %+v; want charge.refunded, live, no session", ev)
	}
}

func TestParseWebhookBadSignature(t *testing.T) {
	payload := eventJSON(t, EventCheckoutCompleted, "2023-10-16", SessionComplete, PaymentPaid)
	now := time.Now()
	tests := []struct {
		name    string
		secret  string // configured
		body    []byte
		header  string
		explain string // substring of the error
	}{
		{"wrong secret", testWebhookSecret, payload, sign(payload, "whsec_other", now), "no signature matches"},
		{"tampered body", testWebhookSecret, []byte(strings.Replace(string(payload), "2598", "1", 1)), sign(payload, testWebhookSecret, now), "no signature matches"},
		{"missing header", testWebhookSecret, payload, "", "no Stripe-Signature header"},
		{"malformed header", testWebhookSecret, payload, "t=soon,v1=abc", "malformed"},
		{"v0 only", testWebhookSecret, payload, strings.Replace(sign(payload, testWebhookSecret, now), "v1=", "v0=", 1), "no signature matches"},
		{"too old", testWebhookSecret, payload, sign(payload, testWebhookSecret, now.Add(-6*time.Minute)), "tolerance"},
		{"signed with empty secret", testWebhookSecret, payload, sign(payload, "", now), "no signature matches"},
		{"no secret configured", "", payload, sign(payload, "", now), "no webhook secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := webhookStripe(t, tt.secret)
			ev, err := s.ParseWebhook(tt.body, tt.header)
			if !errors.Is(err, ErrBadSignature) || errors.Is(err, ErrBadPayload) {
				t.Fatalf("ParseWebhook = %+v, %v; want ErrBadSignature", ev, err)
			}
			if !strings.Contains(err.Error(), tt.explain) {
				t.Errorf("error %q does not say %q", err, tt.explain)
			}
			if strings.Contains(err.Error(), testWebhookSecret) {
				t.Errorf("error %q reveals the secret", err)
			}
		})
	}
}

func TestParseWebhookBadPayload(t *testing.T) {
	s := webhookStripe(t, testWebhookSecret)
	good := string(eventJSON(t, EventCheckoutCompleted, "2023-10-16", SessionComplete, PaymentPaid))
	tests := []struct {
		name    string
		body    string
		explain string
	}{
		{"not JSON", "hello", "not a Stripe event"},
		{"truncated", good[:len(good)/2], "not a Stripe event"},
		{"trailing data", good + `{}`, "not a Stripe event"},
		{"array", `[1,2]`, "not a Stripe event"},
		{"wrong API version", string(eventJSON(t, EventCheckoutCompleted, "2024-06-20", SessionComplete, PaymentPaid)), "create the Stripe webhook endpoint with API version 2023-10-16"},
		{"no API version", strings.Replace(good, `"api_version":"2023-10-16",`, "", 1), "API version 2023-10-16"},
		{"no data", `{"id":"evt_3","object":"event","api_version":"2023-10-16","type":"checkout.session.completed"}`, "lacks"},
		{"no ID", strings.Replace(good, `"id":"evt_1OaBcDeFgHiJkLmN",`, "", 1), "lacks"},
		{"no type", strings.Replace(good, `,"type":"checkout.session.completed"`, "", 1), "lacks"},
		{"object is a payment intent", strings.Replace(good, `"object":"checkout.session"`, `"object":"payment_intent"`, 1), "not a checkout session"},
		{"session without cs_ ID", strings.Replace(good, `"cs_test_a1B2c3D4e5F6g7H8"`, `"pi_123"`, 1), "not a checkout session"},
		{"object as bare ID", `{"id":"evt_4","object":"event","api_version":"2023-10-16","type":"checkout.session.expired","data":{"object":"cs_test_a1B2c3D4e5F6"}}`, "not a Stripe event"},
		{"amount as text", strings.Replace(good, `"amount_total":2598`, `"amount_total":"2598"`, 1), "not a checkout session"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.body)
			ev, err := s.ParseWebhook(body, sign(body, testWebhookSecret, time.Now()))
			if !errors.Is(err, ErrBadPayload) || errors.Is(err, ErrBadSignature) {
				t.Fatalf("ParseWebhook = %+v, %v; want ErrBadPayload", ev, err)
			}
			if !strings.Contains(err.Error(), tt.explain) {
				t.Errorf("error %q does not say %q", err, tt.explain)
			}
			if len(err.Error()) > 400 {
				t.Errorf("error is %d bytes; the body must not be echoed", len(err.Error()))
			}
		})
	}
}

// FuzzParseWebhook feeds arbitrary bodies, signed with the right secret so
// they reach the decoder, and arbitrary headers. It must never panic, every
// error must be one of the two sentinels, and a success must carry an event
// ID and, for checkout events, a session.
func FuzzParseWebhook(f *testing.F) {
	s := webhookStripe(f, testWebhookSecret)
	f.Add(eventJSON(f, EventCheckoutCompleted, "2023-10-16", SessionComplete, PaymentPaid), "")
	f.Add(eventJSON(f, EventCheckoutExpired, "2024-06-20", SessionExpired, PaymentUnpaid), "")
	f.Add([]byte(`{"id":"evt_1","api_version":"2023-10-16","type":"checkout.session.completed","data":{"object":null}}`), "")
	f.Add([]byte(`{"id":"evt_1","api_version":"2023-10-16","type":"checkout.session.x","data":null}`), "")
	f.Add([]byte(`{"data":{"object":{"metadata":[1]}}}`), "")
	f.Add([]byte("not json"), "t=1,v1=00")
	f.Add([]byte(`{}`), "t=,v1=zz,v1")
	f.Fuzz(func(t *testing.T, body []byte, header string) {
		if header == "" {
			header = sign(body, testWebhookSecret, time.Now())
		}
		ev, err := s.ParseWebhook(body, header)
		if err != nil {
			if !errors.Is(err, ErrBadSignature) && !errors.Is(err, ErrBadPayload) {
				t.Fatalf("error %v wraps neither sentinel", err)
			}
			return
		}
		if !strings.HasPrefix(ev.ID, "evt_") || ev.Type == "" {
			t.Fatalf("accepted event without ID or type: %+v", ev)
		}
		if strings.HasPrefix(ev.Type, "checkout.session.") && (ev.Session == nil || !validSessionID(ev.Session.ID)) {
			t.Fatalf("accepted checkout event without a valid session: %+v", ev)
		}
	})
}
