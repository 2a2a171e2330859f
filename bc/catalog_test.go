package bc

import (
	"context"
	"reflect"
	"testing"
)

func TestCountriesDecode(t *testing.T) {
	c, _ := newVendor(t, success(`[{"continent":"Asia","mcc":"CN","name":"中国","url":"https://x/cn.png"},{"continent":"Europe","mcc":"FR","name":"France"}]`))
	got, err := c.Countries(context.Background(), "5")
	if err != nil {
		t.Fatal(err)
	}
	want := []Country{
		{Continent: "Asia", MCC: "CN", Name: "中国", URL: "https://x/cn.png"},
		{Continent: "Europe", MCC: "FR", Name: "France"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestSKUsDecode(t *testing.T) {
	tests := []struct {
		name string
		data string
		want SKU
	}{
		{
			name: "documented strings",
			data: `{"skuId":"1756107340691234","name":"Japan 1GB/day","desc":"d","type":"3105","days":"1","capacity":"","highFlowSize":"1048576","limitFlowSpeed":"128","planType":"1","hotspotSupport":"0","validityPeroid":"90","usageCount":"2","rechargeableProduct":"1","estimatedUseTimeFlag":"0","refundPolicy":"r","speedLimitRule":"s","provider":"p","applyToDevice":"a","country":[{"mcc":"JP","name":"Japan","apn":"plus","apnUsername":"u","apnPassword":"pw","apnType":"1","operatorInfo":[{"operator":"KDDI","network":"4G/5G","priority":"1"},{"operator":"Docomo","network":"4G","priority":"2"}]}]}`,
			want: SKU{
				SKUID: "1756107340691234", Name: "Japan 1GB/day", Desc: "d", Type: "3105", Days: 1, Capacity: 0,
				HighFlowSize: 1048576, LimitFlowSpeed: 128, PlanType: PlanTypeDaily, HotspotSupport: "0",
				ValidityPeriod: "90", UsageCount: 2, RechargeableProduct: 1, EstimatedUseTimeFlag: 0,
				RefundPolicy: "r", SpeedLimitRule: "s", Provider: "p", ApplyToDevice: "a",
				Country: []SKUCountry{{MCC: "JP", Name: "Japan", APN: "plus", APNUsername: "u", APNPassword: "pw", APNType: 1,
					OperatorInfo: []OperatorInfo{{Operator: "KDDI", Network: "4G/5G", Priority: 1}, {Operator: "Docomo", Network: "4G", Priority: 2}}}},
			},
		},
		{
			name: "numbers, nulls and the correct spelling",
			data: `{"skuId":1756,"type":3106,"days":7,"capacity":-1,"highFlowSize":null,"planType":0,"validityPeriod":"30","country":null}`,
			want: SKU{SKUID: "1756", Type: "3106", Days: 7, Capacity: -1, ValidityPeriod: "30"},
		},
		{
			name: "vendor spelling wins over correct one",
			data: `{"skuId":"1","validityPeroid":"90","validityPeriod":"30"}`,
			want: SKU{SKUID: "1", ValidityPeriod: "90"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newVendor(t, success(`[`+tt.data+`]`))
			got, rejected, err := c.SKUs(context.Background(), SKUQuery{SalesMethod: "5"})
			if err != nil || len(rejected) != 0 {
				t.Fatal(err, rejected)
			}
			if len(got) != 1 || !reflect.DeepEqual(withoutPresence(got)[0], tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestSKUOrderable(t *testing.T) {
	for typ, want := range map[String]bool{"3105": true, "3106": true, "230": false, "110": false, "": false} {
		if got := (SKU{Type: typ}).Orderable(); got != want {
			t.Errorf("type %q: Orderable = %v, want %v", typ, got, want)
		}
	}
}

func TestPricesDecode(t *testing.T) {
	c, _ := newVendor(t, success(`[{"skuId":"1756","price":[{"copies":"1","retailPrice":"6","settlementPrice":"4.5"},{"copies":5,"retailPrice":23.00,"settlementPrice":17.25}]},{"skuId":"1757","price":null}]`))
	got, rejected, err := c.Prices(context.Background(), "5")
	if err != nil || len(rejected) != 0 {
		t.Fatal(err, rejected)
	}
	want := []SKUPrice{
		{SKUID: "1756", Price: []PriceTier{
			{Copies: 1, RetailPrice: "6", SettlementPrice: "4.5"},
			{Copies: 5, RetailPrice: "23.00", SettlementPrice: "17.25"},
		}},
		{SKUID: "1757"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

// withoutPresence drops the decoded key sets so SKUs compare with literals.
func withoutPresence(skus []SKU) []SKU {
	out := make([]SKU, len(skus))
	for i, s := range skus {
		s.present = nil
		out[i] = s
	}
	return out
}
