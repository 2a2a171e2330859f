package sandbox

import (
	"context"
	"encoding/json"
	"strconv"
)

// f011 reports an order.
func (s *Sandbox) f011(_ context.Context, data json.RawMessage) reply {
	var p struct {
		common
		ChannelOrderID flexString `json:"channelOrderId"`
	}
	if decode(data, &p) != nil || p.ChannelOrderID == "" {
		return fail(codeParam)
	}
	if _, valid := p.check(s, false); !valid {
		return fail(codeParam)
	}
	type sub struct {
		SubOrderID        string   `json:"subOrderId"`
		ChannelSubOrderID string   `json:"channelSubOrderId"`
		SKUID             string   `json:"skuId"`
		Copies            string   `json:"copies"`
		Number            string   `json:"number"`
		ICCID             []string `json:"iccid"`
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[string(p.ChannelOrderID)]
	if o == nil {
		return fail(codeNotFound)
	}
	out := struct {
		OrderID        string `json:"orderId"`
		ChannelOrderID string `json:"channelOrderId"`
		OrderStatus    string `json:"orderStatus"`
		CreateTime     string `json:"createTime"`
		SubOrderList   []sub  `json:"subOrderList"`
	}{o.OrderID, o.ChannelOrderID, o.Status, o.CreateTime.In(vendorZone).Format(timeLayout), nil}
	for _, so := range o.SubOrders {
		iccids := []string{}
		if !o.DeliveredAt.IsZero() {
			iccids = append(iccids, so.ICCIDs...)
			for _, e := range so.ESIMs {
				iccids = append(iccids, e.ICCID)
			}
		}
		out.SubOrderList = append(out.SubOrderList, sub{so.SubOrderID, so.ChannelSubOrderID, so.SKUID,
			strconv.Itoa(so.Copies), strconv.Itoa(so.Number), iccids})
	}
	return ok(out)
}

// f041 re-sends the eSIM email, which the shop sees as another N010.
func (s *Sandbox) f041(_ context.Context, data json.RawMessage) reply {
	var p struct {
		common
		OrderID flexString `json:"orderId"`
		Email   flexString `json:"email"`
	}
	if decode(data, &p) != nil || p.OrderID == "" || p.Email == "" {
		return fail(codeParam)
	}
	if _, valid := p.check(s, false); !valid {
		return fail(codeParam)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.byOrderID[string(p.OrderID)]
	if o == nil || o.TradeType != "F040" {
		return fail(codeNotFound)
	}
	if o.Status != statusDelivered {
		return fail(codeState)
	}
	head := orderNotice{o.OrderID, o.ChannelOrderID}
	dup := s.dup
	s.goLocked(func(ctx context.Context) {
		if sleep(ctx, s.cfg.NoticeDelay) {
			for range dup {
				_ = s.deliver(ctx, "N010", head)
			}
		}
	})
	return ok(nil)
}

// f014 reports the account balance with the field names of the vendor's
// example.
func (s *Sandbox) f014(_ context.Context, data json.RawMessage) reply {
	var p common
	if decode(data, &p) != nil {
		return fail(codeParam)
	}
	if _, valid := p.check(s, false); !valid {
		return fail(codeParam)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok(struct {
		AccountBalance   string `json:"accountBalance"`
		Currency         string `json:"currency"`
		AvailableBalance string `json:"availableBalance"`
		FrozenBalance    string `json:"frozenBalance"`
		CreditLimit      string `json:"creditLimit"`
	}{formatFen(s.balance), "CNY", formatFen(s.balance), "0.00", "0.00"})
}
