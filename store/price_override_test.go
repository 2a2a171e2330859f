package store

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func TestPriceOverrides(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	mustReplace(t, db, catalogOf(product("A", "4.50"), product("B", "9")))
	steps := []struct {
		name    string
		o       PriceOverride
		wantErr string
	}{
		{"set", PriceOverride{SKUID: "A", Copies: 1, Amount: 1299, Currency: "USD"}, ""},
		{"tier not synced yet", PriceOverride{SKUID: "A", Copies: 3, Amount: 3000, Currency: "usd"}, ""},
		{"other sku", PriceOverride{SKUID: "B", Copies: 1, Amount: 999, Currency: "eur"}, ""},
		{"replace", PriceOverride{SKUID: "A", Copies: 1, Amount: 1399, Currency: "usd"}, ""},
		{"unknown sku", PriceOverride{SKUID: "Z", Copies: 1, Amount: 1, Currency: "usd"}, ENOTFOUND},
		{"zero amount", PriceOverride{SKUID: "A", Copies: 1, Amount: 0, Currency: "usd"}, EINVALID},
		{"negative amount", PriceOverride{SKUID: "A", Copies: 1, Amount: -5, Currency: "usd"}, EINVALID},
		{"zero copies", PriceOverride{SKUID: "A", Copies: 0, Amount: 5, Currency: "usd"}, EINVALID},
		{"bad currency", PriceOverride{SKUID: "A", Copies: 1, Amount: 5, Currency: "dollars"}, EINVALID},
		{"no sku", PriceOverride{Copies: 1, Amount: 5, Currency: "usd"}, EINVALID},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			err := db.SetPriceOverride(ctx, tt.o)
			if (tt.wantErr == "" && err != nil) || (tt.wantErr != "" && ErrorCode(err) != tt.wantErr) {
				t.Errorf("SetPriceOverride = %v, want %q", err, tt.wantErr)
			}
		})
		clk.set(clk.now().Add(time.Minute))
	}
	want := []PriceOverride{
		{SKUID: "A", Copies: 1, Amount: 1399, Currency: "usd", UpdatedAt: t0.Add(3 * time.Minute)},
		{SKUID: "A", Copies: 3, Amount: 3000, Currency: "usd", UpdatedAt: t0.Add(time.Minute)},
		{SKUID: "B", Copies: 1, Amount: 999, Currency: "eur", UpdatedAt: t0.Add(2 * time.Minute)},
	}
	if got, err := db.PriceOverrides(ctx); err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("PriceOverrides = %+v, %v\nwant %+v", got, err, want)
	}
	// Overrides survive a sync that drops tier 3 and replaces prices.
	mustReplace(t, db, catalogOf(product("A", "5"), product("B", "9")))
	for i := 0; i < 2; i++ { // clearing is idempotent
		if err := db.ClearPriceOverride(ctx, "A", 1); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := db.PriceOverrides(ctx); err != nil || !reflect.DeepEqual(got, want[1:]) {
		t.Errorf("after clear = %+v, %v; want %+v", got, err, want[1:])
	}
}
