package sandbox

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Order status codes, as F011 reports them.
const (
	statusOrdered   = "0"
	statusDelivered = "1"
	statusCancelled = "2"
)

// Order is a snapshot of an order the sandbox accepted: an eSIM order
// (F040) or a top-up (F007).
type Order struct {
	TradeType      string // "F040" or "F007"
	OrderID        string // the vendor's ID
	ChannelOrderID string // the shop's ID, the idempotency key
	Status         string // "0" ordered, "1" delivered (notice sent), "2" cancelled
	Email          string
	// EstimatedUseTime is the travel start the order carried, as sent.
	EstimatedUseTime string
	CreateTime       time.Time
	DeliveredAt      time.Time // zero until N009 (F040) or N013 (F007) was sent
	SettlementFen    int64     // what the order cost the reseller, in fen
	SubOrders        []SubOrder
}

// SubOrder is one line of an order.
type SubOrder struct {
	SubOrderID, ChannelSubOrderID, SKUID string
	Copies, Number                       int
	ESIMs                                []ESIM   // F040: the eSIMs issued for the line
	ICCIDs                               []string // F007: the eSIMs topped up
}

// clone deep-copies an order for a snapshot.
func (o *Order) clone() Order {
	c := *o
	c.SubOrders = slices.Clone(o.SubOrders)
	for i := range c.SubOrders {
		c.SubOrders[i].ESIMs = slices.Clone(c.SubOrders[i].ESIMs)
		c.SubOrders[i].ICCIDs = slices.Clone(c.SubOrders[i].ICCIDs)
	}
	return c
}

// Orders returns a snapshot of every order, oldest first.
func (s *Sandbox) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, o.clone())
	}
	slices.SortFunc(out, func(a, b Order) int { return compareOrders(&a, &b) })
	return out
}

// compareOrders orders by creation time, then vendor order ID.
func compareOrders(a, b *Order) int {
	if c := a.CreateTime.Compare(b.CreateTime); c != 0 {
		return c
	}
	return strings.Compare(a.OrderID, b.OrderID)
}

func sortOrders(os []*Order) { slices.SortFunc(os, compareOrders) }

// orderReply is F040's and F007's answer.
type orderReply struct {
	OrderID        string          `json:"orderId"`
	ChannelOrderID string          `json:"channelOrderId"`
	SubOrderList   []subOrderReply `json:"subOrderList"`
}

type subOrderReply struct {
	SubOrderID        string `json:"subOrderId"`
	ChannelSubOrderID string `json:"channelSubOrderId"`
}

func replyOf(o *Order) orderReply {
	r := orderReply{OrderID: o.OrderID, ChannelOrderID: o.ChannelOrderID}
	for _, so := range o.SubOrders {
		r.SubOrderList = append(r.SubOrderList, subOrderReply{so.SubOrderID, so.ChannelSubOrderID})
	}
	return r
}

// positiveInt parses a canonical decimal integer in [lo, hi].
func positiveInt(s flexString, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(string(s))
	if err != nil || n < lo || n > hi || strconv.Itoa(n) != string(s) {
		return 0, false
	}
	return n, true
}

// f040 creates an eSIM order, idempotently on channelOrderId.
func (s *Sandbox) f040(ctx context.Context, data json.RawMessage) reply {
	var p struct {
		common
		ChannelOrderID   flexString `json:"channelOrderId"`
		Email            flexString `json:"email"`
		EstimatedUseTime flexString `json:"estimatedUseTime"`
		SubOrderList     []struct {
			ChannelSubOrderID flexString `json:"channelSubOrderId"`
			DeviceSKUID       flexString `json:"deviceSkuId"`
			PlanSKUCopies     flexString `json:"planSkuCopies"`
			Number            flexString `json:"number"`
		} `json:"subOrderList"`
	}
	if decode(data, &p) != nil || p.ChannelOrderID == "" {
		return fail(codeParam)
	}
	if _, valid := p.check(s, false); !valid {
		return fail(codeParam)
	}
	useAt, useOK := parseUseTime(string(p.EstimatedUseTime))
	if p.EstimatedUseTime != "" && !useOK {
		return fail(codeParam)
	}
	s.mu.Lock()
	if o := s.orders[string(p.ChannelOrderID)]; o != nil {
		defer s.mu.Unlock()
		if o.TradeType != "F040" {
			return fail(codeParam)
		}
		return ok(replyOf(o)) // a retry: same IDs, no new notices
	}
	if len(p.SubOrderList) == 0 {
		s.mu.Unlock()
		return fail(codeParam)
	}
	now := time.Now()
	o := &Order{TradeType: "F040", ChannelOrderID: string(p.ChannelOrderID), Email: string(p.Email),
		EstimatedUseTime: string(p.EstimatedUseTime), Status: statusOrdered, CreateTime: now}
	seen := map[flexString]bool{}
	var skus []*SKU
	for _, line := range p.SubOrderList {
		sku := s.catalog().sku[string(line.DeviceSKUID)]
		copies, okCopies := positiveInt(line.PlanSKUCopies, 1, 1<<20)
		number, okNumber := positiveInt(line.Number, 1, 500)
		if line.ChannelSubOrderID == "" || seen[line.ChannelSubOrderID] || sku == nil ||
			(sku.Type != "3105" && sku.Type != "3106") || !okCopies || !okNumber ||
			(sku.EstimatedUseTimeFlag == "1" && !useTimeAllowed(sku, useAt, useOK, now)) {
			s.mu.Unlock()
			return fail(codeParam)
		}
		tier, priced := s.catalog().tier(sku.SKUID, strconv.Itoa(copies))
		fen, err := parseFen(tier.SettlementPrice)
		if !priced || err != nil {
			s.mu.Unlock()
			return fail(codeParam)
		}
		seen[line.ChannelSubOrderID] = true
		o.SettlementFen += fen * int64(number)
		o.SubOrders = append(o.SubOrders, SubOrder{ChannelSubOrderID: string(line.ChannelSubOrderID), SKUID: sku.SKUID, Copies: copies, Number: number})
		skus = append(skus, sku)
	}
	if o.SettlementFen > s.balance {
		s.mu.Unlock()
		return fail(codeBalance)
	}
	s.balance -= o.SettlementFen
	o.OrderID = s.newIDLocked(now)
	for i := range o.SubOrders {
		so := &o.SubOrders[i]
		so.SubOrderID = s.newIDLocked(now)
		for range so.Number {
			so.ESIMs = append(so.ESIMs, s.newESIMLocked(skus[i], now))
		}
	}
	s.registerLocked(o)
	rep := replyOf(o)
	early := s.early
	if !early {
		s.goLocked(func(ctx context.Context) {
			if sleep(ctx, s.cfg.NoticeDelay) {
				s.deliverOrder(ctx, o, false)
			}
		})
	}
	s.mu.Unlock()
	if early {
		ctx, cancel := context.WithCancel(ctx)
		stop := context.AfterFunc(s.ctx, cancel)
		s.deliverOrder(ctx, o, true)
		stop()
		cancel()
	}
	return ok(rep)
}

// validUseTime accepts a date or a vendor timestamp.
func parseUseTime(v string) (time.Time, bool) {
	for _, layout := range []string{timeLayout, "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, vendorZone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// useTimeSlack tolerates clocks a little apart: a start stamped by the
// shop a moment before the sandbox reads it is not "in the past".
const useTimeSlack = 5 * time.Minute

// useTimeAllowed is the check for a SKU with estimatedUseTimeFlag 1: the
// travel start is required, not in the past, and at most the SKU's
// estimatedUseTimeGapHours ahead (when it has one). The live API's exact
// rule is not documented; this is the strict reading, so the shop is
// tested against it.
func useTimeAllowed(sku *SKU, at time.Time, given bool, now time.Time) bool {
	if !given || at.Before(now.Add(-useTimeSlack)) {
		return false
	}
	gap, err := strconv.Atoi(sku.EstimatedUseTimeGapHours)
	return err != nil || gap <= 0 || !at.After(now.Add(time.Duration(gap)*time.Hour+useTimeSlack))
}

func (s *Sandbox) registerLocked(o *Order) {
	s.orders[o.ChannelOrderID] = o
	s.byOrderID[o.OrderID] = o
	for i, so := range o.SubOrders {
		for j, e := range so.ESIMs {
			s.byICCID[e.ICCID] = &esimRef{order: o, sub: i, idx: j}
		}
	}
}
