package shop

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
)

// TestUsagePlans pins how F046's figures become the page's: sizes in KB,
// -1 unlimited (in totalTraffic or a daily highFlowSize), a daily plan's
// total from its allowance, fractional KB rounded down, negative days
// skipped, vendor times (UTC+8) to UTC.
func TestUsagePlans(t *testing.T) {
	tests := []struct {
		name string
		json string
		want store.UsagePlan
	}{
		{"total plan", `{"skuName":"Japan 1GB","planStatus":"1","planType":"0","totalDays":"7","totalTraffic":"1048576",
			"planStartTime":"2026-12-01 08:00:00","planEndTime":"2026-12-08 07:59:59",
			"usageInfoList":[{"useDate":"20261201","useageAmt":"1000.7"},{"useDate":"20261202","useageAmt":"24"},{"useDate":"x","useageAmt":"-5"}]}`,
			store.UsagePlan{Name: "Japan 1GB", Status: 1, Days: 7, TotalKB: 1048576, UsedKB: 1024, TodayKB: 24,
				Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 7, 23, 59, 59, 0, time.UTC)}},
		{"unlimited", `{"skuName":"U","planStatus":1,"planType":0,"totalDays":5,"totalTraffic":"-1","usageInfoList":[]}`,
			store.UsagePlan{Name: "U", Status: 1, Days: 5, TotalKB: -1}},
		{"daily", `{"skuName":"D","planStatus":"0","planType":"1","totalDays":"3","totalTraffic":"","highFlowSize":"512000"}`,
			store.UsagePlan{Name: "D", Days: 3, TotalKB: 3 * 512000, DailyKB: 512000}},
		{"daily unlimited", `{"skuName":"DU","planType":"1","totalDays":"3","highFlowSize":"-1"}`,
			store.UsagePlan{Name: "DU", Days: 3, TotalKB: -1, DailyKB: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l bc.PlanUsageLine
			if err := json.Unmarshal([]byte(tt.json), &l); err != nil {
				t.Fatal(err)
			}
			got := usagePlans(&bc.PlanUsage{SubOrderList: []bc.PlanUsageLine{l}})
			if len(got) != 1 || !got[0].Start.Equal(tt.want.Start) || !got[0].End.Equal(tt.want.End) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			got[0].Start, got[0].End = tt.want.Start, tt.want.End
			if got[0] != tt.want {
				t.Fatalf("got %+v, want %+v", got[0], tt.want)
			}
		})
	}
}
