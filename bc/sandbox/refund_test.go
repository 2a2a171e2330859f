package sandbox

import (
	"encoding/json"
	"testing"
)

// TestRefunds covers F008 and F017 after delivery: installed eSIMs are
// refused and change nothing, F017 needs receivingState=1, and every
// cancelled eSIM is credited exactly once.
func TestRefunds(t *testing.T) {
	sb, c, rc := setup(t, nil)
	jp := skuByName(t, Default(), "Japan 1GB 7 Days").SKUID
	var rep orderReply
	c.mustOK("F040", order("RF-1", [3]string{jp, "1", "3"}), &rep)
	waitFor(t, "N009", func() bool { return len(rc.of("N009")) == 1 })
	var n n009
	if err := json.Unmarshal(rc.of("N009")[0].Body, &n); err != nil {
		t.Fatal(err)
	}
	var iccids []string
	for _, l := range n.TradeData.SubOrderList {
		iccids = append(iccids, l.ICCID)
	}
	if len(iccids) != 3 {
		t.Fatalf("iccids %v", iccids)
	}
	opening := sb.Balance()
	paid := defaultBalance - opening

	// Delivered eSIMs report "enabled" by default: F008 is refused.
	if r := c.call("F008", map[string]any{"orderId": rep.OrderID}); r.code() != codeState {
		t.Fatalf("F008 of installed eSIMs: %s", r.code())
	}
	sb.SetProfileStatus(iccids[0], profileNotDownloaded)
	sb.SetProfileStatus(iccids[1], profileNotDownloaded)
	sb.SetProfileStatus(iccids[2], profileInstalled)
	var recs []struct{ Status, RecordTime string }
	c.mustOK("F042", map[string]any{"iccid": iccids[2]}, &recs)
	newest := recs[0]
	for _, r := range recs {
		if r.RecordTime > newest.RecordTime {
			newest = r
		}
	}
	if newest.Status != "2" {
		t.Fatalf("F042 after SetProfileStatus(2): %+v", recs)
	}

	tests := []struct {
		name string
		data map[string]any
		code string
	}{
		{"without receivingState", map[string]any{"orderId": rep.OrderID, "iccid": []string{iccids[0]}}, codeParam},
		{"receivingState 0", map[string]any{"orderId": rep.OrderID, "iccid": []string{iccids[0]}, "receivingState": "0"}, codeParam},
		{"no iccid", map[string]any{"orderId": rep.OrderID, "receivingState": "1"}, codeParam},
		{"unknown order", map[string]any{"orderId": "42", "iccid": []string{iccids[0]}, "receivingState": "1"}, codeNotFound},
		{"iccid of no such order", map[string]any{"orderId": rep.OrderID, "iccid": []string{"8985200000000000000"}, "receivingState": "1"}, codeNotFound},
		{"installed eSIM among them", map[string]any{"orderId": rep.OrderID, "iccid": []string{iccids[0], iccids[2]}, "receivingState": 1}, codeState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := c.call("F017", tt.data); r.code() != tt.code {
				t.Fatalf("code %s, want %s", r.code(), tt.code)
			}
			if sb.Balance() != opening || sb.Cancelled(iccids[0]) {
				t.Fatal("a refused F017 changed state")
			}
		})
	}
	refund := map[string]any{"orderId": rep.OrderID, "iccid": []string{iccids[0]}, "receivingState": "1", "reason": "wrong country"}
	c.mustOK("F017", refund, nil)
	c.mustOK("F017", refund, nil) // twice: credited once
	if got := sb.Balance() - opening; got != paid/3 || !sb.Cancelled(iccids[0]) || sb.Cancelled(iccids[1]) {
		t.Fatalf("after one F017: credited %d of %d", got, paid)
	}
	var st struct{ OrderStatus string }
	c.mustOK("F011", map[string]any{"channelOrderId": "RF-1"}, &st)
	if st.OrderStatus == statusCancelled {
		t.Fatal("order cancelled with eSIMs left")
	}
	// F008 still refused while the installed one is there; once it is
	// recycled the rest of the order cancels and the whole price is back.
	if r := c.call("F008", map[string]any{"orderId": rep.OrderID}); r.code() != codeState {
		t.Fatalf("F008 with an installed eSIM: %s", r.code())
	}
	sb.SetProfileStatus(iccids[2], 5)
	c.mustOK("F008", map[string]any{"orderId": rep.OrderID}, nil)
	if got := sb.Balance(); got != defaultBalance {
		t.Fatalf("balance %d after cancelling everything, want %d", got, defaultBalance)
	}
	c.mustOK("F011", map[string]any{"channelOrderId": "RF-1"}, &st)
	if st.OrderStatus != statusCancelled {
		t.Fatalf("F011 status %s", st.OrderStatus)
	}
}
