package sandbox

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/esimshop/esimshop/bc"
)

func TestF040RejectsInvalidOrders(t *testing.T) {
	sb, c, rc := setup(t, nil)
	cat := Default()
	jp := skuByName(t, cat, "Japan 1GB 7 Days").SKUID
	daily := skuByName(t, cat, "Japan 1GB/Day").SKUID
	cn := skuByName(t, cat, "China 1GB 7 Days").SKUID // estimatedUseTimeFlag 1
	card := skuByName(t, cat, "Asia 12 Countries 5GB 15 Days (SIM card)").SKUID
	topup := skuByName(t, cat, "Japan 3GB 7 Days").SKUID // type 110
	unpriced := skuByName(t, cat, "Japan 50GB 30 Days").SKUID
	line := func(sku, copies, number string) map[string]any {
		return order("BAD", [3]string{sku, copies, number})
	}
	tests := []struct {
		name string
		data any
	}{
		{"no channelOrderId", map[string]any{"subOrderList": line(jp, "1", "1")["subOrderList"]}},
		{"empty subOrderList", map[string]any{"channelOrderId": "BAD", "subOrderList": []any{}}},
		{"no subOrderList", map[string]any{"channelOrderId": "BAD"}},
		{"no channelSubOrderId", map[string]any{"channelOrderId": "BAD", "subOrderList": []any{map[string]any{"deviceSkuId": jp, "planSkuCopies": "1", "number": "1"}}}},
		{"duplicate channelSubOrderId", map[string]any{"channelOrderId": "BAD", "subOrderList": []any{
			map[string]any{"channelSubOrderId": "x", "deviceSkuId": jp, "planSkuCopies": "1", "number": "1"},
			map[string]any{"channelSubOrderId": "x", "deviceSkuId": jp, "planSkuCopies": "1", "number": "1"}}}},
		{"unknown SKU", line("999", "1", "1")},
		{"physical SIM card SKU", line(card, "1", "1")},
		{"plan SKU type 110", line(topup, "1", "1")},
		{"eSIM SKU without price", line(unpriced, "1", "1")},
		{"copies not offered", line(jp, "4", "1")},
		{"daily copies not offered", line(daily, "2", "1")},
		{"copies zero", line(jp, "0", "1")},
		{"copies not a number", line(jp, "one", "1")},
		{"number zero", line(jp, "1", "0")},
		{"number 501", line(jp, "1", "501")},
		{"number negative", line(jp, "1", "-1")},
		{"number fractional", line(jp, "1", "1.5")},
		{"missing estimatedUseTime", line(cn, "1", "1")},
		{"bad estimatedUseTime", func() any { d := line(cn, "1", "1"); d["estimatedUseTime"] = "tomorrow"; return d }()},
		{"estimatedUseTime in the past", func() any {
			d := line(cn, "1", "1")
			d["estimatedUseTime"] = time.Now().Add(-time.Hour).In(vendorZone).Format(timeLayout)
			return d
		}()},
		{"estimatedUseTime beyond the SKU's window", func() any {
			d := line(cn, "1", "1") // estimatedUseTimeGapHours 720
			d["estimatedUseTime"] = time.Now().Add(721 * time.Hour).In(vendorZone).Format(timeLayout)
			return d
		}()},
		{"wrong salesMethod", func() any { d := line(jp, "1", "1"); d["salesMethod"] = "1"; return d }()},
		{"subOrderList not a list", map[string]any{"channelOrderId": "BAD", "subOrderList": "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := c.call("F040", tt.data); r.code() != codeParam || r.TradeMsg != "参数错误" {
				t.Fatalf("code %s %q, want 1003 参数错误", r.code(), r.TradeMsg)
			}
		})
	}
	var bal struct{ AccountBalance string }
	c.mustOK("F014", map[string]any{}, &bal)
	if bal.AccountBalance != "100000.00" || len(sb.Orders()) != 0 {
		t.Fatalf("state changed: balance %s, %d orders", bal.AccountBalance, len(sb.Orders()))
	}
	// The boundaries are accepted, and numbers may come as JSON numbers.
	c.mustOK("F040", map[string]any{"channelOrderId": "OK-500", "subOrderList": []any{
		map[string]any{"channelSubOrderId": "a", "deviceSkuId": jp, "planSkuCopies": 3, "number": 500}}}, nil)
	d := line(cn, "1", "1")
	d["channelOrderId"], d["estimatedUseTime"] = "OK-CN", time.Now().Add(719*time.Hour).In(vendorZone).Format(timeLayout)
	c.mustOK("F040", d, nil)
	time.Sleep(50 * time.Millisecond)
	if n := len(rc.of("N009")); n > 2 {
		t.Fatalf("%d N009 for 2 orders", n)
	}
}

func TestF040IsIdempotent(t *testing.T) {
	sb, c, rc := setup(t, nil)
	jp := skuByName(t, Default(), "Japan 1GB 7 Days").SKUID
	data := order("IDEM-1", [3]string{jp, "1", "1"}, [3]string{jp, "2", "1"})
	var first, second orderReply
	c.mustOK("F040", data, &first)
	c.mustOK("F040", data, &second)
	if first.OrderID == "" || len(first.SubOrderList) != 2 {
		t.Fatalf("bad reply %+v", first)
	}
	if first.OrderID != second.OrderID || first.SubOrderList[0] != second.SubOrderList[0] || first.SubOrderList[1] != second.SubOrderList[1] {
		t.Fatalf("retry changed IDs: %+v vs %+v", first, second)
	}
	waitFor(t, "N009 and N010", func() bool { return len(rc.of("N009")) == 1 && len(rc.of("N010")) == 1 })
	var again orderReply
	c.mustOK("F040", data, &again) // also after delivery
	time.Sleep(100 * time.Millisecond)
	if n := len(rc.of("N009")); n != 1 || again.OrderID != first.OrderID {
		t.Fatalf("%d N009, order %s", n, again.OrderID)
	}
	if n := len(sb.Orders()); n != 1 {
		t.Fatalf("%d orders", n)
	}
	var bal struct{ AccountBalance string }
	c.mustOK("F014", nil, &bal)
	if bal.AccountBalance != "99926.50" { // 24.50 + 49.00 charged once
		t.Fatalf("balance %s", bal.AccountBalance)
	}
}

// n009 is the notice as the protocol document describes it.
type n009 struct {
	TradeType string `json:"tradeType"`
	TradeTime string `json:"tradeTime"`
	TradeData struct {
		OrderID        string `json:"orderId"`
		ChannelOrderID string `json:"channelOrderId"`
		SubOrderList   []struct {
			SubOrderID, ChannelSubOrderID, UID, ICCID, QRCodeContent, APN, PIN, PUK, MSISDN, ValidTime string
			RechargeableESIM                                                                           string `json:"rechargeableESIM"`
		} `json:"subOrderList"`
	} `json:"tradeData"`
}

var (
	lpaRE   = regexp.MustCompile(`^LPA:1\$(?i:[a-z0-9.-]+\.[a-z]+)\$[0-9A-F]{32}$`)
	iccidRE = regexp.MustCompile(`^8985\d{15,16}$`)
)

func TestN009Delivery(t *testing.T) {
	sb, c, rc := setup(t, func(cfg *Config) { cfg.NoticeDelay = 150 * time.Millisecond })
	cat := Default()
	jp := skuByName(t, cat, "Japan 5GB 30 Days")
	eu := skuByName(t, cat, "Europe 35 Countries 3GB 15 Days")
	var rep orderReply
	c.mustOK("F040", order("N9-1", [3]string{jp.SKUID, "2", "2"}, [3]string{eu.SKUID, "1", "1"}), &rep)

	type f011 struct {
		OrderStatus  string `json:"orderStatus"`
		SubOrderList []struct {
			SubOrderID, ChannelSubOrderID, SKUID string
			ICCID                                []string `json:"iccid"`
		} `json:"subOrderList"`
	}
	var before f011
	c.mustOK("F011", map[string]any{"channelOrderId": "N9-1"}, &before)
	if before.OrderStatus != "0" || len(before.SubOrderList[0].ICCID) != 0 {
		t.Fatalf("before N009: %+v", before)
	}
	waitFor(t, "N010", func() bool { return len(rc.of("N010")) == 1 })
	got := rc.of("N009")
	if len(got) != 1 || !got[0].SignOK {
		t.Fatalf("N009: %d received, signature ok %v", len(got), len(got) == 1 && got[0].SignOK)
	}
	if h := got[0].Header; h.Get("x-channel-id") != testKey || h.Get("x-sign-method") != "md5" || !bc.Verify(testSecret, got[0].Body, h.Get("x-sign-value")) {
		t.Fatalf("headers %v", h)
	}
	if rc.of("N010")[0].At.Before(got[0].At) {
		t.Fatal("N010 before N009")
	}
	var n n009
	if err := json.Unmarshal(got[0].Body, &n); err != nil {
		t.Fatal(err)
	}
	if n.TradeType != "N009" || n.TradeData.OrderID != rep.OrderID || n.TradeData.ChannelOrderID != "N9-1" {
		t.Fatalf("head %+v", n)
	}
	if _, err := time.Parse(timeLayout, n.TradeTime); err != nil {
		t.Fatalf("tradeTime %q", n.TradeTime)
	}
	if len(n.TradeData.SubOrderList) != 3 {
		t.Fatalf("%d entries, want 3 (2 eSIMs + 1)", len(n.TradeData.SubOrderList))
	}
	seen := map[string]bool{}
	perLine := map[string]int{}
	for _, e := range n.TradeData.SubOrderList {
		if !iccidRE.MatchString(e.ICCID) || luhn(e.ICCID[:len(e.ICCID)-1]) != e.ICCID[len(e.ICCID)-1:] || seen[e.ICCID] {
			t.Errorf("iccid %q bad or repeated", e.ICCID)
		}
		seen[e.ICCID] = true
		if !lpaRE.MatchString(e.QRCodeContent) {
			t.Errorf("qrCodeContent %q", e.QRCodeContent)
		}
		vt, err := time.Parse(timeLayout, e.ValidTime)
		if days := time.Until(vt).Hours() / 24; err != nil || days < 178 || days > 182 {
			t.Errorf("validTime %q", e.ValidTime)
		}
		if e.UID == "" || e.APN == "" || e.PIN == "" || e.PUK == "" || e.MSISDN == "" || e.SubOrderID == "" {
			t.Errorf("empty field in %+v", e)
		}
		if e.RechargeableESIM != "0" && e.RechargeableESIM != "1" {
			t.Errorf("rechargeableESIM %q", e.RechargeableESIM)
		}
		perLine[e.ChannelSubOrderID]++
	}
	if perLine["N9-1-a"] != 2 || perLine["N9-1-b"] != 1 {
		t.Fatalf("entries per line %v", perLine)
	}
	if e := n.TradeData.SubOrderList[0]; e.APN != "plus.acs.jp" || e.RechargeableESIM != "1" || e.SubOrderID != rep.SubOrderList[0].SubOrderID {
		t.Fatalf("first entry %+v", e)
	}
	var after f011
	c.mustOK("F011", map[string]any{"channelOrderId": "N9-1"}, &after)
	if after.OrderStatus != "1" || len(after.SubOrderList[0].ICCID) != 2 || after.SubOrderList[0].SKUID != jp.SKUID {
		t.Fatalf("after N009: %+v", after)
	}
	o := sb.Orders()[0]
	if o.Status != "1" || o.DeliveredAt.IsZero() || o.SubOrders[0].ESIMs[0].ICCID != after.SubOrderList[0].ICCID[0] {
		t.Fatalf("snapshot %+v", o)
	}
	if r := c.call("F011", map[string]any{"channelOrderId": "nope"}); r.code() != codeNotFound {
		t.Fatalf("unknown order: %s", r.code())
	}
}

func TestDuplicateNotices(t *testing.T) {
	sb, c, rc := setup(t, nil)
	sb.DuplicateNotices(3)
	jp := skuByName(t, Default(), "Japan 1GB 7 Days").SKUID
	c.mustOK("F040", order("DUP-1", [3]string{jp, "1", "1"}), nil)
	waitFor(t, "3 N010", func() bool { return len(rc.of("N010")) == 3 })
	got := rc.of("N009")
	if len(got) != 3 {
		t.Fatalf("%d N009, want 3", len(got))
	}
	var a, b n009
	_ = json.Unmarshal(got[0].Body, &a)
	_ = json.Unmarshal(got[2].Body, &b)
	if a.TradeData.SubOrderList[0].ICCID != b.TradeData.SubOrderList[0].ICCID {
		t.Fatal("duplicates carry different eSIMs")
	}
}

func TestNoticeBeforeReply(t *testing.T) {
	sb, c, rc := setup(t, func(cfg *Config) { cfg.NoticeDelay = time.Hour })
	sb.NoticeBeforeReply(true)
	jp := skuByName(t, Default(), "Japan 1GB 7 Days").SKUID
	var rep orderReply
	c.mustOK("F040", order("EARLY-1", [3]string{jp, "1", "1"}), &rep)
	replied := time.Now()
	got := rc.of("N009")
	if len(got) != 1 || got[0].At.After(replied) {
		t.Fatalf("N009 not delivered before the F040 reply (%d received)", len(got))
	}
	var n n009
	_ = json.Unmarshal(got[0].Body, &n)
	if n.TradeData.OrderID != rep.OrderID {
		t.Fatalf("N009 order %s, reply %s", n.TradeData.OrderID, rep.OrderID)
	}
	waitFor(t, "N010", func() bool { return len(rc.of("N010")) == 1 })
}

func TestNoticeRetries(t *testing.T) {
	tests := []struct {
		name      string
		failures  int // answers before the first ack
		wantTries int
		accepted  bool
	}{
		{"acked at once", 0, 1, true},
		{"acked on the second try", 1, 2, true},
		{"acked on the last try", 3, 4, true},
		{"never acked", 100, 4, false},
	}
	bad := []struct {
		status int
		body   string
	}{
		{http.StatusInternalServerError, `{"tradeCode":"1000"}`},
		{http.StatusOK, `{"tradeCode":"9999","tradeMsg":"busy"}`},
		{http.StatusOK, `<html>ok</html>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sb, c, rc := setup(t, func(cfg *Config) { cfg.NoticeDelay = 10 * time.Millisecond })
			rc.mu.Lock()
			rc.respond = func(tradeType string, hit int) (int, string) {
				if tradeType == "N009" && hit <= tt.failures {
					b := bad[(hit-1)%len(bad)]
					return b.status, b.body
				}
				return http.StatusOK, `{"tradeCode":1000,"tradeMsg":"success"}`
			}
			rc.mu.Unlock()
			jp := skuByName(t, Default(), "Japan 1GB 7 Days").SKUID
			c.mustOK("F040", order("RT-1", [3]string{jp, "1", "1"}), nil)
			waitFor(t, "N010", func() bool { return len(rc.of("N010")) == 1 })
			if got := len(rc.of("N009")); got != tt.wantTries {
				t.Fatalf("%d N009 tries, want %d", got, tt.wantTries)
			}
			var tries []NoticeAttempt
			for _, a := range sb.Notices() {
				if a.TradeType == "N009" {
					tries = append(tries, a)
				}
			}
			last := tries[len(tries)-1]
			if len(tries) != tt.wantTries || last.Attempt != tt.wantTries || last.Accepted != tt.accepted {
				t.Fatalf("log %+v", tries)
			}
			if !tt.accepted && last.Err == "" {
				t.Fatal("no reason logged")
			}
		})
	}
}

func TestBalanceAndCancel(t *testing.T) {
	sb, c, _ := setup(t, func(cfg *Config) { cfg.NoticeDelay = time.Hour })
	jp := skuByName(t, Default(), "Japan 1GB 7 Days").SKUID
	var rep orderReply
	c.mustOK("F040", order("BAL-1", [3]string{jp, "1", "2"}), &rep)
	balance := func() string {
		var b struct {
			AccountBalance, Currency, AvailableBalance, FrozenBalance, CreditLimit string
		}
		c.mustOK("F014", map[string]any{}, &b)
		if b.Currency != "CNY" || b.FrozenBalance != "0.00" || b.CreditLimit != "0.00" || b.AvailableBalance != b.AccountBalance {
			t.Fatalf("F014 %+v", b)
		}
		return b.AccountBalance
	}
	if got := balance(); got != "99951.00" {
		t.Fatalf("after order: %s", got)
	}
	c.mustOK("F008", map[string]any{"orderId": rep.OrderID}, nil)
	c.mustOK("F008", map[string]any{"orderId": rep.OrderID}, nil) // twice is fine
	if got := balance(); got != "100000.00" {
		t.Fatalf("after cancel: %s", got)
	}
	if r := c.call("F008", map[string]any{"orderId": "42"}); r.code() != codeNotFound {
		t.Fatalf("unknown order: %s", r.code())
	}
	var st struct{ OrderStatus string }
	c.mustOK("F011", map[string]any{"channelOrderId": "BAL-1"}, &st)
	if st.OrderStatus != "2" {
		t.Fatalf("status %s", st.OrderStatus)
	}
	sb.SetBalance(2000)
	if r := c.call("F040", order("BAL-2", [3]string{jp, "1", "1"})); r.code() != codeBalance {
		t.Fatalf("insufficient balance: %s", r.code())
	}
	if got := balance(); got != "20.00" || len(sb.Orders()) != 1 {
		t.Fatalf("failed order changed state: %s, %d orders", got, len(sb.Orders()))
	}
}
