package bc

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

// TestLiveVariants feeds the client every variant that section 5 of the
// protocol reference ("What the live API does") lists, over HTTP.
func TestLiveVariants(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		reply string // the whole answer
		check func(t *testing.T, c *Client)
	}{
		{"unlimited -1 in capacity, highFlowSize and limitFlowSpeed",
			`{"tradeCode":"1000","tradeMsg":"成功","tradeData":[{"skuId":"U1","type":"3106","days":"7","planType":"1","capacity":"-1","highFlowSize":"-1","limitFlowSpeed":"-1"}]}`,
			func(t *testing.T, c *Client) {
				skus := mustSKUs(t, c, 1, 0)
				if s := skus[0]; s.Capacity != Unlimited || s.HighFlowSize != Unlimited || s.LimitFlowSpeed != Unlimited {
					t.Errorf("sizes = %d %d %d, want -1 each", s.Capacity, s.HighFlowSize, s.LimitFlowSpeed)
				}
			}},
		{"total plan with its amount in highFlowSize, -1 capacity as a number",
			`{"tradeCode":1000,"tradeMsg":"success","tradeData":[{"skuId":"T1","type":"3105","days":1,"planType":0,"capacity":-1,"highFlowSize":5242880,"limitFlowSpeed":"128"}]}`,
			func(t *testing.T, c *Client) {
				s := mustSKUs(t, c, 1, 0)[0]
				if s.Capacity != -1 || s.HighFlowSize != 5<<20 || s.LimitFlowSpeed != 128 || s.PlanType != PlanTypeTotal {
					t.Errorf("sku = %+v", s)
				}
			}},
		{"hotspot 1, travel-date flag and window, Chinese text",
			`{"tradeCode":"1000","tradeMsg":"success","tradeData":[{"skuId":"H1","type":"3106","days":"3","hotspotSupport":"1","estimatedUseTimeFlag":"1","estimatedUseTimeGapHours":"72","name":"日本 3天","desc":"高速流量"}]}`,
			func(t *testing.T, c *Client) {
				s := mustSKUs(t, c, 1, 0)[0]
				if s.HotspotSupport != "1" || s.EstimatedUseTimeFlag != 1 || s.EstimatedUseTimeGapHours != 72 || s.Name != "日本 3天" {
					t.Errorf("sku = %+v", s)
				}
			}},
		{"one decimal where an integer belongs and one array where a string belongs cost only those SKUs",
			`{"tradeCode":"1000","tradeMsg":"success","tradeData":[{"skuId":"G1","type":"3106","days":"7"},{"skuId":"B1","type":"3106","days":"1.5"},{"skuId":"B2","type":"3106","days":"7","name":["a","b"]},{"skuId":"G2","type":"3105","days":"1"}]}`,
			func(t *testing.T, c *Client) {
				skus, rejected, err := c.SKUs(ctx, SKUQuery{SalesMethod: "5"})
				if err != nil || len(skus) != 2 || skus[0].SKUID != "G1" || skus[1].SKUID != "G2" {
					t.Fatalf("skus = %+v, %v", skus, err)
				}
				want := []Rejected{{Index: 1, SKUID: "B1", Reason: `days: "1.5" is not an integer`}, {Index: 2, SKUID: "B2", Reason: "name: string: unexpected JSON value \"[\\\"a\\\",\\\"b\\\"]\""}}
				if !reflect.DeepEqual(rejected, want) {
					t.Errorf("rejected = %#v\nwant %#v", rejected, want)
				}
			}},
		{"a bad F003 record costs only that SKU's prices",
			`{"tradeCode":"1000","tradeMsg":"success","tradeData":[{"skuId":"G1","price":[{"copies":"1","retailPrice":"6","settlementPrice":"4.5"}]},{"skuId":"B1","price":[{"copies":"1.5","retailPrice":"6","settlementPrice":"4"}]}]}`,
			func(t *testing.T, c *Client) {
				prices, rejected, err := c.Prices(ctx, "5")
				if err != nil || len(prices) != 1 || prices[0].SKUID != "G1" || len(rejected) != 1 || rejected[0].SKUID != "B1" ||
					!strings.Contains(rejected[0].Reason, "price") {
					t.Errorf("prices = %+v, rejected = %+v, %v", prices, rejected, err)
				}
			}},
		{"F052 as an object",
			`{"tradeCode":"1000","tradeMsg":"success","tradeData":{"skuId":["P1","P2"]}}`,
			func(t *testing.T, c *Client) { mustTopUps(t, c, "P1", "P2") }},
		{"F052 as an array of objects",
			`{"tradeCode":"1000","tradeMsg":"success","tradeData":[{"skuId":"P1"},{"skuId":["P2"]}]}`,
			func(t *testing.T, c *Client) { mustTopUps(t, c, "P1", "P2") }},
		{"F052 as an array of ids, one a number",
			`{"tradeCode":"1000","tradeMsg":"success","tradeData":["P1",2]}`,
			func(t *testing.T, c *Client) { mustTopUps(t, c, "P1", "2") }},
		{"F046 totalTraffic -1",
			`{"tradeCode":"1000","tradeMsg":"success","tradeData":{"subOrderList":[{"skuName":"x","totalTraffic":"-1","planType":"1"}]}}`,
			func(t *testing.T, c *Client) {
				u, err := c.PlanUsage(ctx, PlanUsageQuery{ICCID: "8986", OrderID: "BC1"})
				if err != nil || len(u.SubOrderList) != 1 || u.SubOrderList[0].TotalTraffic != Unlimited {
					t.Errorf("usage = %+v, %v", u, err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newVendor(t, answer(tt.reply))
			tt.check(t, c)
		})
	}
}

func mustSKUs(t *testing.T, c *Client, want, wantRejected int) []SKU {
	t.Helper()
	skus, rejected, err := c.SKUs(context.Background(), SKUQuery{SalesMethod: "5"})
	if err != nil || len(skus) != want || len(rejected) != wantRejected {
		t.Fatalf("SKUs = %+v, rejected %+v, %v", skus, rejected, err)
	}
	return skus
}

func mustTopUps(t *testing.T, c *Client, want ...string) {
	t.Helper()
	got, err := c.TopUpSKUs(context.Background(), "8986")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("TopUpSKUs = %v, %v; want %v", got, err, want)
	}
}

// TestLiveNoticeVariants covers the notice shapes of section 5: arrays
// and objects for N002/N003/N006, strings and numbers for scalars, N009's
// extra fields and N006's partial records.
func TestLiveNoticeVariants(t *testing.T) {
	for _, tt := range []struct {
		name, tradeType, data string
		check                 func(t *testing.T, n *Notice)
	}{
		{"N002 as an array", NoticePlanStarted, `[{"subOrderId":"S1","iccid":"8986","startTime":"2026-01-01 00:00:00"}]`, planEvents(1)},
		{"N002 as an object", NoticePlanStarted, `{"subOrderId":"S1","iccid":8986}`, planEvents(1)},
		{"N003 as an array with channelOrderId", NoticePlanEnded, `[{"subOrderId":"S1","channelOrderId":"ES-1","iccid":"8986"}]`, planEvents(1)},
		{"N003 as an object", NoticePlanEnded, `{"subOrderId":"S1","iccid":"8986"}`, planEvents(1)},
		{"N006 as an array, partial", NoticeSKUChanged, `[{"skuId":"1756","type":"3105","days":"1","name":"日本"}]`, func(t *testing.T, n *Notice) {
			skus, rejected, err := n.SKUs()
			if err != nil || len(skus) != 1 || len(rejected) != 0 {
				t.Fatalf("SKUs = %+v, %+v, %v", skus, rejected, err)
			}
			if s := skus[0]; !s.Has("name") || s.Has("planType") || s.Has("estimatedUseTimeFlag") || s.Has("rechargeableProduct") {
				t.Errorf("Has reports the wrong fields for %+v", s)
			}
		}},
		{"N006 as an object, numbers for scalars", NoticeSKUChanged, `{"skuId":1756,"type":3105,"days":1,"hotspotSupport":1}`, func(t *testing.T, n *Notice) {
			skus, _, err := n.SKUs()
			if err != nil || len(skus) != 1 || skus[0].SKUID != "1756" || skus[0].HotspotSupport != "1" {
				t.Errorf("SKUs = %+v, %v", skus, err)
			}
		}},
		{"N006 with one bad SKU", NoticeSKUChanged, `[{"skuId":"A","days":"1"},{"skuId":"B","days":[1]}]`, func(t *testing.T, n *Notice) {
			skus, rejected, err := n.SKUs()
			if err != nil || len(skus) != 1 || len(rejected) != 1 || rejected[0].SKUID != "B" {
				t.Errorf("SKUs = %+v, %+v, %v", skus, rejected, err)
			}
		}},
		{"N009 with confirmation code and APN credentials, numbers for scalars", NoticeDelivery,
			`{"orderId":123,"channelOrderId":"ES-1","subOrderList":[{"subOrderId":9,"iccid":8986,"qrCodeContent":"LPA:1$smdp.example$AC$$1","confirmationCode":1234,"apnUsername":"u","apnPassword":"p","rechargeableESIM":1}]}`,
			func(t *testing.T, n *Notice) {
				d, err := n.Delivery()
				if err != nil || len(d.SubOrderList) != 1 {
					t.Fatalf("Delivery = %+v, %v", d, err)
				}
				e := d.SubOrderList[0]
				if d.OrderID != "123" || e.ICCID != "8986" || e.ConfirmationCode != "1234" || e.APNUsername != "u" || e.APNPassword != "p" || e.RechargeableESIM != 1 {
					t.Errorf("eSIM = %+v", e)
				}
			}},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, mustNotice(t, tt.tradeType, tt.data)) })
	}
}

func planEvents(want int) func(t *testing.T, n *Notice) {
	return func(t *testing.T, n *Notice) {
		t.Helper()
		evs, err := n.PlanEvents()
		if err != nil || len(evs) != want {
			t.Errorf("PlanEvents = %+v, %v", evs, err)
		}
	}
}
