package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// TestBootDemo starts the whole binary's wiring on port 0 in demo mode and
// checks that the catalog arrives from the sandbox and pages are served.
func TestBootDemo(t *testing.T) {
	cfg, err := loadConfig("serve", []string{"-demo", "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "shop.db")},
		func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			m.Close()
		}
	})
	base := "http://" + m.Addr()
	deadline := time.Now().Add(20 * time.Second)
	for {
		body, status := fetch(t, base+"/destinations/jp")
		if status == http.StatusOK && strings.Contains(body, `href="/plans/`) {
			if !strings.Contains(strings.ToLower(body), "demo") {
				t.Error("demo banner missing")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("catalog not served within 20s: last status %d", status)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, path := range []string{"/", "/regions/europe", "/help/install", "/sitemap.xml", "/robots.txt", "/healthz"} {
		if _, status := fetch(t, base+path); status != http.StatusOK {
			t.Errorf("GET %s: %d", path, status)
		}
	}
	demoPurchase(t, base)
	closed = true
	if err := m.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if _, err := http.Get(base + "/"); err == nil {
		t.Error("still serving after Close")
	}
}

// demoPurchase buys a plan in the demo like a person would, and waits for
// the order page to turn from "being prepared" to the delivered eSIM.
func demoPurchase(t *testing.T, base string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	// Redirects are not followed: BASE_URL (localhost:8080) is not where
	// this test's shop listens, so they are followed by path instead.
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string) (*goquery.Document, *http.Response) {
		resp, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		d, err := goquery.NewDocumentFromReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return d, resp
	}
	d, _ := get(base + "/destinations/jp")
	plan, _ := d.Find(`a[href^="/plans/"]`).First().Attr("href")
	d, _ = get(base + plan)
	form := url.Values{"email": {"traveller@example.com"}, "quantity": {"1"}}
	d.Find(`form[action="/checkout#buy"] input`).Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		if v, ok := in.Attr("value"); ok && (name == "_csrf" || name == "sku" || (name == "copies" && form.Get("copies") == "")) {
			form.Set(name, v)
		}
	})
	resp, err := client.PostForm(base+"/checkout", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	payURL, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(payURL.Path, "/demo/pay/") {
		t.Fatalf("checkout answered %d → %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	d, _ = get(base + payURL.Path)
	action, _ := d.Find(`form[action$="/pay"]`).Attr("action")
	csrf, _ := d.Find(`form[action$="/pay"] input[name="_csrf"]`).Attr("value")
	resp, err = client.PostForm(base+action, url.Values{"_csrf": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	orderPath := strings.TrimSuffix(strings.Replace(action, "/demo/pay/", "/orders/", 1), "/pay")
	d, _ = get(base + orderPath)
	if d.Find("[data-status-url]").Length() == 0 {
		t.Error("order page does not poll for the eSIM")
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		d, _ = get(base + orderPath)
		if d.Find(`img[src*="/qr.png"]`).Length() > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the eSIM never appeared on the order page")
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// fetch GETs url and returns the body and status.
func fetch(t *testing.T, url string) (string, int) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode
}

// TestConfig checks settings validation: missing credentials without
// -demo, and bad values, are named in the error.
func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr []string // substrings of the error; nil means success
	}{
		{"demo needs nothing", []string{"-demo"}, nil, nil},
		{"no credentials", nil, nil, []string{"BC_APP_KEY", "BC_APP_SECRET", "-demo"}},
		{"half the credentials", nil, map[string]string{"BC_APP_KEY": "k"}, []string{"BC_APP_SECRET"}},
		{"credentials", nil, map[string]string{"BC_APP_KEY": "k", "BC_APP_SECRET": "not-a-real-secret", "STRIPE_SECRET_KEY": "sk_test_fake", "STRIPE_WEBHOOK_SECRET": "whsec_fake"}, nil},
		{"no stripe key", nil, map[string]string{"BC_APP_KEY": "k", "BC_APP_SECRET": "s"}, []string{"STRIPE_SECRET_KEY"}},
		{"stripe key without webhook secret", []string{"-demo"}, map[string]string{"STRIPE_SECRET_KEY": "sk_test_fake"}, []string{"STRIPE_WEBHOOK_SECRET"}},
		{"bad base url", []string{"-demo", "-base-url", "shop.example"}, nil, []string{"BASE_URL"}},
		{"bad interval", []string{"-demo"}, map[string]string{"CATALOG_SYNC_INTERVAL": "often"}, []string{"CATALOG_SYNC_INTERVAL"}},
		{"bad sales method", []string{"-demo"}, map[string]string{"BC_SALES_METHOD": "9"}, []string{"BC_SALES_METHOD"}},
		{"bad pricing", []string{"-demo"}, map[string]string{"PRICE_BASIS": "cost", "PRICE_FX_RATE": "-1", "STORE_CURRENCY": "xyz"}, []string{"PRICE_BASIS", "PRICE_FX_RATE", "STORE_CURRENCY"}},
		{"demo-skus without demo", []string{"-demo-skus", "10"}, map[string]string{"BC_APP_KEY": "k", "BC_APP_SECRET": "s"}, []string{"-demo-skus"}},
		{"stray argument", []string{"-demo", "extra"}, nil, []string{"extra"}},
		{"bad order time-out", []string{"-demo"}, map[string]string{"BC_ORDER_TIMEOUT": "5m"}, []string{"BC_ORDER_TIMEOUT"}},
		{"bad sync drop", []string{"-demo"}, map[string]string{"SYNC_MAX_DROP_PCT": "0"}, []string{"SYNC_MAX_DROP_PCT"}},
		{"bad order email", []string{"-demo"}, map[string]string{"BC_ORDER_EMAIL": "vendor"}, []string{"BC_ORDER_EMAIL"}},
		{"previous secret equals the current one", nil, map[string]string{"BC_APP_KEY": "k", "BC_APP_SECRET": "not-a-real-secret",
			"BC_APP_SECRET_PREVIOUS": "not-a-real-secret", "STRIPE_SECRET_KEY": "sk_test_fake", "STRIPE_WEBHOOK_SECRET": "whsec_fake"}, []string{"BC_APP_SECRET_PREVIOUS"}},
		{"tls domains", []string{"-demo"}, map[string]string{"TLS_DOMAINS": "Shop.example.com, www.shop.example.com", "ACME_EMAIL": "ops@shop.example.com"}, nil},
		{"tls with an https base url on one of them", []string{"-demo"}, map[string]string{"TLS_DOMAINS": "shop.example.com,www.shop.example.com", "BASE_URL": "https://www.shop.example.com"}, nil},
		{"tls base url on another host", []string{"-demo"}, map[string]string{"TLS_DOMAINS": "shop.example.com", "BASE_URL": "https://other.example.com"}, []string{"BASE_URL", "TLS_DOMAINS"}},
		{"tls base url plain http", []string{"-demo"}, map[string]string{"TLS_DOMAINS": "shop.example.com", "BASE_URL": "http://shop.example.com"}, []string{"must be https://"}},
		{"tls domain an ip", []string{"-demo"}, map[string]string{"TLS_DOMAINS": "203.0.113.5"}, []string{"TLS_DOMAINS", "IP address"}},
		{"tls domain with scheme", []string{"-demo"}, map[string]string{"TLS_DOMAINS": "https://shop.example.com"}, []string{"TLS_DOMAINS", "bare host name"}},
		{"tls bad email and ca", []string{"-demo"}, map[string]string{"TLS_DOMAINS": "shop.example.com", "ACME_EMAIL": "ops at shop", "ACME_CA": "http://ca.example/dir"}, []string{"ACME_EMAIL", "ACME_CA"}},
		{"tls bad listen address", []string{"-demo"}, map[string]string{"TLS_DOMAINS": "shop.example.com", "TLS_HTTPS_ADDR": "443"}, []string{"TLS_HTTPS_ADDR"}},
		{"acme settings without domains", []string{"-demo"}, map[string]string{"ACME_EMAIL": "ops@shop.example.com"}, []string{"ACME_EMAIL", "TLS_DOMAINS"}},
		{"rotation and vendor settings", []string{"-demo"}, map[string]string{"BC_APP_SECRET_PREVIOUS": "old-fake", "BC_ORDER_TIMEOUT": "45s",
			"SYNC_MAX_DROP_PCT": "30", "BC_ORDER_EMAIL": "buyer"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			_, err := loadConfig("serve", tt.args, func(k string) string { return tt.env[k] }, &stderr)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "not-a-real-secret") {
				t.Error("error leaks the secret")
			}
		})
	}
}

// TestSettingsReachTheApp checks that rate-limit and proxy settings from
// the environment take effect: per-client limits keyed on the trusted
// proxy's header.
func TestSettingsReachTheApp(t *testing.T) {
	m := startDemo(t, map[string]string{"CHECKOUT_RATE_LIMIT": "2", "TRUSTED_PROXY_HEADER": "X-Forwarded-For", "TRUSTED_PROXIES": "127.0.0.1"})
	post := func(ip string) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+m.Addr()+"/checkout", strings.NewReader("sku=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", ip)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	got := []int{post("10.0.0.1"), post("10.0.0.1"), post("10.0.0.1"), post("10.0.0.2")}
	want := []int{http.StatusForbidden, http.StatusForbidden, http.StatusTooManyRequests, http.StatusForbidden}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statuses %v, want %v", got, want)
		}
	}
}

// TestDemoBaseURL checks that a demo on another address links to itself,
// unless BASE_URL is given.
func TestDemoBaseURL(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-demo"}, nil, "http://localhost:8080"},
		{[]string{"-demo", "-addr", "127.0.0.1:8095"}, nil, "http://127.0.0.1:8095"},
		{[]string{"-demo", "-addr", ":9000"}, nil, "http://localhost:9000"},
		{[]string{"-demo", "-addr", ":9000", "-base-url", "https://shop.example/"}, nil, "https://shop.example"},
		{[]string{"-demo", "-addr", ":9000"}, map[string]string{"BASE_URL": "https://shop.example"}, "https://shop.example"},
	}
	for _, tt := range tests {
		cfg, err := loadConfig("serve", tt.args, func(k string) string { return tt.env[k] }, io.Discard)
		if err != nil || cfg.BaseURL != tt.want {
			t.Errorf("%v %v: BASE_URL %q (%v), want %q", tt.args, tt.env, cfg.BaseURL, err, tt.want)
		}
	}
}

// TestVendorSettings checks the defaults and parsing of the vendor
// settings: F040 time-out, sync guard and whose address F040 carries.
func TestVendorSettings(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		timeout   time.Duration
		drop      float64
		orderMail string // VendorOrderEmail
	}{
		{"defaults without mail", nil, 60 * time.Second, 0.5, ""},
		{"defaults with mail: the shop's address", map[string]string{"SMTP_URL": "smtp://mail.example:587", "MAIL_FROM": "Shop <hello@shop.example>"}, 60 * time.Second, 0.5, "hello@shop.example"},
		{"buyer chosen", map[string]string{"SMTP_URL": "smtp://mail.example:587", "MAIL_FROM": "hello@shop.example", "BC_ORDER_EMAIL": "buyer"}, 60 * time.Second, 0.5, ""},
		{"shop chosen without SMTP", map[string]string{"MAIL_FROM": "hello@shop.example", "BC_ORDER_EMAIL": "shop", "BC_ORDER_TIMEOUT": "45s", "SYNC_MAX_DROP_PCT": "100"}, 45 * time.Second, 1, "hello@shop.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := loadConfig("serve", []string{"-demo"}, func(k string) string { return tt.env[k] }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if c.BCOrderTimeout != tt.timeout || c.SyncMaxDrop != tt.drop || c.VendorOrderEmail != tt.orderMail {
				t.Errorf("timeout %v drop %v order email %q; want %v %v %q", c.BCOrderTimeout, c.SyncMaxDrop, c.VendorOrderEmail, tt.timeout, tt.drop, tt.orderMail)
			}
		})
	}
}
