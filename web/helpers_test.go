package web

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/bc/sandbox"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/shop"
)

// Obviously fake credentials for the sandbox.
const (
	testAppKey    = "test-channel"
	testAppSecret = "fake-secret-for-tests-only"
)

// testShop is an App wired to a real SQLite file and the vendor sandbox.
type testShop struct {
	app      *App
	db       *store.DB
	sandbox  *sandbox.Sandbox
	payments *countingProvider
	skew     *atomic.Int64 // moves the admin clock (sessions, sign-in limits)
	addr     string        // the loopback address the shop serves on
}

// newTestShop builds a shop on a fresh database and the default sandbox
// catalog, serving on a loopback port (the sandbox sends its notices
// there), and runs one catalog sync. Background work is not started.
func newTestShop(t testing.TB, rule billing.Rule, opts ...func(*Config)) *testShop {
	return newTestShopWith(t, rule, nil, opts...)
}

// newTestShopWith is newTestShop with changes to the sandbox's config.
func newTestShopWith(t testing.TB, rule billing.Rule, sbOpt func(*sandbox.Config), opts ...func(*Config)) *testShop {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sbCfg := sandbox.Config{
		AppKey: testAppKey, AppSecret: testAppSecret, SalesMethod: "5",
		CallbackURL: "http://" + ln.Addr().String() + "/webhooks/billionconnect",
		NoticeDelay: 20 * time.Millisecond, Seed: 7,
	}
	if sbOpt != nil {
		sbOpt(&sbCfg)
	}
	sb := sandbox.New(sbCfg)
	srv := httptest.NewServer(sb)
	client := bc.New(bc.Config{URL: srv.URL, AppKey: testAppKey, AppSecret: testAppSecret})
	payments := &countingProvider{Provider: billing.Demo{BaseURL: "https://shop.example"}}
	cfg := Config{
		BaseURL: "https://shop.example", SalesMethod: "5", Pricing: rule, Payments: payments,
		VendorSecret: testAppSecret, VendorAppKey: testAppKey,
		Jobs:   shop.JobConfig{BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Poll: 20 * time.Millisecond},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	skew := new(atomic.Int64)
	cfg.AdminClock = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	for _, o := range opts {
		o(&cfg)
	}
	app, err := New(cfg, db, client)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := app.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		sb.Close()
		srv.Close()
		db.Close()
	})
	if _, err := app.SyncCatalog(context.Background()); err != nil {
		t.Fatalf("sync: %v", err)
	}
	return &testShop{app: app, db: db, sandbox: sb, payments: payments, skew: skew, addr: ln.Addr().String()}
}

// mustRule parses a pricing rule or fails the test.
func mustRule(t testing.TB, basis, fx, markup, charm, currency string) billing.Rule {
	t.Helper()
	r, err := billing.ParseRule(basis, fx, markup, charm, currency)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// get performs a request against the app with optional headers.
func (s *testShop) get(t testing.TB, target string, headers ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := s.app.Handler().Test(req, -1)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// doc parses an HTML response.
func doc(t testing.TB, resp *http.Response) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// text is the whitespace-normalised text of a selection.
func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }
