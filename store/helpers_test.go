package store

import (
	"context"
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
