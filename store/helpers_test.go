package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"
)

// testClock is a settable clock for DB.now, safe for concurrent use.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// t0 is an arbitrary fixed instant the tests start from.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)

// openTestDB opens a fresh database file in t.TempDir() with a fake clock
// set to t0, closed when the test ends.
func openTestDB(t testing.TB) (*DB, *testClock) {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	clk := &testClock{t: t0}
	db.now = clk.now
	return db, clk
}

// product returns a minimal valid single-country product with one tier.
func product(sku, price string) Product {
	return Product{
		SKUID: sku, Name: "Plan " + sku, Type: TypeESIMFixed, Days: 7, PlanType: PlanTotal, DataKB: 1 << 20,
		Coverage: []Coverage{{CountryCode: "JP", APN: "internet", Operators: []Operator{{Name: "Docomo", Network: "5G", Priority: 1}}}},
		Tiers:    []PriceTier{{Copies: 1, RetailPrice: price, SettlementPrice: price}},
	}
}

// catalogOf builds a catalog of products with one country.
func catalogOf(ps ...Product) Catalog {
	return Catalog{Countries: []Country{{Code: "JP", Continent: "Asia", FlagURL: "https://flags.example/jp.png"}}, Products: ps}
}

// mustReplace runs ReplaceCatalog and fails the test on error.
func mustReplace(t testing.TB, db *DB, c Catalog) SyncRun {
	t.Helper()
	run, err := db.ReplaceCatalog(context.Background(), c, t0)
	if err != nil {
		t.Fatalf("ReplaceCatalog: %v", err)
	}
	return run
}

// largeCatalog generates a realistic worst-case catalog: n SKUs with five
// tiers each; 80% single-country, 15% regional (30 European countries), 5% global
// (150 countries); two operators per country. version shifts prices so two
// versions differ in every tier.
func largeCatalog(n, version int) Catalog {
	codes := make([]string, 0, 250)
	for code := range regionByCode {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	europe := RegionCountries("europe")
	var c Catalog
	for _, code := range codes {
		c.Countries = append(c.Countries, Country{Code: code, Continent: RegionOf(code), FlagURL: "https://flags.example/" + code + ".png"})
	}
	for i := 0; i < n; i++ {
		width := 1
		switch {
		case i%20 == 0:
			width = 150
		case i%20 < 4:
			width = 30
		}
		p := Product{
			SKUID: fmt.Sprintf("SKU%06d", i), Name: fmt.Sprintf("Plan %d", i), Description: "Fast data in many places.",
			Type: TypeESIMSelfSelected, Days: 1 + i%30, PlanType: PlanType(i % 2), DataKB: int64(i%10+1) << 20,
			DailyKB: 512 << 10, SpeedAfterKbps: 128, HotspotRaw: "1", ValidityDays: 180, UsageCount: 1,
			RefundPolicy: "No refunds once installed.", SpeedLimitRule: "Fair use", Provider: "BC", ApplyToDevice: "iPhone XS or newer",
		}
		pool := codes
		if width == 30 {
			pool = europe // a real regional plan stays in its region
		}
		for j := 0; j < width; j++ {
			code := pool[(i+j)%len(pool)]
			p.Coverage = append(p.Coverage, Coverage{CountryCode: code, APN: "bc.apn", Operators: []Operator{
				{Name: "Op A " + code, Network: "5G", Priority: 1}, {Name: "Op B " + code, Network: "4G", Priority: 2}}})
		}
		for k := 1; k <= 5; k++ {
			price := fmt.Sprintf("%d.%02d", 3*k+i%40+version, (i*7+k)%100)
			p.Tiers = append(p.Tiers, PriceTier{Copies: k, RetailPrice: price, SettlementPrice: price})
		}
		c.Products = append(c.Products, p)
	}
	return c
}

// orderFixture opens a database with products "A" and "B" and returns it
// with a valid order input for them.
func orderFixture(t *testing.T) (*DB, *testClock, NewOrder) {
	t.Helper()
	db, clk := openTestDB(t)
	mustReplace(t, db, catalogOf(product("A", "4.50"), product("B", "9")))
	return db, clk, validNewOrder()
}

// validNewOrder is a two-line order for products "A" and "B" totalling 2 × 1499 + 500.
func validNewOrder() NewOrder {
	return NewOrder{
		Email: "buyer@example.com", Lang: "en", Currency: "USD", Provider: ProviderStripe,
		Lines: []OrderLine{
			{SKUID: "A", Title: "Japan 7 days 1 GB", Copies: 1, Quantity: 2, Days: 7, DataKB: 1 << 20, UnitAmount: 1499, Settlement: "4.50"},
			{SKUID: "B", Title: "Japan 14 days daily", Copies: 2, Quantity: 1, Days: 14, DailyKB: 512 << 10, UnitAmount: 500, Amount: 500, Settlement: "9"},
		},
	}
}

const fixtureTotal = 2*1499 + 500

// mustCreate creates an order and fails the test on error.
func mustCreate(t testing.TB, db *DB, o NewOrder) Order {
	t.Helper()
	order, err := db.CreateOrder(context.Background(), o)
	if err != nil {
		t.Fatalf("CreateOrder: %v", err)
	}
	return order
}

func mustSetRef(t *testing.T, db *DB, id int64, ref string) {
	t.Helper()
	if err := db.SetPaymentRef(context.Background(), id, ref); err != nil {
		t.Fatalf("SetPaymentRef: %v", err)
	}
}

// mustPay marks order id paid with a matching payment of the validNewOrder total.
func mustPay(t *testing.T, db *DB, id int64, ref string) {
	t.Helper()
	changed, err := db.MarkPaid(context.Background(), Payment{Provider: ProviderStripe, Ref: ref, Amount: 2*1499 + 500, Currency: "usd", OrderID: id}, "test payment")
	if err != nil || !changed {
		t.Fatalf("MarkPaid = %v, %v; want changed", changed, err)
	}
}

// pendingOrder creates a validNewOrder order with payment ref cs_1.
func pendingOrder(t *testing.T) (*DB, Order) {
	t.Helper()
	db, _, in := orderFixture(t)
	o := mustCreate(t, db, in)
	mustSetRef(t, db, o.ID, "cs_1")
	return db, o
}

// goodPayment is a payment that matches a validNewOrder order with ref cs_1.
func goodPayment(id int64) Payment {
	return Payment{Provider: ProviderStripe, Ref: "cs_1", Amount: fixtureTotal, Currency: "USD", OrderID: id}
}

// statusOf reloads an order's status.
func statusOf(t *testing.T, db *DB, id int64) Order {
	t.Helper()
	o, err := db.OrderByID(context.Background(), id)
	if err != nil {
		t.Fatalf("OrderByID: %v", err)
	}
	return o
}

// setStatus forces an order's stored status, to set up a test.
func setStatus(t *testing.T, db *DB, id int64, s OrderStatus) {
	t.Helper()
	if _, err := db.writer.Exec(`UPDATE orders SET status = ? WHERE id = ?`, s, id); err != nil {
		t.Fatal(err)
	}
}

// mustTransition runs transition in its own transaction.
func mustTransition(t *testing.T, db *DB, o *Order, to OrderStatus) {
	t.Helper()
	if err := db.withTx(context.Background(), func(tx *sql.Tx) error {
		return db.transition(context.Background(), tx, o, to, "test")
	}); err != nil {
		t.Fatalf("transition to %s: %v", to, err)
	}
}

func mustEvents(t *testing.T, db *DB, id int64) []OrderEvent {
	t.Helper()
	evs, err := db.OrderEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// countEventsTo counts an order's events that ended in status to.
func countEventsTo(t *testing.T, db *DB, id int64, to OrderStatus) int {
	t.Helper()
	evs, err := db.OrderEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.To == to {
			n++
		}
	}
	return n
}

// paidOrder returns a database with one paid validNewOrder order (lines
// "…-1" with quantity 2 and "…-2" with quantity 1) and its queued
// place_order job, due at t0.
func paidOrder(t *testing.T) (*DB, *testClock, Order) {
	t.Helper()
	db, clk, in := orderFixture(t)
	o := mustCreate(t, db, in)
	mustSetRef(t, db, o.ID, "cs_1")
	mustPay(t, db, o.ID, "cs_1")
	return db, clk, statusOf(t, db, o.ID)
}

// newPaidOrder adds another paid validNewOrder order to db.
func newPaidOrder(t *testing.T, db *DB, ref string) Order {
	t.Helper()
	o := mustCreate(t, db, validNewOrder())
	mustSetRef(t, db, o.ID, ref)
	mustPay(t, db, o.ID, ref)
	return statusOf(t, db, o.ID)
}

// esimFor is a delivered eSIM for the line with number line.
func esimFor(line, iccid string) ESIM {
	return ESIM{
		LineNumber: line, VendorSubOrderID: "SUB-" + line, UID: "uid-" + iccid, ICCID: iccid,
		LPA: "LPA:1$smdp.example.com$AC" + iccid, SMDP: "smdp.example.com", ActivationCode: "AC" + iccid,
		APN: "bc.apn", PIN: "1234", PUK: "12345678", MSISDN: "", InstallBy: t0.Add(30 * 24 * time.Hour),
		Rechargeable: true,
	}
}

// fullDelivery is every eSIM validNewOrder's order o needs: two for line 1
// and one for line 2.
func fullDelivery(o Order) []ESIM {
	return []ESIM{
		esimFor(o.Lines[0].Number, "8985200000000000001"),
		esimFor(o.Lines[0].Number, "8985200000000000002"),
		esimFor(o.Lines[1].Number, "8985200000000000003"),
	}
}

// mustPlacing moves a paid order to placing.
func mustPlacing(t *testing.T, db *DB, id int64) {
	t.Helper()
	if _, err := db.MarkPlacing(context.Background(), id, "worker"); err != nil {
		t.Fatalf("MarkPlacing: %v", err)
	}
}

// countJobsOf counts jobs of kind for one order.
func countJobsOf(t *testing.T, db *DB, kind string, orderID int64) int {
	t.Helper()
	jobs, err := db.Jobs(context.Background(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, j := range jobs {
		if j.Kind == kind {
			n++
		}
	}
	return n
}

// notes returns the causes of an order's status-less events.
func notes(t *testing.T, db *DB, id int64) []string {
	t.Helper()
	var out []string
	for _, e := range mustEvents(t, db, id) {
		if e.From == e.To {
			out = append(out, e.Cause)
		}
	}
	return out
}
