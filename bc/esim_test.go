package bc

import (
	"context"
	"reflect"
	"testing"
	"time"
)

func TestProfileStatusDecode(t *testing.T) {
	c, _ := newVendor(t, success(`[{"orderId":"2031","iccid":"8986","status":"0","recordTime":"2026-11-27 14:05:09","eid":""},{"orderId":"2031","iccid":"8986","status":3,"recordTime":"2026-11-28 09:00:00","eid":"8904"}]`))
	got, err := c.ProfileStatus(context.Background(), "8986")
	if err != nil {
		t.Fatal(err)
	}
	want := []ProfileStatusRecord{
		{OrderID: "2031", ICCID: "8986", Status: ProfileNotDownloaded, RecordTime: "2026-11-27 14:05:09"},
		{OrderID: "2031", ICCID: "8986", Status: ProfileEnabled, RecordTime: "2026-11-28 09:00:00", EID: "8904"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestLatestProfileStatus(t *testing.T) {
	rec := func(status Int, at string) ProfileStatusRecord {
		return ProfileStatusRecord{Status: status, RecordTime: String(at)}
	}
	tests := []struct {
		name    string
		records []ProfileStatusRecord
		want    Int
		wantOK  bool
	}{
		{"empty", nil, 0, false},
		{"one", []ProfileStatusRecord{rec(1, "2026-11-27 10:00:00")}, 1, true},
		{"unsorted", []ProfileStatusRecord{
			rec(2, "2026-11-27 12:00:00"), rec(3, "2026-11-28 08:00:00"), rec(1, "2026-11-27 11:00:00"),
		}, 3, true},
		{"newest first", []ProfileStatusRecord{
			rec(4, "2026-12-01 00:00:00"), rec(3, "2026-11-28 08:00:00"),
		}, 4, true},
		{"equal times: later entry wins", []ProfileStatusRecord{
			rec(1, "2026-11-27 12:00:00"), rec(2, "2026-11-27 12:00:00"),
		}, 2, true},
		{"unparseable time loses", []ProfileStatusRecord{
			rec(5, "garbage"), rec(2, "2026-11-27 12:00:00"), rec(4, ""),
		}, 2, true},
		{"only unparseable: last wins", []ProfileStatusRecord{rec(1, ""), rec(2, "x")}, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := LatestProfileStatus(tt.records)
			if ok != tt.wantOK || got.Status != tt.want {
				t.Errorf("got status %d ok %v, want %d %v", got.Status, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestPlanUsageDecode(t *testing.T) {
	c, _ := newVendor(t, success(`{"subOrderList":[{"skuName":"Japan 1GB/day","copies":"7","planStatus":"1","planStartTime":"2026-11-27 14:05:09","planEndTime":"2026-12-04 14:05:09","totalDays":"7","totalTraffic":"-1","highFlowSize":"1048576","planType":"1","usageInfoList":[{"useDate":"20261127","useageAmt":"2048.5"},{"useDate":"20261128","useageAmt":1024}]}]}`))
	got, err := c.PlanUsage(context.Background(), PlanUsageQuery{ICCID: "8986", OrderID: "2031"})
	if err != nil {
		t.Fatal(err)
	}
	want := &PlanUsage{SubOrderList: []PlanUsageLine{{
		SKUName: "Japan 1GB/day", Copies: 7, PlanStatus: PlanInUse, PlanStartTime: "2026-11-27 14:05:09",
		PlanEndTime: "2026-12-04 14:05:09", TotalDays: 7, TotalTraffic: -1, HighFlowSize: 1048576, PlanType: PlanTypeDaily,
		UsageInfoList: []UsageInfo{{UseDate: "20261127", UsageAmount: "2048.5"}, {UseDate: "20261128", UsageAmount: "1024"}},
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestDailyUsageDecode(t *testing.T) {
	// F023 documents tradeCode as an int.
	c, _ := newVendor(t, answer(`{"tradeCode":1000,"tradeMsg":"success","tradeData":[{"usedDate":"2026-11-27","type":0,"usedAmount":"512","country":"Japan","countryRegionCode":"JP"}]}`))
	d := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	got, err := c.DailyUsage(context.Background(), DailyUsageQuery{ICCID: "8986", BeginDate: d, EndDate: d})
	if err != nil {
		t.Fatal(err)
	}
	want := []DailyUsage{{UsedDate: "2026-11-27", Type: 0, UsedAmount: "512", Country: "Japan", CountryRegionCode: "JP"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestBalanceDecode(t *testing.T) {
	tests := []struct {
		name string
		data string
		want Balance
	}{
		{"example: accountBalance",
			`{"accountBalance":"1000.50","currency":"CNY","availableBalance":"900.50","frozenBalance":"100","creditLimit":"0"}`,
			Balance{AccountBalance: "1000.50", Currency: "CNY", AvailableBalance: "900.50", FrozenBalance: "100", CreditLimit: "0"}},
		{"field table: saleBalance, numbers",
			`{"saleBalance":1000.50,"currency":"CNY","availableBalance":900.5,"frozenBalance":100,"creditLimit":0}`,
			Balance{AccountBalance: "1000.50", Currency: "CNY", AvailableBalance: "900.5", FrozenBalance: "100", CreditLimit: "0"}},
		{"both: accountBalance wins",
			`{"saleBalance":"1","accountBalance":"2","currency":"CNY"}`,
			Balance{AccountBalance: "2", Currency: "CNY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newVendor(t, success(tt.data))
			got, err := c.Balance(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if *got != tt.want {
				t.Errorf("got %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}
