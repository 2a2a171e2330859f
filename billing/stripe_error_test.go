package billing

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// stripeAPIAnswer is a canned answer from a fake Stripe API. stripe-mock
// only ever succeeds or fails validation, so error classification is tested
// against an httptest server speaking Stripe's error format.
type stripeAPIAnswer struct {
	status      int
	body        string
	shouldRetry string // Stripe-Should-Retry header; "" leaves it out
}

// fakeStripeAPI serves answer to every request and counts the requests
// and the idempotency keys they carried.
func fakeStripeAPI(t *testing.T, answer stripeAPIAnswer) (*Stripe, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var keys []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		mu.Unlock()
		w.Header().Set("Request-Id", "req_TEST123")
		if answer.shouldRetry != "" {
			w.Header().Set("Stripe-Should-Retry", answer.shouldRetry)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(answer.status)
		_, _ = w.Write([]byte(answer.body))
	}))
	t.Cleanup(srv.Close)
	s, err := NewStripe(StripeConfig{SecretKey: testKey, APIURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	return s, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), keys...)
	}
}

func TestStripeErrorClassification(t *testing.T) {
	tests := []struct {
		name      string
		answer    stripeAPIAnswer
		typ, code string
		temporary bool
	}{
		{"card declined", stripeAPIAnswer{402, `{"error":{"type":"card_error","code":"card_declined","message":"Your card was declined."}}`, "false"},
			"card_error", "card_declined", false},
		{"invalid request", stripeAPIAnswer{400, `{"error":{"type":"invalid_request_error","code":"parameter_invalid_integer","message":"Invalid integer: abc"}}`, "false"},
			"invalid_request_error", "parameter_invalid_integer", false},
		{"bad API key", stripeAPIAnswer{401, `{"error":{"type":"invalid_request_error","message":"Invalid API Key provided: sk_live_abcdefghijklmnop1234"}}`, "false"},
			"invalid_request_error", "", false},
		{"idempotency key reused with other parameters", stripeAPIAnswer{400, `{"error":{"type":"idempotency_error","message":"Keys for idempotent requests can only be used with the same parameters they were first used with."}}`, "false"},
			"idempotency_error", "", false},
		{"idempotency key in use", stripeAPIAnswer{409, `{"error":{"type":"idempotency_error","code":"idempotency_key_in_use","message":"There is currently another in-progress request using this Idempotent Key."}}`, "false"},
			"idempotency_error", "idempotency_key_in_use", true},
		{"rate limit", stripeAPIAnswer{429, `{"error":{"type":"invalid_request_error","code":"rate_limit","message":"Too many requests."}}`, "false"},
			"invalid_request_error", "rate_limit", true},
		{"lock timeout", stripeAPIAnswer{429, `{"error":{"type":"invalid_request_error","code":"lock_timeout","message":"locked"}}`, "false"},
			"invalid_request_error", "lock_timeout", true},
		{"api error", stripeAPIAnswer{500, `{"error":{"type":"api_error","message":"Something went wrong on Stripe's end."}}`, "false"},
			"api_error", "", true},
		{"proxy HTML page", stripeAPIAnswer{502, `<html><body>` + strings.Repeat("Bad gateway ", 200) + `</body></html>`, "false"},
			"api_connection", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := fakeStripeAPI(t, tt.answer)
			_, err := s.CreateCheckout(context.Background(), validRequest())
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T); want *Error", err, err)
			}
			if e.Type != tt.typ || e.Code != tt.code || e.Temporary != tt.temporary || PaymentTemporary(err) != tt.temporary {
				t.Errorf("err = %+v; want type %q code %q temporary %v", e, tt.typ, tt.code, tt.temporary)
			}
			if e.Op != "create checkout" {
				t.Errorf("Op = %q", e.Op)
			}
			if e.Type != "api_connection" && e.RequestID != "req_TEST123" {
				t.Errorf("RequestID = %q; want req_TEST123", e.RequestID)
			}
			msg := err.Error()
			if strings.Contains(msg, "sk_live_") || strings.Contains(msg, testKey) || len(msg) > 600 {
				t.Errorf("error text unsafe or unbounded (%d bytes): %s", len(msg), msg)
			}
			if um := e.UserMessage(); um == "" || strings.Contains(um, "Stripe") || strings.Contains(um, e.Message) && e.Message != "" {
				t.Errorf("UserMessage %q must be a generic sentence", um)
			}
		})
	}
}

func TestStripeSessionNotFound(t *testing.T) {
	s, _ := fakeStripeAPI(t, stripeAPIAnswer{404, `{"error":{"type":"invalid_request_error","code":"resource_missing","param":"session","message":"No such checkout.session: 'cs_test_nope1234'"}}`, ""})
	_, err := s.Session(context.Background(), "cs_test_nope1234")
	var e *Error
	if !errors.As(err, &e) || e.Code != "resource_missing" || e.Op != "retrieve session" || PaymentTemporary(err) {
		t.Fatalf("err = %v; want a non-temporary resource_missing *Error", err)
	}
}

// TestStripeRetriesReuseIdempotencyKey: a 503 is retried twice, and every
// attempt carries the order's key, so Stripe can never create two sessions.
func TestStripeRetriesReuseIdempotencyKey(t *testing.T) {
	s, keys := fakeStripeAPI(t, stripeAPIAnswer{503, `{"error":{"type":"api_error","message":"unavailable"}}`, ""})
	_, err := s.CreateCheckout(context.Background(), validRequest())
	if !PaymentTemporary(err) {
		t.Fatalf("err = %v; want temporary", err)
	}
	got := keys()
	if len(got) != 1+stripeRetries {
		t.Fatalf("%d attempts; want %d", len(got), 1+stripeRetries)
	}
	for i, k := range got {
		if k != "checkout-ES-1042" {
			t.Errorf("attempt %d Idempotency-Key = %q; want checkout-ES-1042", i, k)
		}
	}
}

func TestStripeConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s, err := NewStripe(StripeConfig{SecretKey: testKey, APIURL: "http://" + addr})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateCheckout(context.Background(), validRequest())
	var e *Error
	if !errors.As(err, &e) || e.Type != "api_connection" || !PaymentTemporary(err) {
		t.Fatalf("err = %v; want a temporary api_connection *Error", err)
	}
}

func TestStripeContextErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first: the server notices a client hanging up only
		// once the request body is consumed.
		_, _ = io.Copy(io.Discard, r.Body)
		select { // hang until the client gives up
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	s, err := NewStripe(StripeConfig{SecretKey: testKey, APIURL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = s.Session(ctx, "cs_test_a1B2c3D4e5F6")
	if !errors.Is(err, context.DeadlineExceeded) || !PaymentTemporary(err) {
		t.Errorf("timeout: err = %v; want temporary, wrapping context.DeadlineExceeded", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err = s.CreateCheckout(ctx, validRequest())
	if !errors.Is(err, context.Canceled) || PaymentTemporary(err) {
		t.Errorf("cancel: err = %v; want non-temporary, wrapping context.Canceled", err)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Invalid API Key provided: sk_live_********************1234", "Invalid API Key provided: [redacted]"},
		{"key sk_test_4eC39HqLyjWDarjtT1zdp7dc here", "key [redacted] here"},
		{"rk_live_abc and pk_test_def", "[redacted] and [redacted]"},
		{"secret whsec_abcDEF123", "secret [redacted]"},
		{"client secret pi_3Mtw_secret_YrKJUKribcBjcG8H", "client secret pi_3Mtw[redacted]"},
		{"configured: weird-key-shape", "configured: [redacted]"},
		{"No such checkout.session: 'cs_test_abc'", "No such checkout.session: 'cs_test_abc'"},
	}
	for _, tt := range tests {
		if got := redact(tt.in, "weird-key-shape"); got != tt.want {
			t.Errorf("redact(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestPaymentTemporaryOnOtherErrors(t *testing.T) {
	for _, err := range []error{nil, errors.New("boom"), context.DeadlineExceeded, ErrDemoSession, ErrBadSignature} {
		if PaymentTemporary(err) {
			t.Errorf("PaymentTemporary(%v) = true; want false for errors not from a provider call", err)
		}
	}
}
