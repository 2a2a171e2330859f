package catalog

import (
	"slices"
	"testing"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// TestUnlimitedPlans checks that unlimited plans have no price per GB,
// keep a price per day when daily, and sort before capped plans by data.
func TestUnlimitedPlans(t *testing.T) {
	usd := func(a int64) billing.Money { return billing.Money{Amount: a, Currency: "usd"} }
	mk := func(sku string, pt store.PlanType, unlimited bool, dataKB int64, amount int64, days int) *Plan {
		return &Plan{
			Product: store.Product{SKUID: sku, PlanType: pt, Unlimited: unlimited, DataKB: dataKB},
			Priced:  []Tier{{Copies: 1, Days: days, DataKB: dataKB, Price: usd(amount)}},
		}
	}
	tests := []struct {
		name   string
		plan   *Plan
		wantOK bool
		want   int64
	}{
		{"unlimited total: no price per GB", mk("UT", store.PlanTotal, true, 0, 2000, 7), false, 0},
		{"unlimited daily: price per day", mk("UD", store.PlanDaily, true, 0, 700, 7), true, 100},
		{"capped total: price per GB", mk("CT", store.PlanTotal, false, 2*KBPerGB, 1000, 7), true, 500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.plan.PerUnit(tt.plan.Cheapest())
			if ok != tt.wantOK || (ok && got.Amount != tt.want) {
				t.Errorf("PerUnit = %v, %v; want %d, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
	ps := []*Plan{mk("BIG", store.PlanTotal, false, 50*KBPerGB, 100, 30), mk("UNL", store.PlanTotal, true, 0, 5000, 7), mk("SMALL", store.PlanTotal, false, KBPerGB, 50, 7)}
	SortPlans(ps, SortData)
	var got []string
	for _, p := range ps {
		got = append(got, p.SKUID)
	}
	if want := []string{"UNL", "BIG", "SMALL"}; !slices.Equal(got, want) {
		t.Errorf("by data: %v, want %v", got, want)
	}
	SortPlans(ps, SortPrice)
	if ps[0].SKUID != "SMALL" || ps[2].SKUID != "UNL" {
		t.Errorf("by price the unlimited plan sorts by its price: %v", []string{ps[0].SKUID, ps[1].SKUID, ps[2].SKUID})
	}
}
