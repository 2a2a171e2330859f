package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/bc/sandbox"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
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
}

// newTestShop builds a shop on a fresh database and the default sandbox
// catalog, and runs one catalog sync.
func newTestShop(t *testing.T, rule billing.Rule, opts ...func(*Config)) *testShop {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	sb := sandbox.New(sandbox.Config{AppKey: testAppKey, AppSecret: testAppSecret, SalesMethod: "5"})
	t.Cleanup(sb.Close)
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	client := bc.New(bc.Config{URL: srv.URL, AppKey: testAppKey, AppSecret: testAppSecret})
	payments := &countingProvider{Provider: billing.Demo{BaseURL: "https://shop.example"}}
	cfg := Config{
		BaseURL: "https://shop.example", SalesMethod: "5", Pricing: rule, Payments: payments,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, o := range opts {
		o(&cfg)
	}
	app, err := New(cfg, db, client)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.SyncCatalog(context.Background()); err != nil {
		t.Fatalf("sync: %v", err)
	}
	return &testShop{app: app, db: db, sandbox: sb, payments: payments}
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
func (s *testShop) get(t *testing.T, target string, headers ...string) *http.Response {
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
func doc(t *testing.T, resp *http.Response) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// text is the whitespace-normalised text of a selection.
func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }
