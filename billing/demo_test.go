package billing

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestDemoCreateCheckout(t *testing.T) {
	tests := []struct {
		base, token, wantURL string
	}{
		{"http://localhost:8080", "tok_Zk3vQ9", "http://localhost:8080/demo/pay/tok_Zk3vQ9"},
		{"https://shop.example/", "tok_Zk3vQ9", "https://shop.example/demo/pay/tok_Zk3vQ9"},
		{"https://shop.example/sub", "a/b c", "https://shop.example/sub/demo/pay/a%2Fb%20c"},
	}
	for _, tt := range tests {
		d := Demo{BaseURL: tt.base}
		r := validRequest()
		r.OrderToken = tt.token
		got, err := d.CreateCheckout(context.Background(), r)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.base, tt.token, err)
		}
		if got.URL != tt.wantURL {
			t.Errorf("URL = %q; want %q", got.URL, tt.wantURL)
		}
		if !strings.HasPrefix(got.ID, "demo_") || len(got.ID) != len("demo_")+24 || strings.Contains(got.ID, tt.token) {
			t.Errorf("ID = %q; want demo_ and 24 hex digits not containing the token", got.ID)
		}
		again, err := d.CreateCheckout(context.Background(), r)
		if err != nil || again != got {
			t.Errorf("second call = %+v, %v; want the same session %+v (idempotent)", again, err, got)
		}
	}
	a, _ := Demo{BaseURL: "http://x"}.CreateCheckout(context.Background(), validRequest())
	r := validRequest()
	r.OrderToken = "tok_other"
	b, _ := Demo{BaseURL: "http://x"}.CreateCheckout(context.Background(), r)
	if a.ID == b.ID {
		t.Errorf("two orders share session ID %q", a.ID)
	}
}

func TestDemoCreateCheckoutRejects(t *testing.T) {
	tests := []struct {
		name string
		base string
		edit func(*CheckoutRequest)
	}{
		{"no token", "http://x", func(r *CheckoutRequest) { r.OrderToken = "" }},
		{"token with space", "http://x", func(r *CheckoutRequest) { r.OrderToken = " tok" }},
		{"no base URL", "", func(*CheckoutRequest) {}},
		{"relative base URL", "/shop", func(*CheckoutRequest) {}},
		{"zero amount", "http://x", func(r *CheckoutRequest) { r.UnitAmount = 0 }},
		{"unknown currency", "http://x", func(r *CheckoutRequest) { r.Currency = "xyz" }},
	}
	for _, tt := range tests {
		r := validRequest()
		tt.edit(&r)
		if got, err := (Demo{BaseURL: tt.base}).CreateCheckout(context.Background(), r); err == nil {
			t.Errorf("%s: CreateCheckout = %+v, nil; want an error", tt.name, got)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (Demo{BaseURL: "http://x"}).CreateCheckout(ctx, validRequest()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v; want context.Canceled", err)
	}
}

func TestDemoSession(t *testing.T) {
	d := Demo{BaseURL: "http://x"}
	if d.Name() != "demo" {
		t.Errorf("Name() = %q", d.Name())
	}
	if _, err := d.Session(context.Background(), "demo_abc"); !errors.Is(err, ErrDemoSession) {
		t.Errorf("Session err = %v; want ErrDemoSession", err)
	}
}
