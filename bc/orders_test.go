package bc

import (
	"context"
	"reflect"
	"testing"
)

func TestCreateOrderDecode(t *testing.T) {
	c, _ := newVendor(t, success(`{"orderId":"2031","channelOrderId":"ES-1","subOrderList":[{"subOrderId":2032,"channelSubOrderId":"ES-1-1"}]}`))
	got, err := c.CreateOrder(context.Background(), CreateOrderRequest{
		ChannelOrderID: "ES-1",
		SubOrderList:   []SubOrderRequest{{ChannelSubOrderID: "ES-1-1", DeviceSKUID: "1756", PlanSKUCopies: 1, Number: 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &CreateOrderResult{OrderID: "2031", ChannelOrderID: "ES-1", SubOrderList: []SubOrderResult{{SubOrderID: "2032", ChannelSubOrderID: "ES-1-1"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestQueryOrderDecode(t *testing.T) {
	tests := []struct {
		name string
		line string
		want OrderLine
	}{
		{"skuId, copies, iccid array",
			`{"subOrderId":"S1","channelSubOrderId":"L1","skuId":"1756","copies":"7","number":"2","iccid":["8986001","8986002"]}`,
			OrderLine{SubOrderID: "S1", ChannelSubOrderID: "L1", SKUID: "1756", Copies: 7, Number: 2, ICCID: StringList{"8986001", "8986002"}}},
		{"deviceSkuId, planSkuCopies, iccid string",
			`{"subOrderId":"S1","channelSubOrderId":"L1","deviceSkuId":"1756","planSkuCopies":7,"number":1,"iccid":"8986001"}`,
			OrderLine{SubOrderID: "S1", ChannelSubOrderID: "L1", SKUID: "1756", Copies: 7, Number: 1, ICCID: StringList{"8986001"}}},
		{"not delivered yet",
			`{"subOrderId":"S1","channelSubOrderId":"L1","skuId":"1756","copies":"1","number":"1","iccid":""}`,
			OrderLine{SubOrderID: "S1", ChannelSubOrderID: "L1", SKUID: "1756", Copies: 1, Number: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newVendor(t, success(`{"orderId":"2031","orderStatus":"1","createTime":"2026-11-27 14:05:09","subOrderList":[`+tt.line+`]}`))
			got, err := c.QueryOrder(context.Background(), "ES-1")
			if err != nil {
				t.Fatal(err)
			}
			want := &OrderInfo{OrderID: "2031", OrderStatus: OrderStatusDelivered, CreateTime: "2026-11-27 14:05:09", SubOrderList: []OrderLine{tt.want}}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestTopUpSKUsDecode(t *testing.T) {
	tests := []struct {
		data string
		want []string
	}{
		{`{"skuId":["77","78"]}`, []string{"77", "78"}},
		{`{"skuId":"77"}`, []string{"77"}},
		{`{"skuId":[]}`, []string{}},
		{`{}`, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.data, func(t *testing.T) {
			c, _ := newVendor(t, success(tt.data))
			got, err := c.TopUpSKUs(context.Background(), "8986")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestTopUpDecode(t *testing.T) {
	c, _ := newVendor(t, success(`{"orderId":"3001","channelOrderId":"TU-1","subOrderList":[{"subOrderId":"3002","channelSubOrderId":"TU-1-1"}]}`))
	got, err := c.TopUp(context.Background(), TopUpRequest{ChannelOrderID: "TU-1",
		SubOrderList: []TopUpLine{{ChannelSubOrderID: "TU-1-1", ICCID: StringList{"8986"}, SKUID: "77", Copies: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.OrderID != "3001" || len(got.SubOrderList) != 1 || got.SubOrderList[0].SubOrderID != "3002" {
		t.Errorf("got %+v", got)
	}
}
