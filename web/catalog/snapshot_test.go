package catalog

import (
	"io"
	"log/slog"
	"slices"
	"testing"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// product is a sellable test product covering countries.
func product(sku string, days int, gb int64, tiers []store.PriceTier, countries ...string) store.Product {
	p := store.Product{SKUID: sku, Days: days, DataKB: gb * KBPerGB, PlanType: store.PlanTotal, Active: true, Tiers: tiers}
	for _, c := range countries {
		p.Coverage = append(p.Coverage, store.Coverage{CountryCode: c, Operators: []store.Operator{{Name: "Op", Network: "4G/5G"}}})
	}
	if len(countries) > 1 {
		p.Region = "europe"
	}
	return p
}

// tier is one F003 tier: copies, retail and settlement prices.
func tier(copies int, retail, settlement string) store.PriceTier {
	return store.PriceTier{Copies: copies, RetailPrice: retail, SettlementPrice: settlement}
}

// TestBuild checks what a snapshot sells and at what price: the rule's
// price, an override in the rule's currency and at or above cost, never a
// tier below cost, never a hidden or inactive product, cheapest first.
func TestBuild(t *testing.T) {
	rule, err := billing.ParseRule("retail", "1", "0", "", "usd")
	if err != nil {
		t.Fatal(err)
	}
	hidden := product("HIDDEN", 7, 1, []store.PriceTier{tier(1, "5", "1")}, "JP")
	hidden.Hidden = true
	gone := product("GONE", 7, 1, []store.PriceTier{tier(1, "5", "1")}, "JP")
	gone.Active = false
	products := []store.Product{
		product("JP-DEAR", 7, 3, []store.PriceTier{tier(1, "9.00", "4.00"), tier(2, "3.00", "4.00")}, "JP"),
		product("JP-CHEAP", 7, 1, []store.PriceTier{tier(1, "4.50", "2.00"), tier(3, "12.00", "6.00")}, "JP"),
		product("EU", 10, 5, []store.PriceTier{tier(1, "20.00", "10.00")}, "FR", "JP"),
		product("BELOW", 7, 1, []store.PriceTier{tier(1, "1.00", "4.00")}, "TH"),
		hidden, gone,
	}
	overrides := Overrides{
		"JP-CHEAP": {3: {Amount: 1100, Currency: "usd"}},
		"EU":       {1: {Amount: 500, Currency: "usd"}}, // below the 10.00 cost: not applied
		"JP-DEAR":  {1: {Amount: 100, Currency: "eur"}}, // another currency: ignored
	}
	s := Build(products, rule, overrides, []string{"FR"}, slog.New(slog.NewTextHandler(io.Discard, nil)))

	if got, want := s.SKUs(), []string{"EU", "JP-CHEAP", "JP-DEAR"}; !slices.Equal(got, want) {
		t.Errorf("SKUs %v, want %v (hidden, inactive and unsellable left out)", got, want)
	}
	prices := []struct {
		sku    string
		copies int
		want   int64
		sold   bool
	}{
		{"JP-DEAR", 1, 900, true},
		{"JP-DEAR", 2, 0, false}, // 3.00 retail is below the 4.00 cost
		{"JP-CHEAP", 1, 450, true},
		{"JP-CHEAP", 3, 1100, true}, // the override
		{"EU", 1, 2000, true},       // the override below cost is not applied
	}
	for _, p := range prices {
		tr, ok := s.Plan(p.sku).Tier(p.copies)
		if ok != p.sold || ok && tr.Price.Amount != p.want {
			t.Errorf("%s ×%d: %v sold %v, want %d sold %v", p.sku, p.copies, tr.Price, ok, p.want, p.sold)
		}
	}
	local, multi, ok := s.Country("JP")
	if !ok || len(local) != 2 || local[0].SKUID != "JP-CHEAP" || len(multi) != 1 || multi[0].SKUID != "EU" {
		t.Errorf("JP: local %v multi %v", local, multi)
	}
	if _, _, ok := s.Country("TH"); ok {
		t.Error("TH has no sellable plan but is listed")
	}
	if got := s.Region("europe"); len(got) != 1 || got[0].Scope != ScopeRegional || got[0].Network != "5G" {
		t.Errorf("europe: %+v", got)
	}
	if !slices.Equal(s.Featured(), []string{"FR"}) || !slices.Equal(s.Countries(), []string{"FR", "JP"}) {
		t.Errorf("featured %v, countries %v", s.Featured(), s.Countries())
	}
	if pu, ok := s.Plan("JP-DEAR").PerUnit(s.Plan("JP-DEAR").Cheapest()); !ok || pu.Amount != 300 {
		t.Errorf("price per GB %v %v, want 3.00", pu, ok)
	}
}

// TestSortPlans orders by price, data or days, ties broken by price and SKU.
func TestSortPlans(t *testing.T) {
	mk := func(sku string, amount int64, days int, dataKB int64) *Plan {
		return &Plan{Product: store.Product{SKUID: sku, PlanType: store.PlanTotal}, Priced: []Tier{{Copies: 1, Days: days, DataKB: dataKB, Price: billing.Money{Amount: amount, Currency: "usd"}}}}
	}
	plans := []*Plan{mk("B", 500, 7, 1), mk("A", 500, 30, 3), mk("C", 100, 7, 2)}
	tests := []struct {
		by   string
		want []string
	}{
		{SortPrice, []string{"C", "A", "B"}},
		{SortDays, []string{"A", "C", "B"}},
		{SortData, []string{"A", "C", "B"}},
	}
	for _, tt := range tests {
		ps := slices.Clone(plans)
		SortPlans(ps, tt.by)
		var got []string
		for _, p := range ps {
			got = append(got, p.SKUID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("by %s: %v, want %v", tt.by, got, tt.want)
		}
	}
}

// TestMemo builds a derived value once per snapshot.
func TestMemo(t *testing.T) {
	s := &Snapshot{}
	n := 0
	for range 3 {
		if v := s.Memo("k", func() any { n++; return n }); v != 1 {
			t.Fatalf("memo %v, want 1", v)
		}
	}
}
