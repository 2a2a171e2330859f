package sandbox

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"
)

func TestAfterDelivery(t *testing.T) {
	sb, c, rc := setup(t, nil)
	cat := Default()
	jp := skuByName(t, cat, "Japan 1GB 7 Days")
	vn := skuByName(t, cat, "Vietnam 1GB 7 Days") // not rechargeable
	var rep orderReply
	c.mustOK("F040", order("AD-1", [3]string{jp.SKUID, "2", "1"}, [3]string{vn.SKUID, "1", "1"}), &rep)
	waitFor(t, "N010", func() bool { return len(rc.of("N010")) == 1 })
	var n n009
	_ = json.Unmarshal(rc.of("N009")[0].Body, &n)
	iccid, vnICCID := n.TradeData.SubOrderList[0].ICCID, n.TradeData.SubOrderList[1].ICCID

	t.Run("F042 unsorted history", func(t *testing.T) {
		var recs []struct{ OrderID, ICCID, Status, RecordTime, EID string }
		c.mustOK("F042", map[string]any{"iccid": iccid}, &recs)
		if len(recs) < 3 || recs[0].OrderID != rep.OrderID {
			t.Fatalf("%+v", recs)
		}
		newest, sorted := recs[0], true
		for i, r := range recs {
			if r.RecordTime > newest.RecordTime {
				newest = r
			}
			if i > 0 && r.RecordTime < recs[i-1].RecordTime {
				sorted = false
			}
		}
		if sorted || newest.Status != "3" || newest.EID == "" {
			t.Fatalf("sorted %v newest %+v", sorted, newest)
		}
		if r := c.call("F042", map[string]any{"iccid": "89852000000000000000"}); r.code() != codeNotFound {
			t.Fatalf("unknown iccid: %s", r.code())
		}
	})
	t.Run("F046 usage", func(t *testing.T) {
		var u struct {
			SubOrderList []planUsage `json:"subOrderList"`
		}
		c.mustOK("F046", map[string]any{"iccid": iccid, "channelOrderId": "AD-1", "language": "2"}, &u)
		p := u.SubOrderList[0]
		if p.SKUName != jp.Name || p.Copies != "2" || p.TotalDays != "14" || p.PlanStatus != "1" || p.TotalTraffic != strconv.Itoa(2*kbPerGB) || len(p.UsageInfoList) == 0 {
			t.Fatalf("%+v", p)
		}
		if r := c.call("F046", map[string]any{"iccid": iccid}); r.code() != codeParam {
			t.Fatalf("no order id: %s", r.code())
		}
		if r := c.call("F046", map[string]any{"iccid": iccid, "orderId": "other"}); r.code() != codeNotFound {
			t.Fatalf("wrong order: %s", r.code())
		}
	})
	t.Run("F023 daily usage", func(t *testing.T) {
		today := time.Now().In(vendorZone).Format("2006-01-02")
		r := c.call("F023", map[string]any{"iccid": iccid, "beginDate": "2020-01-01", "endDate": today, "language": "2"})
		var recs []struct{ UsedDate, Type, UsedAmount, Country, CountryRegionCode string }
		if string(r.TradeCode) != "1000" || json.Unmarshal(r.TradeData, &recs) != nil || len(recs) != 1 {
			t.Fatalf("%s %s", r.TradeCode, r.TradeData)
		}
		if recs[0].UsedDate != today || recs[0].CountryRegionCode != "JP" || recs[0].Country != "Japan" || recs[0].Type != "0" {
			t.Fatalf("%+v", recs[0])
		}
		if r := c.call("F023", map[string]any{"iccid": iccid, "beginDate": today, "endDate": "2020-01-01"}); r.code() != codeParam {
			t.Fatalf("reversed range: %s", r.code())
		}
	})
	t.Run("F052 and F007 top-up", func(t *testing.T) {
		var top struct{ SKUID []string }
		c.mustOK("F052", map[string]any{"iccid": iccid}, &top)
		if len(top.SKUID) < 2 || top.SKUID[0] != jp.SKUID {
			t.Fatalf("top-ups %v", top.SKUID)
		}
		c.mustOK("F052", map[string]any{"iccid": vnICCID}, &top)
		if len(top.SKUID) != 0 {
			t.Fatalf("non-rechargeable eSIM has top-ups %v", top.SKUID)
		}
		topUp := map[string]any{"channelOrderId": "TU-1", "subOrderList": []any{
			map[string]any{"channelSubOrderId": "TU-1-a", "iccid": []string{iccid}, "skuId": jp.SKUID, "copies": "1"}}}
		var first, again orderReply
		c.mustOK("F007", topUp, &first)
		c.mustOK("F007", topUp, &again)
		if first.OrderID == "" || first.OrderID != again.OrderID {
			t.Fatalf("F007 not idempotent: %+v %+v", first, again)
		}
		waitFor(t, "N013", func() bool { return len(rc.of("N013")) == 1 })
		var n13 struct {
			TradeData struct{ OrderID, ChannelOrderID, Status string } `json:"tradeData"`
		}
		_ = json.Unmarshal(rc.of("N013")[0].Body, &n13)
		if n13.TradeData.OrderID != first.OrderID || n13.TradeData.Status != "0" || !rc.of("N013")[0].SignOK {
			t.Fatalf("N013 %+v", n13)
		}
		bad := map[string]any{"channelOrderId": "TU-2", "subOrderList": []any{
			map[string]any{"channelSubOrderId": "a", "iccid": []string{vnICCID}, "skuId": vn.SKUID, "copies": "1"}}}
		if r := c.call("F007", bad); r.code() != codeParam {
			t.Fatalf("top-up of non-rechargeable eSIM: %s", r.code())
		}
		var u struct {
			SubOrderList []planUsage `json:"subOrderList"`
		}
		c.mustOK("F046", map[string]any{"iccid": iccid, "orderId": rep.OrderID}, &u)
		if len(u.SubOrderList) != 2 || u.SubOrderList[1].PlanStatus != "0" || u.SubOrderList[1].SKUName != jp.ZH.Name {
			t.Fatalf("plans after top-up %+v", u.SubOrderList)
		}
	})
	t.Run("F041 resends N010", func(t *testing.T) {
		c.mustOK("F041", map[string]any{"orderId": rep.OrderID, "email": "b@example.com"}, nil)
		waitFor(t, "second N010", func() bool { return len(rc.of("N010")) == 2 })
		if r := c.call("F041", map[string]any{"orderId": rep.OrderID}); r.code() != codeParam {
			t.Fatalf("no email: %s", r.code())
		}
	})
	if n := len(sb.Orders()); n != 2 {
		t.Fatalf("%d orders", n)
	}
}

func TestSendNotice(t *testing.T) {
	sb, _, rc := setup(t, nil)
	tests := []struct {
		tradeType string
		data      any
		want      string
	}{
		{"N012", map[string]any{"orderId": "1", "channelOrderId": "c", "subOrderList": []any{map[string]any{"subOrderId": "2", "channelSubOrderId": "d", "uid": "u", "iccid": "8985200000000000001", "profileStatus": 2}}}, `"profileStatus":2`},
		{"N002", []any{map[string]any{"subOrderId": "2", "iccid": "8985200000000000001", "startTime": "2026-01-01 00:00:00"}}, `"tradeData":[{`},
		{"N006", []SKU{skuByName(t, Default(), "Japan 1GB 7 Days")}, `"validityPeroid":"180"`},
	}
	for _, tt := range tests {
		if err := sb.SendNotice(t.Context(), tt.tradeType, tt.data); err != nil {
			t.Fatalf("%s: %v", tt.tradeType, err)
		}
		got := rc.of(tt.tradeType)
		if len(got) != 1 || !got[0].SignOK || !regexp.MustCompile(regexp.QuoteMeta(tt.want)).Match(got[0].Body) {
			t.Fatalf("%s: %d received: %+v", tt.tradeType, len(got), got)
		}
	}
	rc.mu.Lock()
	rc.respond = func(string, int) (int, string) { return http.StatusServiceUnavailable, "down" }
	rc.mu.Unlock()
	if err := sb.SendNotice(t.Context(), "N003", []any{}); err == nil {
		t.Fatal("unacknowledged notice reported as delivered")
	}
	if got := len(rc.of("N003")); got != 4 {
		t.Fatalf("%d tries, want 4", got)
	}
}
