package sandbox

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/esimshop/esimshop/bc"
)

// TestFaultsAsTheClientSeesThem injects each live failure the vendor is
// known for and checks how the real client classifies it over HTTP:
// temporary (retried) or permanent (the operator's).
func TestFaultsAsTheClientSeesThem(t *testing.T) {
	tests := []struct {
		name     string
		inject   func(sb *Sandbox)
		wantTemp bool
		wantCode string
	}{
		{"busy 1999", func(sb *Sandbox) { sb.FailNextBusy("F040", 1) }, true, "1999"},
		{"HTML page with HTTP 200", func(sb *Sandbox) { sb.FailNextHTTP("F040", 1, 200) }, true, ""},
		{"Cloudflare 522", func(sb *Sandbox) { sb.FailNextHTTP("F040", 1, 522) }, true, ""},
		{"HTTP 502", func(sb *Sandbox) { sb.FailNextHTTP("F040", 1, 502) }, true, ""},
		{"parameter error 1003", func(sb *Sandbox) { sb.FailNext("F040", 1, "1003", "参数错误") }, false, "1003"},
		{"no sales strategy 1047", func(sb *Sandbox) { sb.FailNext("F040", 1, "1047", "销售策略不存在") }, false, "1047"},
		{"insufficient balance", func(sb *Sandbox) { sb.SetBalance(0) }, false, codeBalance},
	}
	sku := skuByName(t, Default(), "Japan 1GB 7 Days")
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb, tc, _ := setup(t, nil)
			tt.inject(sb)
			c := bc.New(bc.Config{URL: tc.url, AppKey: testKey, AppSecret: testSecret})
			req := bc.CreateOrderRequest{ChannelOrderID: "ES-F" + string(rune('A'+i)), SubOrderList: []bc.SubOrderRequest{
				{ChannelSubOrderID: "ES-F-1", DeviceSKUID: sku.SKUID, PlanSKUCopies: 1, Number: 1}}}
			_, err := c.CreateOrder(context.Background(), req)
			if err == nil {
				t.Fatal("no error")
			}
			if got := bc.Temporary(err); got != tt.wantTemp {
				t.Errorf("Temporary(%v) = %v, want %v", err, got, tt.wantTemp)
			}
			var apiErr *bc.APIError
			if tt.wantCode != "" && (!errors.As(err, &apiErr) || apiErr.TradeCode != tt.wantCode || apiErr.Meaning() == "") {
				t.Errorf("err = %v, want vendor code %s with an English meaning", err, tt.wantCode)
			}
			// The temporary ones succeed when retried with the same IDs.
			if tt.wantTemp {
				if _, err := c.CreateOrder(context.Background(), req); err != nil {
					t.Errorf("retry: %v", err)
				}
			}
		})
	}
}

// TestSlowF040 checks that F040 has its own, longer time-out: a vendor that
// takes longer than the other calls' time-out still places the order,
// while a catalog call that slow times out (temporary).
func TestSlowF040(t *testing.T) {
	sb, tc, _ := setup(t, nil)
	sb.SetDelay("F040", 300*time.Millisecond)
	sb.SetDelay("F003", 300*time.Millisecond)
	c := bc.New(bc.Config{URL: tc.url, AppKey: testKey, AppSecret: testSecret, Timeout: 100 * time.Millisecond, OrderTimeout: 3 * time.Second})
	sku := skuByName(t, Default(), "Japan 1GB 7 Days")
	res, err := c.CreateOrder(context.Background(), bc.CreateOrderRequest{ChannelOrderID: "ES-SLOW", SubOrderList: []bc.SubOrderRequest{
		{ChannelSubOrderID: "ES-SLOW-1", DeviceSKUID: sku.SKUID, PlanSKUCopies: 1, Number: 1}}})
	if err != nil || res.OrderID == "" {
		t.Fatalf("slow F040 = %+v, %v", res, err)
	}
	_, _, err = c.Prices(context.Background(), "5")
	if err == nil || !bc.Temporary(err) || !strings.Contains(err.Error(), "F003") {
		t.Errorf("slow F003 = %v, want a temporary time-out", err)
	}
}
