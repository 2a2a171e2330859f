package sandbox

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"time"
)

// deliveredLocked finds an eSIM the shop can know about: issued and
// announced by N009. s.mu must be held.
func (s *Sandbox) deliveredLocked(iccid flexString) *esimRef {
	ref := s.byICCID[string(iccid)]
	if ref == nil || ref.order.DeliveredAt.IsZero() {
		return nil
	}
	return ref
}

// hash64 derives stable pseudo-random numbers from text, so that usage and
// EIDs look random yet repeat between calls.
func hash64(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// f042 reports an eSIM's profile history, deliberately unsorted: the
// newest recordTime is the current state.
func (s *Sandbox) f042(_ context.Context, data json.RawMessage) reply {
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
	type record struct {
		OrderID    string `json:"orderId"`
		ICCID      string `json:"iccid"`
		Status     string `json:"status"`
		RecordTime string `json:"recordTime"`
		EID        string `json:"eid"`
	}
	t0 := ref.order.DeliveredAt
	eid := fmt.Sprintf("89049032%012d%012d", hash64(string(p.ICCID), "eid1")%1e12, hash64(string(p.ICCID), "eid2")%1e12)
	step := s.cfg.InstallStep
	if step <= 0 {
		step = time.Minute
	}
	id := ref.order.OrderID
	history := []record{}
	// Listed out of order on purpose; with InstallStep set, a step shows
	// only once it has happened.
	for _, k := range []int{2, 0, 3, 1} {
		at := t0.Add(time.Duration(k) * step)
		if s.cfg.InstallStep > 0 && at.After(time.Now()) {
			continue
		}
		e := eid
		if k == 0 {
			e = ""
		}
		history = append(history, record{id, string(p.ICCID), strconv.Itoa(k), at.In(vendorZone).Format(timeLayout), e})
	}
	st, set := s.after.profile[string(p.ICCID)]
	if !set && s.cfg.UnusedProfiles {
		st, set = profileNotDownloaded, true
	}
	if set {
		// SetProfileStatus: the history up to that status, still unsorted.
		history = slices.DeleteFunc(history, func(r record) bool { return r.Status > strconv.Itoa(st) })
		if st > profileEnabled {
			history = append(history, record{id, string(p.ICCID), strconv.Itoa(st), t0.Add(4 * step).In(vendorZone).Format(timeLayout), eid})
		}
	}
	return ok(history)
}

// installSteps plays a traveller installing the eSIMs of a delivered
// order: every InstallStep the next profile status (downloaded,
// installed, enabled), each announced by N012 as the vendor does.
func (s *Sandbox) installSteps(ctx context.Context, o *Order) {
	type change struct {
		SubOrderID        string `json:"subOrderId"`
		ChannelSubOrderID string `json:"channelSubOrderId"`
		UID               string `json:"uid"`
		ICCID             string `json:"iccid"`
		ProfileStatus     int    `json:"profileStatus"` // a JSON number in N012
	}
	for status := 1; status <= 3; status++ {
		if !sleep(ctx, s.cfg.InstallStep) {
			return
		}
		s.mu.Lock()
		n012 := struct {
			orderNotice
			SubOrderList []change `json:"subOrderList"`
		}{orderNotice: orderNotice{o.OrderID, o.ChannelOrderID}}
		for _, so := range o.SubOrders {
			for _, e := range so.ESIMs {
				n012.SubOrderList = append(n012.SubOrderList, change{so.SubOrderID, so.ChannelSubOrderID, e.UID, e.ICCID, status})
			}
		}
		s.mu.Unlock()
		_ = s.deliver(ctx, "N012", n012)
	}
}

// planUsage is one plan on an eSIM, as F046 reports it.
type planUsage struct {
	SubOrderID        string      `json:"subOrderId"`
	ChannelSubOrderID string      `json:"channelSubOrderId"`
	SKUID             string      `json:"skuId"`
	SKUName           string      `json:"skuName"`
	Copies            string      `json:"copies"`
	PlanStatus        string      `json:"planStatus"`
	PlanStartTime     string      `json:"planStartTime"`
	PlanEndTime       string      `json:"planEndTime"`
	TotalDays         string      `json:"totalDays"`
	TotalTraffic      string      `json:"totalTraffic"`
	HighFlowSize      string      `json:"highFlowSize"`
	PlanType          string      `json:"planType"`
	UsageInfoList     []usageInfo `json:"usageInfoList"`
}

type usageInfo struct {
	UseDate   string `json:"useDate"`
	UseageAmt string `json:"useageAmt"` // sic
}

// dailyKB is the simulated data use of an eSIM on a date.
func dailyKB(iccid, date string) int64 {
	return int64(hash64(iccid, date)%(300*1024)) + 1024
}

// usagePlan renders one plan that starts at start; it returns the entry
// and the plan's end.
func usagePlan(so SubOrder, sku *SKU, lang, iccid string, start, now time.Time, cancelled bool) (planUsage, time.Time) {
	days, _ := strconv.Atoi(sku.Days)
	total := max(1, days*so.Copies)
	end := start.Add(time.Duration(total)*24*time.Hour - time.Second)
	name := sku.Name
	if lang == "1" {
		name = sku.ZH.Name
	}
	traffic := "-1"
	if sku.PlanType == "0" {
		kb, _ := strconv.ParseInt(sku.Capacity, 10, 64)
		traffic = strconv.FormatInt(kb*int64(so.Copies), 10)
	}
	u := planUsage{
		SubOrderID: so.SubOrderID, ChannelSubOrderID: so.ChannelSubOrderID, SKUID: sku.SKUID, SKUName: name,
		Copies: strconv.Itoa(so.Copies), TotalDays: strconv.Itoa(total), TotalTraffic: traffic,
		HighFlowSize: sku.HighFlowSize, PlanType: sku.PlanType, UsageInfoList: []usageInfo{},
		PlanStartTime: start.In(vendorZone).Format(timeLayout), PlanEndTime: end.In(vendorZone).Format(timeLayout),
	}
	switch {
	case cancelled:
		u.PlanStatus = "3"
	case now.Before(start):
		u.PlanStatus = "0"
	case now.After(end):
		u.PlanStatus = "2"
	default:
		u.PlanStatus = "1"
	}
	if u.PlanStatus == "1" || u.PlanStatus == "2" {
		last := now
		if end.Before(now) {
			last = end
		}
		for d := startOfDay(start); !d.After(startOfDay(last)); d = d.AddDate(0, 0, 1) {
			date := d.Format("20060102")
			kb := dailyKB(iccid, date)
			if d.Equal(startOfDay(last)) {
				// The day in progress: use grows as it goes by.
				kb = max(1, kb*int64(last.Sub(d)/time.Second)/86400)
			}
			u.UsageInfoList = append(u.UsageInfoList, usageInfo{date, strconv.FormatInt(kb, 10)})
		}
	}
	return u, end
}

// startOfDay is midnight of t's day on the vendor's clock.
func startOfDay(t time.Time) time.Time {
	t = t.In(vendorZone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, vendorZone)
}

// f046 reports the plans on an eSIM and their usage: the plan it was sold
// with, then any top-ups, queued one after the other.
func (s *Sandbox) f046(_ context.Context, data json.RawMessage) reply {
	var p struct {
		common
		ICCID          flexString `json:"iccid"`
		OrderID        flexString `json:"orderId"`
		ChannelOrderID flexString `json:"channelOrderId"`
	}
	if decode(data, &p) != nil || p.ICCID == "" || (p.OrderID == "" && p.ChannelOrderID == "") {
		return fail(codeParam)
	}
	lang, valid := p.check(s, false)
	if !valid {
		return fail(codeParam)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := s.deliveredLocked(p.ICCID)
	if ref == nil || (p.OrderID != "" && string(p.OrderID) != ref.order.OrderID) ||
		(p.ChannelOrderID != "" && string(p.ChannelOrderID) != ref.order.ChannelOrderID) {
		return fail(codeNotFound)
	}
	now := time.Now()
	so := ref.order.SubOrders[ref.sub]
	first, end := usagePlan(so, s.catalog().sku[so.SKUID], lang, string(p.ICCID), ref.order.DeliveredAt, now, ref.order.Status == statusCancelled)
	plans := []planUsage{first}
	for _, t := range s.ordersSortedLocked() {
		if t.TradeType != "F007" || t.DeliveredAt.IsZero() {
			continue
		}
		for _, tso := range t.SubOrders {
			for _, ic := range tso.ICCIDs {
				if ic == string(p.ICCID) {
					var u planUsage
					u, end = usagePlan(tso, s.catalog().sku[tso.SKUID], lang, ic, end.Add(time.Second), now, t.Status == statusCancelled)
					plans = append(plans, u)
				}
			}
		}
	}
	return ok(struct {
		OrderID        string      `json:"orderId"`
		ChannelOrderID string      `json:"channelOrderId"`
		ICCID          string      `json:"iccid"`
		SubOrderList   []planUsage `json:"subOrderList"`
	}{ref.order.OrderID, ref.order.ChannelOrderID, string(p.ICCID), plans})
}

// ordersSortedLocked lists orders by creation time. s.mu must be held.
func (s *Sandbox) ordersSortedLocked() []*Order {
	out := make([]*Order, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, o)
	}
	sortOrders(out)
	return out
}

// f023 reports daily usage between two dates (inclusive).
func (s *Sandbox) f023(_ context.Context, data json.RawMessage) reply {
	var p struct {
		common
		ICCID     flexString `json:"iccid"`
		BeginDate flexString `json:"beginDate"`
		EndDate   flexString `json:"endDate"`
	}
	if decode(data, &p) != nil || p.ICCID == "" {
		return fail(codeParam)
	}
	lang, valid := p.check(s, false)
	begin, errB := time.ParseInLocation("2006-01-02", string(p.BeginDate), vendorZone)
	end, errE := time.ParseInLocation("2006-01-02", string(p.EndDate), vendorZone)
	if !valid || errB != nil || errE != nil || end.Before(begin) {
		return fail(codeParam)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := s.deliveredLocked(p.ICCID)
	if ref == nil {
		return fail(codeNotFound)
	}
	type record struct {
		UsedDate          string `json:"usedDate"`
		Type              string `json:"type"`
		UsedAmount        string `json:"usedAmount"`
		Country           string `json:"country"`
		CountryRegionCode string `json:"countryRegionCode"`
	}
	country, mcc := "", ""
	if sku := s.catalog().sku[ref.order.SubOrders[ref.sub].SKUID]; sku != nil && len(sku.Country) > 0 {
		c := sku.Country[0]
		country, mcc = c.Name, c.MCC
		if lang == "1" {
			country = c.NameZH
		}
	}
	first := startOfDay(ref.order.DeliveredAt)
	today := time.Now().In(vendorZone)
	out := []record{}
	if first.After(begin) {
		begin = first
	}
	for d := begin; !d.After(end) && !d.After(today); d = d.AddDate(0, 0, 1) {
		out = append(out, record{d.Format("2006-01-02"), "0", strconv.FormatInt(dailyKB(string(p.ICCID), d.Format("20060102")), 10), country, mcc})
	}
	return reply{code: codeOK, msg: codeMsg[codeOK], data: out, numeric: true}
}
