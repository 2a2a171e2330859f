package shop

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/bc/sandbox"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/catalog"
)

// Obviously fake credentials for the sandbox.
const (
	testAppKey    = "test-channel"
	testAppSecret = "fake-secret-for-tests-only"
)

// testCore is the core on a real SQLite file and the vendor sandbox, with
// the vendor's notices delivered by a plain net/http handler: no Fiber,
// as the core promises.
type testCore struct {
	shop    *Shop
	db      *store.DB
	sandbox *sandbox.Sandbox
}

// newTestCore builds and syncs the core; with start, its workers run until
// the test ends (without, the test runs jobs itself). opts change its Deps.
func newTestCore(t *testing.T, start bool, opts ...func(*Deps)) *testCore {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	rule, err := billing.ParseRule("retail", "0.14", "0", "", "usd")
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cat, err := catalog.Open(context.Background(), db, rule, log)
	if err != nil {
		t.Fatal(err)
	}
	var core *Shop
	callback := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		reply := core.VendorNotice(r.Context(), Notice{Body: body, Signature: r.Header.Get("x-sign-value"), Headers: "{}"})
		w.WriteHeader(reply.Status)
		_, _ = w.Write(reply.Body)
	}))
	sb := sandbox.New(sandbox.Config{
		AppKey: testAppKey, AppSecret: testAppSecret, SalesMethod: "5",
		CallbackURL: callback.URL, NoticeDelay: 20 * time.Millisecond, Seed: 7,
	})
	vendor := httptest.NewServer(sb)
	deps := Deps{
		DB: db, Catalog: cat, Log: log, Payments: billing.Demo{BaseURL: "https://shop.example"},
		Vendor:  bc.New(bc.Config{URL: vendor.URL, AppKey: testAppKey, AppSecret: testAppSecret}),
		BaseURL: "https://shop.example", VendorSecret: testAppSecret, SalesMethod: "5",
		Jobs: JobConfig{BaseDelay: 10 * time.Millisecond, MaxDelay: 50 * time.Millisecond, Poll: 20 * time.Millisecond},
	}
	for _, o := range opts {
		o(&deps)
	}
	core, err = New(deps)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := core.SyncCatalog(context.Background()); err != nil {
		t.Fatal(err)
	}
	if start {
		core.Start()
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := core.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
		sb.Close()
		vendor.Close()
		callback.Close()
		db.Close()
	})
	return &testCore{shop: core, db: db, sandbox: sb}
}

// checkout starts a checkout for the first sellable plan.
func (tc *testCore) checkout(t *testing.T, quantity int) store.Order {
	t.Helper()
	snap := tc.shop.Catalog.Snapshot()
	p := snap.Plan(snap.SKUs()[0])
	url, err := tc.shop.StartCheckout(context.Background(), Checkout{Lang: "en", Plan: p, Tier: p.Cheapest(), Quantity: quantity, Email: "traveller@example.com"})
	if err != nil || url == "" {
		t.Fatalf("StartCheckout = %q, %v", url, err)
	}
	rows, _, err := tc.db.SearchOrders(context.Background(), store.OrderFilter{Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("no order stored (err %v)", err)
	}
	o, err := tc.db.OrderByNumber(context.Background(), rows[0].Number)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// waitStatus waits until the order reaches want, failing after 15s.
func (tc *testCore) waitStatus(t *testing.T, id int64, want store.OrderStatus) store.Order {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		o, err := tc.db.OrderByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Status == want {
			return o
		}
		if time.Now().After(deadline) {
			t.Fatalf("order %s is %s, never became %s", o.Number, o.Status, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOrderLifeWithoutHTTP runs the whole sale through the core's own
// functions: checkout, payment (twice: exactly once paid), placement by
// the job workers, the vendor's N009 through VendorNotice, and the
// delivery email — with the server-computed amount, one vendor order and
// one mail.
func TestOrderLifeWithoutHTTP(t *testing.T) {
	tc := newTestCore(t, true)
	o := tc.checkout(t, 2)
	if o.Status != store.StatusPendingPayment || o.Total != 2*o.Lines[0].UnitAmount {
		t.Fatalf("new order %s total %d, unit %d", o.Status, o.Total, o.Lines[0].UnitAmount)
	}
	for range 2 {
		if err := tc.shop.PayDemo(context.Background(), o); err != nil {
			t.Fatal(err)
		}
	}
	d := tc.waitStatus(t, o.ID, store.StatusDelivered)
	if len(d.ESIMs) != 2 || d.VendorOrderID == "" {
		t.Fatalf("delivered with %d eSIMs, vendor order %q", len(d.ESIMs), d.VendorOrderID)
	}
	if n := tc.sandbox.Calls("F040"); n != 1 {
		t.Errorf("%d F040 calls, want 1", n)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mails, err := tc.db.MailsForOrder(context.Background(), o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(mails) == 1 && mails[0].Status == store.MailLogged {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("mails %+v, want one logged delivery mail", mails)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestVendorNoticeReplies checks the core's answers to notices it cannot
// use: each is stored with its verdict and changes no order.
func TestVendorNoticeReplies(t *testing.T) {
	tc := newTestCore(t, true)
	o := tc.checkout(t, 1)
	signed := func(body string) Notice {
		return Notice{Body: []byte(body), Signature: bc.Sign(testAppSecret, []byte(body)), Headers: "{}"}
	}
	tests := []struct {
		name    string
		notice  Notice
		status  int
		verdict string
	}{
		{"unsigned", Notice{Body: []byte(`{"tradeType":"N009"}`)}, http.StatusUnauthorized, store.VerdictRejected},
		{"signed with another secret", Notice{Body: []byte(`{"tradeType":"N009"}`), Signature: bc.Sign("another-fake-secret", []byte(`{"tradeType":"N009"}`))}, http.StatusUnauthorized, store.VerdictRejected},
		{"not JSON", signed(`tradeType=N009`), http.StatusBadRequest, store.VerdictMalformed},
		{"trailing data", signed(`{"tradeType":"N010","tradeData":{}} {}`), http.StatusBadRequest, store.VerdictMalformed},
		{"unknown type", signed(`{"tradeType":"N099","tradeTime":"2026-12-01 10:00:00","tradeData":{}}`), http.StatusOK, store.VerdictIgnored},
		{"N010 for no order of ours", signed(`{"tradeType":"N010","tradeTime":"2026-12-01 10:00:00","tradeData":{"channelOrderId":"E999999-ZZZZ"}}`), http.StatusOK, store.VerdictUnmatched},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tc.shop.VendorNotice(context.Background(), tt.notice)
			if r.Status != tt.status || !r.JSON {
				t.Fatalf("reply %d %s, want %d JSON", r.Status, r.Body, tt.status)
			}
			list, err := tc.db.RecentVendorNotices(context.Background(), 1)
			if err != nil || len(list) != 1 || list[0].Verdict != tt.verdict {
				t.Fatalf("stored %+v (err %v), want verdict %s", list, err, tt.verdict)
			}
		})
	}
	if got, err := tc.db.OrderByID(context.Background(), o.ID); err != nil || got.Status != store.StatusPendingPayment {
		t.Errorf("order became %s (err %v)", got.Status, err)
	}
}
