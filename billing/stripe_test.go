package billing

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

const testKey = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"

// newMockStripe returns a Stripe provider talking to stripe-mock through a
// recorder.
func newMockStripe(t *testing.T) (*Stripe, *recorder) {
	t.Helper()
	base := stripeMockURL(t)
	rec := &recorder{}
	s, err := NewStripe(StripeConfig{SecretKey: testKey, WebhookSecret: testWebhookSecret, APIURL: base, HTTPClient: &http.Client{Transport: rec}})
	if err != nil {
		t.Fatal(err)
	}
	return s, rec
}

// validRequest is a complete checkout request; tests change one field.
func validRequest() CheckoutRequest {
	return CheckoutRequest{
		OrderID:        42,
		OrderNumber:    "ES-1042",
		OrderToken:     "tok_Zk3vQ9",
		Email:          "ana@example.com",
		Lang:           "es",
		Currency:       "eur",
		UnitAmount:     1299,
		Quantity:       2,
		ProductName:    "Japan 5 GB · 7 days eSIM",
		ProductDesc:    "Japan · 5 GB · 7 days",
		SuccessURL:     "https://shop.example/orders/tok_Zk3vQ9?session_id={CHECKOUT_SESSION_ID}",
		CancelURL:      "https://shop.example/plans/jp-5gb-7d",
		IdempotencyKey: "checkout-ES-1042",
	}
}

func TestNewStripeRejects(t *testing.T) {
	tests := []struct {
		name string
		cfg  StripeConfig
	}{
		{"empty key", StripeConfig{}},
		{"publishable key", StripeConfig{SecretKey: "pk_test_abcdef123456"}},
		{"key with space", StripeConfig{SecretKey: "sk_test_abcdef123456 "}},
		{"not a key", StripeConfig{SecretKey: "abcdef123456"}},
		{"bad webhook secret", StripeConfig{SecretKey: testKey, WebhookSecret: "sk_test_oops"}},
		{"webhook secret with newline", StripeConfig{SecretKey: testKey, WebhookSecret: "whsec_abc\n"}},
		{"relative API URL", StripeConfig{SecretKey: testKey, APIURL: "localhost:12111"}},
		{"ftp API URL", StripeConfig{SecretKey: testKey, APIURL: "ftp://localhost"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewStripe(tt.cfg)
			if err == nil {
				t.Fatalf("NewStripe = %v, nil; want an error", s)
			}
			for _, secret := range []string{tt.cfg.SecretKey, tt.cfg.WebhookSecret} {
				if secret != "" && strings.Contains(err.Error(), strings.TrimSpace(secret)) {
					t.Errorf("error %q reveals a secret", err)
				}
			}
		})
	}
}

func TestStripeLive(t *testing.T) {
	for key, want := range map[string]bool{
		"sk_live_abc123": true, "rk_live_abc123": true, "sk_test_abc123": false, "rk_test_abc123": false,
	} {
		s, err := NewStripe(StripeConfig{SecretKey: key})
		if err != nil {
			t.Fatal(err)
		}
		if s.Live() != want || s.Name() != "stripe" {
			t.Errorf("%s: Live() = %v, Name() = %q; want %v, stripe", key, s.Live(), s.Name(), want)
		}
	}
}

func TestStripeCreateCheckout(t *testing.T) {
	s, rec := newMockStripe(t)
	r := validRequest()
	got, err := s.CreateCheckout(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got.ID, "cs_") || !strings.HasPrefix(got.URL, "https://") {
		t.Errorf("CreateCheckout = %+v; want a cs_ ID and an https URL", got)
	}
	reqs := rec.requests()
	if len(reqs) != 1 {
		t.Fatalf("sent %d requests; want 1", len(reqs))
	}
	req := reqs[0]
	if req.Method != http.MethodPost || req.Path != "/v1/checkout/sessions" {
		t.Errorf("request %s %s; want POST /v1/checkout/sessions", req.Method, req.Path)
	}
	if got := req.Header.Get("Idempotency-Key"); got != r.IdempotencyKey {
		t.Errorf("Idempotency-Key = %q; want %q", got, r.IdempotencyKey)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("Authorization header not the configured key")
	}
	want := map[string]string{
		"mode":                                                 "payment",
		"line_items[0][price_data][currency]":                  "eur",
		"line_items[0][price_data][unit_amount]":               "1299",
		"line_items[0][price_data][product_data][name]":        r.ProductName,
		"line_items[0][price_data][product_data][description]": r.ProductDesc,
		"line_items[0][quantity]":                              "2",
		"customer_email":                                       "ana@example.com",
		"client_reference_id":                                  "42",
		"metadata[order_id]":                                   "42",
		"metadata[order_number]":                               "ES-1042",
		"payment_intent_data[metadata][order_id]":              "42",
		"payment_intent_data[metadata][order_number]":          "ES-1042",
		"locale":      "es",
		"success_url": r.SuccessURL,
		"cancel_url":  r.CancelURL,
	}
	for k, v := range want {
		if req.Form[k] != v {
			t.Errorf("form %s = %q; want %q", k, req.Form[k], v)
		}
	}
	if !strings.Contains(req.Form["success_url"], "{CHECKOUT_SESSION_ID}") {
		t.Errorf("success_url %q lacks the {CHECKOUT_SESSION_ID} placeholder", req.Form["success_url"])
	}
	for k, v := range req.Form {
		if strings.Contains(v, r.OrderToken) && k != "success_url" {
			t.Errorf("form %s = %q carries the order token; only success_url may", k, v)
		}
		if k == "expires_at" {
			t.Errorf("expires_at sent; the shop relies on Stripe's 24 h default")
		}
	}
}

// TestStripeCreateCheckoutOptional: an empty email and description are left
// out rather than sent empty, and the locale follows Lang.
func TestStripeCreateCheckoutOptional(t *testing.T) {
	s, rec := newMockStripe(t)
	tests := []struct{ lang, locale string }{{"en", "en"}, {"es-MX", "es"}, {"fr", "auto"}, {"", "auto"}}
	for i, tt := range tests {
		r := validRequest()
		r.Email, r.ProductDesc, r.Lang = "", "", tt.lang
		if _, err := s.CreateCheckout(context.Background(), r); err != nil {
			t.Fatalf("lang %q: %v", tt.lang, err)
		}
		form := rec.requests()[i].Form
		if form["locale"] != tt.locale {
			t.Errorf("lang %q: locale = %q; want %q", tt.lang, form["locale"], tt.locale)
		}
		for _, k := range []string{"customer_email", "line_items[0][price_data][product_data][description]"} {
			if v, ok := form[k]; ok {
				t.Errorf("lang %q: %s = %q sent; want it omitted", tt.lang, k, v)
			}
		}
	}
}

// TestStripeCreateCheckoutRejects: a bad request fails before anything is
// sent, because Stripe would either reject it or, worse, charge it.
func TestStripeCreateCheckoutRejects(t *testing.T) {
	rec := &recorder{}
	s, err := NewStripe(StripeConfig{SecretKey: testKey, APIURL: "http://127.0.0.1:1", HTTPClient: &http.Client{Transport: rec}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*CheckoutRequest)
	}{
		{"zero order ID", func(r *CheckoutRequest) { r.OrderID = 0 }},
		{"no order number", func(r *CheckoutRequest) { r.OrderNumber = " " }},
		{"upper-case currency", func(r *CheckoutRequest) { r.Currency = "EUR" }},
		{"unknown currency", func(r *CheckoutRequest) { r.Currency = "xyz" }},
		{"zero amount", func(r *CheckoutRequest) { r.UnitAmount = 0 }},
		{"negative amount", func(r *CheckoutRequest) { r.UnitAmount = -1299 }},
		{"ISK aurar", func(r *CheckoutRequest) { r.Currency, r.UnitAmount = "isk", 129950 }},
		{"KWD last digit", func(r *CheckoutRequest) { r.Currency, r.UnitAmount = "kwd", 5125 }},
		{"zero quantity", func(r *CheckoutRequest) { r.Quantity = 0 }},
		{"overflowing total", func(r *CheckoutRequest) { r.Quantity = 1 << 62 }},
		{"no product name", func(r *CheckoutRequest) { r.ProductName = "" }},
		{"huge description", func(r *CheckoutRequest) { r.ProductDesc = strings.Repeat("x", 5000) }},
		{"no placeholder", func(r *CheckoutRequest) { r.SuccessURL = "https://shop.example/orders/tok" }},
		{"relative success URL", func(r *CheckoutRequest) { r.SuccessURL = "/orders/tok?session_id={CHECKOUT_SESSION_ID}" }},
		{"javascript cancel URL", func(r *CheckoutRequest) { r.CancelURL = "javascript:alert(1)" }},
		{"no idempotency key", func(r *CheckoutRequest) { r.IdempotencyKey = "" }},
		{"long idempotency key", func(r *CheckoutRequest) { r.IdempotencyKey = strings.Repeat("k", 256) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validRequest()
			tt.edit(&r)
			got, err := s.CreateCheckout(context.Background(), r)
			if err == nil {
				t.Fatalf("CreateCheckout = %+v, nil; want an error", got)
			}
			if PaymentTemporary(err) {
				t.Errorf("validation error %v reported as temporary", err)
			}
		})
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent for invalid checkouts; want none", n)
	}
}

func TestStripeSession(t *testing.T) {
	s, rec := newMockStripe(t)
	const id = "cs_test_a1B2c3D4e5F6g7H8"
	got, err := s.Session(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	// stripe-mock is stateless: it echoes the ID and returns its fixture,
	// an open unpaid test-mode session.
	if got.ID != id || got.Status != SessionOpen || got.PaymentStatus != PaymentUnpaid || got.Livemode || got.Paid() {
		t.Errorf("Session = %+v; want %s open unpaid test mode", got, id)
	}
	reqs := rec.requests()
	if len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/v1/checkout/sessions/"+id {
		t.Errorf("requests = %+v; want one GET /v1/checkout/sessions/%s", reqs, id)
	}
}

func TestStripeSessionMalformedID(t *testing.T) {
	rec := &recorder{}
	s, err := NewStripe(StripeConfig{SecretKey: testKey, APIURL: "http://127.0.0.1:1", HTTPClient: &http.Client{Transport: rec}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{
		"", "cs_", "cs_test", "pi_test_a1B2c3D4e5F6", "CS_test_a1B2c3D4e5F6", "cs_test_../../v1/charges",
		"cs_test_abc?expand[]=x", "cs_test_abc def", "cs_test_abc%2F", "cs_test_ünïcode",
		"cs_test_" + strings.Repeat("a", 250),
	} {
		if got, err := s.Session(context.Background(), id); err == nil {
			t.Errorf("Session(%q) = %+v, nil; want an error", id, got)
		} else if PaymentTemporary(err) {
			t.Errorf("Session(%q): malformed ID reported as temporary", id)
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent for malformed IDs; want none", n)
	}
}

func TestPaidRequiresCompleteAndPaid(t *testing.T) {
	tests := []struct {
		status, payment string
		want            bool
	}{
		{SessionComplete, PaymentPaid, true},
		{SessionComplete, PaymentUnpaid, false}, // delayed method still settling
		{SessionComplete, PaymentNoPaymentRequired, false},
		{SessionOpen, PaymentPaid, false},
		{SessionExpired, PaymentUnpaid, false},
	}
	for _, tt := range tests {
		if got := (SessionState{Status: tt.status, PaymentStatus: tt.payment}).Paid(); got != tt.want {
			t.Errorf("Paid(%s, %s) = %v; want %v", tt.status, tt.payment, got, tt.want)
		}
	}
}

func TestStripeLocale(t *testing.T) {
	for lang, want := range map[string]string{
		"en": "en", "EN": "en", "en-GB": "en", "es": "es", "es_ES": "es", "es-419": "es",
		"fr": "auto", "": "auto", "eng": "auto", "e": "auto",
	} {
		if got := stripeLocale(lang); got != want {
			t.Errorf("stripeLocale(%q) = %q; want %q", lang, got, want)
		}
	}
}
