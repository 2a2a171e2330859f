package web

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/httpx"
)

// FuzzCheckoutForm posts arbitrary buy forms: the shop never fails with a
// 500, and input it rejects stores no order and calls no payment provider.
func FuzzCheckoutForm(f *testing.F) {
	s := newTestShop(f, mustRule(f, "retail", "0.14", "0", "", "usd"), func(c *Config) { c.CheckoutPerMinute = 1 << 30 })
	sku := s.app.snapshot().SKUs()[0]
	f.Add(sku, "1", "1", "traveller@example.com")
	f.Add(sku, "3", "10", "a@b.co")
	f.Add(sku, "0", "11", "not an email")
	f.Add("<script>", "-1", "1e9", "x@y")
	f.Add(sku, "١", "２", "a@example.com\r\nBcc: b@example.com")
	f.Add("", "", "", "")
	orders := 0
	f.Fuzz(func(t *testing.T, sku, copies, quantity, email string) {
		form := url.Values{"_csrf": {csrfTestToken}, "sku": {sku}, "copies": {copies}, "quantity": {quantity}, "email": {email}}
		req := httptest.NewRequest(http.MethodPost, "/checkout", bytes.NewReader([]byte(form.Encode())))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", httpx.CSRFCookie+"="+csrfTestToken)
		before := s.payments.creates.Load()
		resp, err := s.app.Handler().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusSeeOther:
			orders++
		case http.StatusBadRequest, http.StatusNotFound:
			if s.payments.creates.Load() != before {
				t.Fatal("rejected form reached the payment provider")
			}
		default:
			t.Fatalf("status %d for %q %q %q %q", resp.StatusCode, sku, copies, quantity, email)
		}
		if _, err := s.db.OrderByID(context.Background(), int64(orders+1)); store.ErrorCode(err) != store.ENOTFOUND {
			t.Fatalf("an order beyond the %d accepted ones exists: %v", orders, err)
		}
	})
}

// FuzzVendorNotice sends arbitrary bodies, correctly signed and not, to
// the vendor callback: no 500, and the waiting order never changes.
func FuzzVendorNotice(f *testing.F) {
	s := newTestShop(f, mustRule(f, "retail", "0.14", "0", "", "usd"))
	paid := s.buyAndPay(f, 1)
	f.Add([]byte(`{"tradeType":"N009","tradeData":{"channelOrderId":"E1","subOrderList":[]}}`), true)
	f.Add([]byte(`{"tradeType":"N002","tradeData":[{"iccid":"1","startTime":"2026-01-01 00:00:00"}]}`), true)
	f.Add([]byte(`{"tradeType":"N012","tradeData":{"subOrderList":[{"iccid":"1","profileStatus":"x"}]}}`), true)
	f.Add([]byte(`{"tradeType":"N006","tradeData":[{"skuId":"1","type":"3105","days":"-1"}]}`), true)
	f.Add([]byte(`{"tradeType":"N009"} trailing`), true)
	f.Add([]byte(`null`), false)
	f.Add([]byte{0xff, 0xfe}, true)
	f.Fuzz(func(t *testing.T, body []byte, signed bool) {
		req := httptest.NewRequest(http.MethodPost, "/webhooks/billionconnect", bytes.NewReader(body))
		if signed {
			req.Header.Set("x-sign-value", bc.Sign(testAppSecret, body))
		}
		resp, err := s.app.Handler().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		// 429: the address has failed too often this minute (see webhookLimiter).
		if resp.StatusCode >= 500 || (!signed && resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusTooManyRequests) {
			t.Fatalf("status %d (signed %v) for %q", resp.StatusCode, signed, body)
		}
		o, err := s.db.OrderByID(context.Background(), paid.ID)
		if err != nil || o.Status != store.StatusPaid || len(o.ESIMs) != 0 {
			t.Fatalf("order changed: %s, %d eSIMs, %v", o.Status, len(o.ESIMs), err)
		}
	})
}

// FuzzStripeWebhook sends arbitrary signed payloads to the Stripe webhook:
// no 500, and the pending order is never marked paid.
func FuzzStripeWebhook(f *testing.F) {
	s, o := newStripeShop(f)
	ref := strconv.FormatInt(o.ID, 10)
	f.Add(stripeEvent("evt_1", "checkout.session.completed", o, o.Total+1, "usd", "paid"))
	f.Add(stripeEvent("evt_2", "checkout.session.expired", o, o.Total, "usd", "unpaid"))
	f.Add([]byte(`{"id":"evt_3","object":"event","api_version":"2023-10-16","type":"checkout.session.completed","data":{"object":{"id":"cs_x","object":"checkout.session","client_reference_id":"` + ref + `"}}}`))
	f.Add([]byte(`{"id":"evt_4","api_version":"2023-10-16","type":"charge.refunded","data":{"object":{}}}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: testWebhookSecret})
		req := httptest.NewRequest(http.MethodPost, "/webhooks/stripe", bytes.NewReader(payload))
		req.Header.Set("Stripe-Signature", signed.Header)
		resp, err := s.app.Handler().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("status %d for %q", resp.StatusCode, payload)
		}
		if status, jobs := s.orderState(t, o.ID); status == store.StatusPaid || jobs != 0 {
			t.Fatalf("order became %s with %d jobs from %q", status, jobs, payload)
		}
	})
}
