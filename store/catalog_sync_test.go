package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fullProduct sets every Product field to a non-zero value and lists
// children out of order, to check both persistence and canonical ordering.
func fullProduct() Product {
	return Product{
		SKUID: "SKU-EU-30", Name: "Europe 30 days", Description: "Data in 3 countries",
		Type: TypeESIMSelfSelected, Days: 30, PlanType: PlanDaily, DataKB: 10 << 20, DailyKB: 1 << 20,
		SpeedAfterKbps: 384, HotspotRaw: "0", ValidityDays: 180, UsageCount: 2, Rechargeable: true,
		NeedsUseTime: true, RefundPolicy: "Refund before activation", SpeedLimitRule: "1GB/day then 384kbps",
		Provider: "Orange", ApplyToDevice: "eSIM phones", Region: "ignored: derived from coverage",
		Active: false, Hidden: true, UpdatedAt: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC),
		Coverage: []Coverage{
			{CountryCode: "IT", APN: "tim", Operators: []Operator{{Name: "WindTre", Network: "4G", Priority: 2}, {Name: "TIM", Network: "5G", Priority: 1}}},
			{CountryCode: "FR", APN: "orange", APNUsername: "user", APNPassword: "pass", APNManual: true,
				Operators: []Operator{{Name: "Orange", Network: "5G", Priority: 1}}},
			{CountryCode: "DE", APN: "web"},
		},
		Tiers: []PriceTier{
			{Copies: 3, RetailPrice: "60.00", SettlementPrice: "45.3"},
			{Copies: 1, RetailPrice: "25", SettlementPrice: "18.75"},
		},
	}
}

func TestReplaceCatalogRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	in := catalogOf(fullProduct())
	in.Countries = append(in.Countries, Country{Code: "FR", Continent: "欧洲", FlagURL: "https://flags.example/fr.png"})
	mustReplace(t, db, in)

	want := Product{
		SKUID: "SKU-EU-30", Name: "Europe 30 days", Description: "Data in 3 countries",
		Type: TypeESIMSelfSelected, Days: 30, PlanType: PlanDaily, DataKB: 10 << 20, DailyKB: 1 << 20,
		SpeedAfterKbps: 384, HotspotRaw: "0", ValidityDays: 180, UsageCount: 2, Rechargeable: true,
		NeedsUseTime: true, RefundPolicy: "Refund before activation", SpeedLimitRule: "1GB/day then 384kbps",
		Provider: "Orange", ApplyToDevice: "eSIM phones", Region: "europe",
		Active: true, Hidden: false, UpdatedAt: t0,
		Coverage: []Coverage{
			{CountryCode: "DE", APN: "web"},
			{CountryCode: "FR", APN: "orange", APNUsername: "user", APNPassword: "pass", APNManual: true,
				Operators: []Operator{{Name: "Orange", Network: "5G", Priority: 1}}},
			{CountryCode: "IT", APN: "tim", Operators: []Operator{{Name: "TIM", Network: "5G", Priority: 1}, {Name: "WindTre", Network: "4G", Priority: 2}}},
		},
		Tiers: []PriceTier{
			{Copies: 1, RetailPrice: "25", SettlementPrice: "18.75"},
			{Copies: 3, RetailPrice: "60.00", SettlementPrice: "45.3"},
		},
	}
	got, err := db.Product(ctx, "SKU-EU-30")
	if err != nil {
		t.Fatalf("Product: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Product round trip:\n got %+v\nwant %+v", got, want)
	}
	all, err := db.ActiveProducts(ctx)
	if err != nil {
		t.Fatalf("ActiveProducts: %v", err)
	}
	if len(all) != 1 || !reflect.DeepEqual(all[0], want) {
		t.Errorf("ActiveProducts:\n got %+v\nwant [%+v]", all, want)
	}
	countries, err := db.Countries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantCountries := []Country{
		{Code: "FR", Continent: "欧洲", FlagURL: "https://flags.example/fr.png"},
		{Code: "JP", Continent: "Asia", FlagURL: "https://flags.example/jp.png"},
	}
	if !reflect.DeepEqual(countries, wantCountries) {
		t.Errorf("Countries = %+v, want %+v", countries, wantCountries)
	}
	// The caller's catalog is not reordered or modified.
	if orig := fullProduct(); !reflect.DeepEqual(in.Products[0], orig) {
		t.Errorf("ReplaceCatalog modified its input:\n got %+v\nwant %+v", in.Products[0], orig)
	}
}

func TestReplaceCatalogCounts(t *testing.T) {
	renamed := product("B", "2")
	renamed.Name = "B renamed"
	moreTiers := product("B", "2")
	moreTiers.Tiers = append(moreTiers.Tiers, PriceTier{Copies: 2, RetailPrice: "3.5", SettlementPrice: "3"})

	type want struct{ products, added, removed, priceChanges int }
	steps := []struct {
		name    string
		catalog Catalog
		want    want
		active  []string
	}{
		{"first sync", catalogOf(product("A", "1"), product("B", "2"), product("C", "3")), want{3, 3, 0, 0}, []string{"A", "B", "C"}},
		{"unchanged", catalogOf(product("A", "1"), product("B", "2"), product("C", "3")), want{3, 0, 0, 0}, []string{"A", "B", "C"}},
		{"C gone, D new, A price up", catalogOf(product("A", "1.10"), product("B", "2"), product("D", "4")), want{3, 1, 1, 1}, []string{"A", "B", "D"}},
		{"same value, other spelling", catalogOf(product("A", "01.100"), product("B", "2.0"), product("D", "4")), want{3, 0, 0, 0}, []string{"A", "B", "D"}},
		{"text change is not a price change", catalogOf(product("A", "1.1"), renamed, product("D", "4")), want{3, 0, 0, 0}, []string{"A", "B", "D"}},
		{"new tier is a price change", catalogOf(product("A", "1.1"), moreTiers, product("D", "4")), want{3, 0, 0, 1}, []string{"A", "B", "D"}},
		{"C back unchanged, A and D gone", catalogOf(moreTiers, product("C", "3")), want{2, 1, 2, 0}, []string{"B", "C"}},
		{"A back with a new price", catalogOf(product("A", "9"), moreTiers, product("C", "3")), want{3, 1, 0, 1}, []string{"A", "B", "C"}},
	}
	ctx := context.Background()
	db, clk := openTestDB(t)
	for i, s := range steps {
		start := t0.Add(time.Duration(i) * time.Hour)
		clk.set(start.Add(1500 * time.Millisecond))
		run, err := db.ReplaceCatalog(ctx, s.catalog, start)
		if err != nil {
			t.Fatalf("step %q: %v", s.name, err)
		}
		got := want{run.Products, run.Added, run.Removed, run.PriceChanges}
		if got != s.want {
			t.Errorf("step %q: (products, added, removed, priceChanges) = %+v, want %+v", s.name, got, s.want)
		}
		if !run.OK || run.Error != "" || run.ID == 0 || run.Duration != 1500*time.Millisecond || !run.StartedAt.Equal(start) {
			t.Errorf("step %q: run = %+v", s.name, run)
		}
		last, err := db.LastSync(ctx)
		if err != nil || !reflect.DeepEqual(last, run) {
			t.Errorf("step %q: LastSync = %+v, %v; want %+v", s.name, last, err, run)
		}
		ps, err := db.ActiveProducts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var skus []string
		for _, p := range ps {
			skus = append(skus, p.SKUID)
		}
		if !reflect.DeepEqual(skus, s.active) {
			t.Errorf("step %q: active = %v, want %v", s.name, skus, s.active)
		}
		if n, err := db.CountActiveProducts(ctx); err != nil || n != len(s.active) {
			t.Errorf("step %q: CountActiveProducts = %d, %v", s.name, n, err)
		}
	}
	// Content written by the last steps is what is read back.
	b, err := db.Product(ctx, "B")
	if err != nil || b.Name != "Plan B" || len(b.Tiers) != 2 {
		t.Errorf("B = %+v, %v; want original name and two tiers", b, err)
	}
	a, err := db.Product(ctx, "A")
	if err != nil || a.Tiers[0].RetailPrice != "9" {
		t.Errorf("A = %+v, %v; want price 9", a, err)
	}
}

func TestRemovedProductStaysReadable(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	mustReplace(t, db, catalogOf(product("A", "1"), product("B", "2")))
	clk.set(t0.Add(time.Hour))
	mustReplace(t, db, catalogOf(product("A", "1")))

	b, err := db.Product(ctx, "B")
	if err != nil {
		t.Fatalf("Product(B): %v", err)
	}
	if b.Active || len(b.Tiers) != 1 || len(b.Coverage) != 1 || !b.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("removed product = %+v; want inactive with its tiers and coverage, updated at removal", b)
	}
	a, err := db.Product(ctx, "A")
	if err != nil || !a.UpdatedAt.Equal(t0) {
		t.Errorf("unchanged product A updated_at = %v, %v; want %v", a.UpdatedAt, err, t0)
	}
	if _, err := db.Product(ctx, "nope"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("Product(unknown) error = %v, want ENOTFOUND", err)
	}
}

func TestHiddenSurvivesSyncs(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	mustReplace(t, db, catalogOf(product("A", "1"), product("B", "2")))
	if err := db.SetHidden(ctx, "A", true); err != nil {
		t.Fatalf("SetHidden: %v", err)
	}
	if err := db.SetHidden(ctx, "missing", true); ErrorCode(err) != ENOTFOUND {
		t.Errorf("SetHidden(unknown) = %v, want ENOTFOUND", err)
	}
	changed := product("A", "5")
	changed.Name = "new name"
	for _, c := range []Catalog{
		catalogOf(product("A", "1"), product("B", "2")), // unchanged
		catalogOf(changed, product("B", "2")),           // rewritten
		catalogOf(product("B", "2")),                    // removed
		catalogOf(changed, product("B", "2")),           // back
	} {
		mustReplace(t, db, c)
		a, err := db.Product(ctx, "A")
		if err != nil || !a.Hidden {
			t.Fatalf("after sync A.Hidden = %v, %v; want true", a.Hidden, err)
		}
	}
	ps, err := db.ActiveProducts(ctx)
	if err != nil || len(ps) != 2 || !ps[0].Hidden || ps[1].Hidden {
		t.Errorf("ActiveProducts = %+v, %v; want hidden A and visible B", ps, err)
	}
	if err := db.SetHidden(ctx, "A", false); err != nil {
		t.Fatal(err)
	}
	if a, _ := db.Product(ctx, "A"); a.Hidden {
		t.Error("SetHidden(false) did not unhide")
	}
}

func TestReplaceCatalogRejectsInvalid(t *testing.T) {
	with := func(f func(*Product)) Product {
		p := product("X", "1")
		f(&p)
		return p
	}
	tests := []struct {
		name    string
		catalog Catalog
		want    string
	}{
		{"empty catalog", Catalog{Countries: catalogOf().Countries}, "no products"},
		{"empty SKU", catalogOf(product("A", "1"), product("", "1")), "empty SKU"},
		{"duplicate SKU", catalogOf(product("A", "1"), product("A", "2")), `"A" listed twice`},
		{"lower-case coverage", catalogOf(product("A", "1"), with(func(p *Product) { p.Coverage[0].CountryCode = "jp" })), `"jp"`},
		{"three-letter coverage", catalogOf(with(func(p *Product) { p.Coverage[0].CountryCode = "JPN" })), `"JPN"`},
		{"duplicate coverage", catalogOf(with(func(p *Product) { p.Coverage = append(p.Coverage, p.Coverage[0]) })), `"JP" listed twice`},
		{"bad country", Catalog{Countries: []Country{{Code: "J1"}}, Products: []Product{product("A", "1")}}, `"J1"`},
		{"duplicate country", Catalog{Countries: []Country{{Code: "JP"}, {Code: "JP"}}, Products: []Product{product("A", "1")}}, `"JP" listed twice`},
		{"no tiers", catalogOf(with(func(p *Product) { p.Tiers = nil })), "no price tiers"},
		{"zero copies", catalogOf(with(func(p *Product) { p.Tiers[0].Copies = 0 })), "copies 0"},
		{"duplicate copies", catalogOf(with(func(p *Product) { p.Tiers = append(p.Tiers, p.Tiers[0]) })), "1 copies listed twice"},
		{"empty retail price", catalogOf(with(func(p *Product) { p.Tiers[0].RetailPrice = "" })), "retail price"},
		{"empty settlement price", catalogOf(with(func(p *Product) { p.Tiers[0].SettlementPrice = "" })), "settlement price"},
		{"negative price", catalogOf(with(func(p *Product) { p.Tiers[0].RetailPrice = "-1" })), `"-1"`},
		{"float notation", catalogOf(with(func(p *Product) { p.Tiers[0].SettlementPrice = "1e3" })), `"1e3"`},
		{"trailing point", catalogOf(with(func(p *Product) { p.Tiers[0].SettlementPrice = "1." })), `"1."`},
		{"comma", catalogOf(with(func(p *Product) { p.Tiers[0].RetailPrice = "1,5" })), `"1,5"`},
		{"not an eSIM", catalogOf(with(func(p *Product) { p.Type = 110 })), "type 110"},
		{"unknown plan type", catalogOf(with(func(p *Product) { p.PlanType = 7 })), "plan type 7"},
		{"zero days", catalogOf(with(func(p *Product) { p.Days = 0 })), "days 0"},
		{"negative data", catalogOf(with(func(p *Product) { p.DataKB = -1 })), "negative"},
		{"bad product in the middle", catalogOf(product("A", "9"), with(func(p *Product) { p.Tiers[0].Copies = -2 }), product("B", "9")), "copies -2"},
	}
	ctx := context.Background()
	db, _ := openTestDB(t)
	mustReplace(t, db, catalogOf(product("A", "1"), product("C", "3")))
	before, err := db.ActiveProducts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	beforeCountries, _ := db.Countries(ctx)
	beforeRun, _ := db.LastSync(ctx)

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run, err := db.ReplaceCatalog(ctx, tt.catalog, t0)
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Fatalf("ReplaceCatalog error = %v, want EINVALID containing %q", err, tt.want)
			}
			if !reflect.DeepEqual(run, SyncRun{}) {
				t.Errorf("run = %+v, want zero on error", run)
			}
			after, err := db.ActiveProducts(ctx)
			if err != nil || !reflect.DeepEqual(after, before) {
				t.Errorf("catalog changed by a rejected sync:\n got %+v\nwant %+v", after, before)
			}
			if cs, _ := db.Countries(ctx); !reflect.DeepEqual(cs, beforeCountries) {
				t.Errorf("countries changed: %+v", cs)
			}
			if last, _ := db.LastSync(ctx); !reflect.DeepEqual(last, beforeRun) {
				t.Errorf("a rejected sync wrote a sync run: %+v", last)
			}
			for _, sku := range []string{"B", "X"} {
				if _, err := db.Product(ctx, sku); ErrorCode(err) != ENOTFOUND {
					t.Errorf("Product(%s) = %v, want ENOTFOUND", sku, err)
				}
			}
		})
	}
}

func TestReplaceCatalogCanceledContextWritesNothing(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	db, _ := openTestDB(t)
	cancel()
	if _, err := db.ReplaceCatalog(ctx, catalogOf(product("A", "1")), t0); err == nil {
		t.Fatal("ReplaceCatalog with a canceled context succeeded")
	}
	if n, err := db.CountActiveProducts(context.Background()); err != nil || n != 0 {
		t.Errorf("CountActiveProducts = %d, %v; want 0", n, err)
	}
}
