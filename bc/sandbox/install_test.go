package sandbox

import (
	"encoding/json"
	"testing"
	"time"
)

// TestInstallSteps: with InstallStep set, a delivered eSIM moves from not
// downloaded to enabled over time, F042 showing only the steps that have
// happened and an N012 (profileStatus a JSON number) announcing each.
func TestInstallSteps(t *testing.T) {
	const step = 150 * time.Millisecond
	_, c, rc := setup(t, func(cfg *Config) { cfg.InstallStep = step })
	jp := skuByName(t, Default(), "Japan 1GB 7 Days")
	c.mustOK("F040", order("IS-1", [3]string{jp.SKUID, "1", "1"}), nil)
	waitFor(t, "N009", func() bool { return len(rc.of("N009")) == 1 })
	var n n009
	_ = json.Unmarshal(rc.of("N009")[0].Body, &n)
	iccid := n.TradeData.SubOrderList[0].ICCID

	var recs []struct{ Status string }
	c.mustOK("F042", map[string]any{"iccid": iccid}, &recs)
	if len(recs) != 1 || recs[0].Status != "0" {
		t.Fatalf("right after delivery F042 says %+v, want only 'not downloaded'", recs)
	}
	waitFor(t, "three N012", func() bool { return len(rc.of("N012")) == 3 })
	var last struct {
		TradeData struct {
			ChannelOrderID string `json:"channelOrderId"`
			SubOrderList   []struct {
				ICCID         string          `json:"iccid"`
				ProfileStatus json.RawMessage `json:"profileStatus"`
			} `json:"subOrderList"`
		} `json:"tradeData"`
	}
	if err := json.Unmarshal(rc.of("N012")[2].Body, &last); err != nil {
		t.Fatal(err)
	}
	if s := last.TradeData.SubOrderList; last.TradeData.ChannelOrderID != "IS-1" || len(s) != 1 || s[0].ICCID != iccid || string(s[0].ProfileStatus) != "3" {
		t.Fatalf("last N012 %+v", last.TradeData)
	}
	c.mustOK("F042", map[string]any{"iccid": iccid}, &recs)
	if len(recs) != 4 {
		t.Fatalf("after the steps F042 has %d records, want 4", len(recs))
	}
}
