package sandbox

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// topUpSKUsLocked lists the plan SKUs that can be added to an eSIM: none
// unless it is rechargeable; else its own plan (when priced) and every
// type-110 plan covering its first country. s.mu must be held.
func (s *Sandbox) topUpSKUsLocked(ref *esimRef) []string {
	out := []string{}
	if ref.esim().RechargeableESIM != "1" || ref.order.Status == statusCancelled {
		return out
	}
	own := s.catalog().sku[ref.order.SubOrders[ref.sub].SKUID]
	if own == nil || len(own.Country) == 0 {
		return out
	}
	if len(s.catalog().price[own.SKUID]) > 0 {
		out = append(out, own.SKUID)
	}
	home := own.Country[0].MCC
	for _, sku := range s.catalog().SKUs {
		if sku.Type == "110" && len(s.catalog().price[sku.SKUID]) > 0 &&
			slices.ContainsFunc(sku.Country, func(c SKUCountry) bool { return c.MCC == home }) {
			out = append(out, sku.SKUID)
		}
	}
	return out
}

// f052 lists the top-up SKUs of an eSIM.
func (s *Sandbox) f052(_ context.Context, data json.RawMessage) reply {
	var p struct {
		common
		ICCID flexString `json:"iccid"`
	}
	if decode(data, &p) != nil || p.ICCID == "" {
		return fail(codeParam)
	}
	if _, valid := p.check(s, false); !valid {
		return fail(codeParam)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := s.deliveredLocked(p.ICCID)
	if ref == nil {
		return fail(codeNotFound)
	}
	return ok(struct {
		SKUID []string `json:"skuId"`
	}{s.topUpSKUsLocked(ref)})
}

// f007 orders top-ups, idempotently on channelOrderId; the result arrives
// as N013 after NoticeDelay.
func (s *Sandbox) f007(_ context.Context, data json.RawMessage) reply {
	var p struct {
		common
		ChannelOrderID flexString `json:"channelOrderId"`
		SubOrderList   []struct {
			ChannelSubOrderID flexString  `json:"channelSubOrderId"`
			ICCID             flexStrings `json:"iccid"`
			SKUID             flexString  `json:"skuId"`
			Copies            flexString  `json:"copies"`
		} `json:"subOrderList"`
	}
	if decode(data, &p) != nil || p.ChannelOrderID == "" {
		return fail(codeParam)
	}
	if _, valid := p.check(s, false); !valid {
		return fail(codeParam)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if o := s.orders[string(p.ChannelOrderID)]; o != nil {
		if o.TradeType != "F007" {
			return fail(codeParam)
		}
		return ok(replyOf(o))
	}
	if len(p.SubOrderList) == 0 {
		return fail(codeParam)
	}
	now := time.Now()
	o := &Order{TradeType: "F007", ChannelOrderID: string(p.ChannelOrderID), Status: statusOrdered, CreateTime: now}
	seen := map[flexString]bool{}
	for _, line := range p.SubOrderList {
		copies, okCopies := positiveInt(line.Copies, 1, 1<<20)
		tier, priced := s.catalog().tier(string(line.SKUID), strconv.Itoa(copies))
		fen, err := parseFen(tier.SettlementPrice)
		if line.ChannelSubOrderID == "" || seen[line.ChannelSubOrderID] || len(line.ICCID) == 0 || !okCopies || !priced || err != nil {
			return fail(codeParam)
		}
		seen[line.ChannelSubOrderID] = true
		for i, ic := range line.ICCID {
			ref := s.deliveredLocked(flexString(ic))
			if ref == nil {
				return fail(codeNotFound)
			}
			if slices.Contains(line.ICCID[:i], ic) || !slices.Contains(s.topUpSKUsLocked(ref), string(line.SKUID)) {
				return fail(codeParam)
			}
		}
		o.SettlementFen += fen * int64(len(line.ICCID))
		o.SubOrders = append(o.SubOrders, SubOrder{
			ChannelSubOrderID: string(line.ChannelSubOrderID), SKUID: string(line.SKUID),
			Copies: copies, Number: len(line.ICCID), ICCIDs: slices.Clone([]string(line.ICCID)),
		})
	}
	if o.SettlementFen > s.balance {
		return fail(codeBalance)
	}
	s.balance -= o.SettlementFen
	o.OrderID = s.newIDLocked(now)
	for i := range o.SubOrders {
		o.SubOrders[i].SubOrderID = s.newIDLocked(now)
	}
	s.orders[o.ChannelOrderID] = o
	s.byOrderID[o.OrderID] = o
	s.goLocked(func(ctx context.Context) {
		if !sleep(ctx, s.cfg.NoticeDelay) {
			return
		}
		s.mu.Lock()
		if o.Status != statusOrdered {
			s.mu.Unlock()
			return
		}
		o.Status, o.DeliveredAt = statusDelivered, time.Now()
		dup := s.dup
		s.mu.Unlock()
		n013 := struct {
			OrderID        string `json:"orderId"`
			ChannelOrderID string `json:"channelOrderId"`
			Status         string `json:"status"`
		}{o.OrderID, o.ChannelOrderID, "0"}
		for range dup {
			_ = s.deliver(ctx, "N013", n013)
		}
	})
	return ok(replyOf(o))
}
