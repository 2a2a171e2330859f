package bc

import (
	"reflect"
	"strings"
	"testing"
)

func notice(tradeType, tradeData string) string {
	return `{"tradeType":"` + tradeType + `","tradeTime":"2026-11-27 14:05:09","tradeData":` + tradeData + `}`
}

func TestParseNotice(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		wantType string
		wantData string
		wantErr  string
	}{
		{name: "object", body: notice("N010", `{"orderId":"1"}`), wantType: "N010", wantData: `{"orderId":"1"}`},
		{name: "array data", body: notice("N002", `[{"iccid":"1"}]`), wantType: "N002", wantData: `[{"iccid":"1"}]`},
		{name: "surrounding whitespace", body: "\n " + notice("N010", `{}`) + " \r\n\t", wantType: "N010", wantData: `{}`},
		{name: "unknown type", body: notice("N999", `{"x":[1,2]}`), wantType: "N999", wantData: `{"x":[1,2]}`},
		{name: "null data", body: notice("N010", `null`), wantType: "N010"},
		{name: "no data", body: `{"tradeType":"N010","tradeTime":"2026-11-27 14:05:09"}`, wantType: "N010"},
		{name: "second object", body: notice("N010", `{}`) + notice("N010", `{}`), wantErr: "invalid character"},
		{name: "trailing garbage", body: notice("N010", `{}`) + "x", wantErr: "invalid character"},
		{name: "trailing comma", body: notice("N010", `{}`) + ",", wantErr: "invalid character"},
		{name: "truncated", body: notice("N010", `{}`)[:20], wantErr: "unexpected end"},
		{name: "array body", body: `[` + notice("N010", `{}`) + `]`, wantErr: "not a JSON object"},
		{name: "empty", body: ``, wantErr: "not a JSON object"},
		{name: "null", body: `null`, wantErr: "not a JSON object"},
		{name: "missing tradeType", body: `{"tradeTime":"x","tradeData":{}}`, wantErr: "tradeType is missing"},
		{name: "empty tradeType", body: notice("", `{}`), wantErr: "tradeType is missing"},
		{name: "tradeType not a string", body: `{"tradeType":{},"tradeData":{}}`, wantErr: "unexpected JSON value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseNotice([]byte(tt.body))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n.TradeType != tt.wantType || n.TradeTime != "2026-11-27 14:05:09" || string(n.Data) != tt.wantData {
				t.Errorf("got %+v (data %s)", n, n.Data)
			}
		})
	}
}

// TestParseNoticeDoesNotAlias makes sure Data stays valid after the body
// buffer is reused, as Fiber does with request bodies.
func TestParseNoticeDoesNotAlias(t *testing.T) {
	body := []byte(notice("N010", `{"orderId":"1"}`))
	n, err := ParseNotice(body)
	if err != nil {
		t.Fatal(err)
	}
	for i := range body {
		body[i] = 'x'
	}
	if string(n.Data) != `{"orderId":"1"}` {
		t.Errorf("Data changed with the body: %s", n.Data)
	}
}

func mustNotice(t *testing.T, tradeType, tradeData string) *Notice {
	t.Helper()
	n, err := ParseNotice([]byte(notice(tradeType, tradeData)))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNoticeDelivery(t *testing.T) {
	n := mustNotice(t, NoticeDelivery, `{"orderId":"2031","channelOrderId":"ES-1","subOrderList":[
		{"subOrderId":"2032","channelSubOrderId":"ES-1-1","uid":"u1","iccid":"89860000000000000001","qrCodeContent":"LPA:1$SECSMSMINIAPP.EASTCOMPEACE.COM$2C13942911FF452AB45E9E99A5D444A1","apn":"plus","pin":"1234","puk":"12345678","msisdn":"","validTime":"2027-02-25 14:05:09","rechargeableESIM":"1"},
		{"subOrderId":"2032","channelSubOrderId":"ES-1-1","uid":"u2","iccid":89860000000000000002,"qrCodeContent":"LPA:1$smdp.example$AC2","rechargeableESIM":0}]}`)
	got, err := n.Delivery()
	if err != nil {
		t.Fatal(err)
	}
	want := &Delivery{OrderID: "2031", ChannelOrderID: "ES-1", SubOrderList: []DeliveredESIM{
		{SubOrderID: "2032", ChannelSubOrderID: "ES-1-1", UID: "u1", ICCID: "89860000000000000001",
			QRCodeContent: "LPA:1$SECSMSMINIAPP.EASTCOMPEACE.COM$2C13942911FF452AB45E9E99A5D444A1",
			APN:           "plus", PIN: "1234", PUK: "12345678", ValidTime: "2027-02-25 14:05:09", RechargeableESIM: 1},
		{SubOrderID: "2032", ChannelSubOrderID: "ES-1-1", UID: "u2", ICCID: "89860000000000000002", QRCodeContent: "LPA:1$smdp.example$AC2"},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestNoticeEmailSentAndTopUp(t *testing.T) {
	e, err := mustNotice(t, NoticeEmailSent, `{"orderId":"2031","channelOrderId":"ES-1"}`).EmailSent()
	if err != nil || *e != (EmailSent{OrderID: "2031", ChannelOrderID: "ES-1"}) {
		t.Errorf("EmailSent = %+v, %v", e, err)
	}
	for raw, want := range map[string]Int{`"0"`: TopUpSucceeded, `1`: TopUpFailed} {
		r, err := mustNotice(t, NoticeTopUpResult, `{"orderId":"3001","channelOrderId":"TU-1","status":`+raw+`}`).TopUpResult()
		if err != nil || *r != (TopUpResult{OrderID: "3001", ChannelOrderID: "TU-1", Status: want}) {
			t.Errorf("TopUpResult(%s) = %+v, %v", raw, r, err)
		}
	}
}

func TestNoticeProfileStatusChange(t *testing.T) {
	for _, status := range []string{`2`, `"2"`} {
		n := mustNotice(t, NoticeProfileStatus, `{"orderId":"2031","channelOrderId":"ES-1","subOrderList":[{"subOrderId":"2032","channelSubOrderId":"ES-1-1","uid":"u1","iccid":"8986","profileStatus":`+status+`}]}`)
		got, err := n.ProfileStatusChange()
		if err != nil {
			t.Fatal(err)
		}
		want := &ProfileStatusChange{OrderID: "2031", ChannelOrderID: "ES-1", SubOrderList: []ProfileStatusLine{
			{SubOrderID: "2032", ChannelSubOrderID: "ES-1-1", UID: "u1", ICCID: "8986", ProfileStatus: ProfileInstalled},
		}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("status %s: got %+v", status, got)
		}
	}
}

func TestNoticePlanEvents(t *testing.T) {
	started := PlanEvent{SubOrderID: "2032", ChannelSubOrderID: "ES-1-1", ICCID: "8986", StartTime: "2026-11-28 08:00:00", EndTime: "2026-12-05 08:00:00", CountryRegion: "JP", APN: "plus"}
	startedJSON := `{"subOrderId":"2032","channelSubOrderId":"ES-1-1","iccid":"8986","startTime":"2026-11-28 08:00:00","endTime":"2026-12-05 08:00:00","countryRegion":"JP","apn":"plus"}`
	tests := []struct {
		name      string
		tradeType string
		data      string
		want      []PlanEvent
	}{
		{"N002 as sent: array", NoticePlanStarted, `[` + startedJSON + `]`, []PlanEvent{started}},
		{"N002 as documented: object", NoticePlanStarted, startedJSON, []PlanEvent{started}},
		{"N003 with channelOrderId", NoticePlanEnded, `[{"subOrderId":"2032","channelOrderId":"ES-1","iccid":"8986","endTime":"2026-12-05 08:00:00"}]`,
			[]PlanEvent{{SubOrderID: "2032", ChannelOrderID: "ES-1", ICCID: "8986", EndTime: "2026-12-05 08:00:00"}}},
		{"empty array", NoticePlanEnded, `[]`, []PlanEvent{}},
		{"null", NoticePlanEnded, `null`, []PlanEvent{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mustNotice(t, tt.tradeType, tt.data).PlanEvents()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestNoticeSKUs(t *testing.T) {
	got, rejected, err := mustNotice(t, NoticeSKUChanged, `[{"skuId":"1756","type":"3105","days":"1","validityPeroid":"90","country":[{"mcc":"JP","name":"Japan"}]}]`).SKUs()
	if err != nil || len(rejected) != 0 {
		t.Fatal(err, rejected)
	}
	got = withoutPresence(got)
	want := []SKU{{SKUID: "1756", Type: "3105", Days: 1, ValidityPeriod: "90", Country: []SKUCountry{{MCC: "JP", Name: "Japan"}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestNoticeDecoderErrors(t *testing.T) {
	tests := []struct {
		name    string
		decode  func() error
		wantErr string
	}{
		{"delivery on N010", func() error { _, err := mustNotice(t, "N010", `{}`).Delivery(); return err }, "not N009"},
		{"email on N009", func() error { _, err := mustNotice(t, "N009", `{}`).EmailSent(); return err }, "not N010"},
		{"plan events on N009", func() error { _, err := mustNotice(t, "N009", `[]`).PlanEvents(); return err }, "not N002 or N003"},
		{"skus on N002", func() error { _, _, err := mustNotice(t, "N002", `[]`).SKUs(); return err }, "not N006"},
		{"delivery as array", func() error { _, err := mustNotice(t, "N009", `[{}]`).Delivery(); return err }, "not an object"},
		{"delivery without data", func() error { _, err := mustNotice(t, "N009", `null`).Delivery(); return err }, "not an object"},
		{"status not a number", func() error {
			_, err := mustNotice(t, "N012", `{"subOrderList":[{"profileStatus":"installed"}]}`).ProfileStatusChange()
			return err
		}, "not an integer"},
		{"top-up result as string", func() error { _, err := mustNotice(t, "N013", `"ok"`).TopUpResult(); return err }, "not an object"},
		{"plan events as number", func() error { _, err := mustNotice(t, "N003", `5`).PlanEvents(); return err }, "neither an array nor an object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.decode()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestAckBody(t *testing.T) {
	if string(AckBody) != `{"tradeCode":"1000","tradeMsg":"success"}` {
		t.Errorf("AckBody = %s", AckBody)
	}
}

func FuzzParseNotice(f *testing.F) {
	f.Add([]byte(notice("N009", `{"orderId":"1","subOrderList":[{"iccid":"8986","qrCodeContent":"LPA:1$a.b$C"}]}`)))
	f.Add([]byte(notice("N002", `[{"iccid":"1"}]`)))
	f.Add([]byte(notice("N006", `[{"skuId":"1","days":"x"}]`)))
	f.Add([]byte(notice("N012", `{"subOrderList":[{"profileStatus":2}]}`)))
	f.Add([]byte(notice("N013", `{"status":"1"}`)))
	f.Add([]byte(`{"tradeType":"N010"} {}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := ParseNotice(body)
		if err != nil {
			return
		}
		if n.TradeType == "" {
			t.Fatal("parsed a notice without a tradeType")
		}
		// No decoder may panic on any data: run each on it under its own type.
		for _, typ := range []string{NoticeDelivery, NoticeEmailSent, NoticeProfileStatus, NoticeTopUpResult, NoticePlanStarted, NoticeSKUChanged} {
			m := *n
			m.TradeType = typ
			_, _ = m.Delivery()
			_, _ = m.EmailSent()
			_, _ = m.ProfileStatusChange()
			_, _ = m.TopUpResult()
			_, _ = m.PlanEvents()
			_, _, _ = m.SKUs()
		}
	})
}
