package store

import (
	"context"
	"reflect"
	"testing"
)

func TestSearchProducts(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	jp := product("JP-7", "4.50")
	jp.Name = "Japan 7 days"
	jpDaily := product("JP-D", "9")
	jpDaily.Name = "Japan daily 100%"
	jpDaily.Type = TypeESIMSelfSelected
	eu := product("EU-30", "20")
	eu.Name = "Europe 30 days"
	eu.Coverage = []Coverage{{CountryCode: "FR", APN: "a"}, {CountryCode: "DE", APN: "a"}, {CountryCode: "ES", APN: "a"}}
	eu.Tiers = append(eu.Tiers, PriceTier{Copies: 2, RetailPrice: "38", SettlementPrice: "30"})
	gone := product("OLD-1", "3")
	gone.Name = "Japan old"
	mustReplace(t, db, catalogOf(jp, jpDaily, eu, gone))
	mustReplace(t, db, catalogOf(jp, jpDaily, eu)) // OLD-1 becomes inactive
	if err := db.SetHidden(ctx, "JP-D", true); err != nil {
		t.Fatal(err)
	}
	yes, no := true, false
	tests := []struct {
		name  string
		f     ProductFilter
		want  []string
		total int
	}{
		{"all, by SKU", ProductFilter{}, []string{"EU-30", "JP-7", "JP-D", "OLD-1"}, 4},
		{"country", ProductFilter{Country: "jp"}, []string{"JP-7", "JP-D", "OLD-1"}, 3},
		{"region", ProductFilter{Region: "europe"}, []string{"EU-30"}, 1},
		{"type", ProductFilter{Type: TypeESIMSelfSelected}, []string{"JP-D"}, 1},
		{"active only", ProductFilter{Active: &yes}, []string{"EU-30", "JP-7", "JP-D"}, 3},
		{"inactive only", ProductFilter{Active: &no}, []string{"OLD-1"}, 1},
		{"hidden", ProductFilter{Hidden: &yes}, []string{"JP-D"}, 1},
		{"visible and active in JP", ProductFilter{Country: "JP", Active: &yes, Hidden: &no}, []string{"JP-7"}, 1},
		{"SKU prefix", ProductFilter{Q: "JP-"}, []string{"JP-7", "JP-D"}, 2},
		{"name substring, any case", ProductFilter{Q: "japan"}, []string{"JP-7", "JP-D", "OLD-1"}, 3},
		{"LIKE wildcard is literal", ProductFilter{Q: "100%"}, []string{"JP-D"}, 1},
		{"underscore is literal", ProductFilter{Q: "_"}, []string{}, 0},
		{"paging", ProductFilter{Limit: 2, Offset: 1}, []string{"JP-7", "JP-D"}, 4},
		{"past the end", ProductFilter{Offset: 10}, []string{}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := db.SearchProducts(ctx, tt.f)
			skus := []string{}
			for _, p := range got {
				skus = append(skus, p.SKUID)
			}
			if err != nil || total != tt.total || !reflect.DeepEqual(skus, tt.want) {
				t.Errorf("SearchProducts(%+v) = %v (total %d), %v; want %v (total %d)", tt.f, skus, total, err, tt.want, tt.total)
			}
		})
	}
	// Children come with each product, as Product returns them.
	got, _, err := db.SearchProducts(ctx, ProductFilter{Q: "EU-30"})
	want, perr := db.Product(ctx, "EU-30")
	if err != nil || perr != nil || len(got) != 1 || !reflect.DeepEqual(got[0], want) || len(got[0].Tiers) != 2 || len(got[0].Coverage) != 3 {
		t.Errorf("EU-30 = %+v, %v\nwant %+v, %v", got, err, want, perr)
	}
}
