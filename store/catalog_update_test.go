package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestUpdateProductsKeepsTiersAndFlags(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	a, b := product("A", "4.50"), product("B", "9")
	a.Tiers = append(a.Tiers, PriceTier{Copies: 3, RetailPrice: "12", SettlementPrice: "11.5"})
	mustReplace(t, db, catalogOf(a, b))
	if err := db.SetHidden(ctx, "A", true); err != nil {
		t.Fatal(err)
	}
	// B leaves the vendor catalog: inactive.
	mustReplace(t, db, catalogOf(a))
	before, _ := db.Product(ctx, "A")

	// N006: A now covers France and Germany too, with a new name; B changed
	// while inactive; C is unknown. No tiers, as in the notice.
	changedA := a
	changedA.Name, changedA.Description, changedA.Tiers = "Europe + Japan", "New text", nil
	changedA.Coverage = append([]Coverage{
		{CountryCode: "FR", APN: "fr.apn", Operators: []Operator{{Name: "Orange", Network: "5G", Priority: 2}, {Name: "SFR", Network: "4G", Priority: 1}}},
		{CountryCode: "DE", APN: "de.apn"},
	}, a.Coverage...)
	changedB := b
	changedB.Tiers, changedB.Days = nil, 30
	unknown := product("C", "1")
	unknown.Tiers = nil
	at := t0.Add(time.Hour)
	clk.set(at)
	n, err := db.UpdateProducts(ctx, []Product{changedA, changedB, unknown})
	if err != nil || n != 2 {
		t.Fatalf("UpdateProducts = %d, %v; want 2", n, err)
	}
	got, _ := db.Product(ctx, "A")
	if got.Name != "Europe + Japan" || got.Description != "New text" || !got.Hidden || !got.Active ||
		!reflect.DeepEqual(got.Tiers, before.Tiers) || !got.UpdatedAt.Equal(at) {
		t.Errorf("A after N006 = %+v", got)
	}
	if codes := coverageCodes(got); !reflect.DeepEqual(codes, []string{"DE", "FR", "JP"}) {
		t.Errorf("A coverage %v", codes)
	}
	if got.Coverage[1].Operators[0].Name != "SFR" {
		t.Errorf("operators not sorted by priority: %+v", got.Coverage[1].Operators)
	}
	if got.Region != RegionFor([]string{"DE", "FR", "JP"}) || got.Region == before.Region {
		t.Errorf("region %q not recomputed (was %q)", got.Region, before.Region)
	}
	if gb, _ := db.Product(ctx, "B"); gb.Active || gb.Days != 30 || len(gb.Tiers) != 1 {
		t.Errorf("B after N006 = %+v; want inactive, updated, tiers kept", gb)
	}
	if _, err := db.Product(ctx, "C"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown SKU was added: %v", err)
	}
	// The same notice again changes nothing.
	if n, err := db.UpdateProducts(ctx, []Product{changedA}); err != nil || n != 0 {
		t.Errorf("repeated UpdateProducts = %d, %v; want 0", n, err)
	}
	// The next full sync with A's new content and old prices sees no change.
	full := changedA
	full.Tiers = a.Tiers
	run := mustReplace(t, db, catalogOf(full))
	if run.PriceChanges != 0 || run.Added != 0 || run.Removed != 0 {
		t.Errorf("sync after N006 = %+v", run)
	}
	if after, _ := db.Product(ctx, "A"); !after.UpdatedAt.Equal(at) {
		t.Errorf("sync rewrote an unchanged product (updated %v)", after.UpdatedAt)
	}
}

func coverageCodes(p Product) []string {
	var out []string
	for _, c := range p.Coverage {
		out = append(out, c.CountryCode)
	}
	return out
}

func TestUpdateProductsRejectsInvalid(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	mustReplace(t, db, catalogOf(product("A", "1"), product("B", "2")))
	before, _ := db.ActiveProducts(ctx)
	with := func(sku string, f func(*Product)) Product {
		p := product(sku, "1")
		p.Tiers = nil
		f(&p)
		return p
	}
	ok := with("A", func(p *Product) { p.Name = "changed" })
	tests := []struct {
		name string
		ps   []Product
		want string
	}{
		{"empty SKU", []Product{ok, with("", func(*Product) {})}, "empty SKU"},
		{"duplicate SKU", []Product{ok, ok}, `"A" listed twice`},
		{"not an eSIM", []Product{ok, with("B", func(p *Product) { p.Type = 110 })}, "type 110"},
		{"bad coverage", []Product{ok, with("B", func(p *Product) { p.Coverage[0].CountryCode = "jp" })}, `"jp"`},
		{"zero days", []Product{ok, with("B", func(p *Product) { p.Days = 0 })}, "days 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := db.UpdateProducts(ctx, tt.ps)
			if n != 0 || ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Fatalf("UpdateProducts = %d, %v; want EINVALID containing %q", n, err, tt.want)
			}
			if after, _ := db.ActiveProducts(ctx); !reflect.DeepEqual(after, before) {
				t.Errorf("a rejected update changed the catalog")
			}
		})
	}
	// An invalid product the shop does not sell is ignored, not an error.
	if n, err := db.UpdateProducts(ctx, []Product{with("Z", func(p *Product) { p.Type = 110 })}); err != nil || n != 0 {
		t.Errorf("unknown invalid SKU: %d, %v; want 0, nil", n, err)
	}
	if n, err := db.UpdateProducts(ctx, nil); err != nil || n != 0 {
		t.Errorf("empty update: %d, %v", n, err)
	}
}
