package sandbox

import (
	"fmt"
	"strconv"
	"strings"
)

// kbPerGB and kbPerMB convert data sizes to the vendor's unit, KB.
const (
	kbPerMB = 1024
	kbPerGB = 1024 * 1024
)

// plan is the shape of a data plan: a total allowance (gb over days) or a
// daily one (dailyMB every day, days is then 1 and copies buy days). An
// unlimited plan is daily: its data is "-1" (not limited), as live SKUs
// send it.
type plan struct {
	gb, days, dailyMB int
	unlimited         bool
}

func (p plan) daily() bool { return p.dailyMB > 0 || p.unlimited }

// sizeText renders the daily allowance: "500MB", "1GB", "2GB".
func (p plan) sizeText() string {
	if p.dailyMB%1024 == 0 {
		return strconv.Itoa(p.dailyMB/1024) + "GB"
	}
	return strconv.Itoa(p.dailyMB) + "MB"
}

// area is what a SKU covers: one country, a region or the world.
type area struct {
	en, zh    string // display names ("Japan", "Europe 35 Countries")
	countries []*countryRow
	base      int64 // retail fen of 1 GB / 7 days, the price anchor
}

// skuOpts are the per-SKU flags that vary between otherwise similar plans.
type skuOpts struct {
	typ          string // "3105", "3106", "110", …
	rechargeable bool
	needUseTime  bool
}

// makeSKU builds the F002 entry of a plan over an area.
func makeSKU(id string, a area, p plan, o skuOpts) SKU {
	s := SKU{
		SKUID: id, Type: o.typ, ValidityPeroid: "180", Provider: "Billionconnect",
		HotspotSupport: "1", UsageCount: "1", RechargeableProduct: "0", EstimatedUseTimeFlag: "0",
		RefundPolicy:  "Refundable within 180 days if the eSIM has not been installed. Installed eSIMs are non-refundable.",
		ApplyToDevice: "Unlocked eSIM-compatible phones, tablets and watches",
	}
	s.ZH.RefundPolicy = "未安装的eSIM可在180天内申请退款，已安装的eSIM不支持退款。"
	s.ZH.ApplyToDevice = "支持eSIM且已解锁的手机、平板和手表"
	if o.rechargeable {
		s.RechargeableProduct, s.UsageCount = "1", "2"
	}
	if o.needUseTime {
		s.EstimatedUseTimeFlag, s.EstimatedUseTimeGapHours = "1", "720"
	}
	var where string
	if len(a.countries) == 1 {
		ops := a.countries[0].ops
		names := make([]string, 0, 2)
		for _, op := range ops[:min(2, len(ops))] {
			names = append(names, op.Operator)
		}
		where = fmt.Sprintf("%s on %s", a.en, strings.Join(names, " and "))
	} else {
		where = fmt.Sprintf("%d countries (%s)", len(a.countries), a.en)
	}
	switch {
	case p.unlimited:
		// Unlimited: every size and the speed limit are "-1".
		s.Days, s.PlanType, s.Capacity, s.HighFlowSize, s.LimitFlowSpeed = "1", "1", "-1", "-1", "-1"
		s.Name = fmt.Sprintf("%s Unlimited/Day", a.en)
		s.ZH.Name = fmt.Sprintf("%s 每日不限量", a.zh)
		s.Desc = fmt.Sprintf("Unlimited high-speed data in %s, bought by the day. Data only, no phone number.", where)
		s.ZH.Desc = fmt.Sprintf("%s不限量高速流量，按天购买。仅数据，无电话号码。", a.zh)
		s.SpeedLimitRule = "No speed limit."
		s.ZH.SpeedLimitRule = "不限速。"
	case p.daily():
		speed := "128"
		if p.dailyMB >= 2048 {
			speed = "384"
		}
		if p.dailyMB < 1024 {
			s.HotspotSupport = "0"
		}
		// Live daily SKUs say "-1" (not limited) for the total.
		s.Days, s.PlanType, s.Capacity = "1", "1", "-1"
		s.HighFlowSize = strconv.Itoa(p.dailyMB * kbPerMB)
		s.LimitFlowSpeed = speed
		s.Name = fmt.Sprintf("%s %s/Day", a.en, p.sizeText())
		s.ZH.Name = fmt.Sprintf("%s 每日%s", a.zh, p.sizeText())
		s.Desc = fmt.Sprintf("%s of high-speed data every day in %s. After that, unlimited data at %skbps until the next day (00:00 UTC+8). Data only, no phone number.", p.sizeText(), where, speed)
		s.ZH.Desc = fmt.Sprintf("%s每日%s高速流量，用完后限速%skbps不断网，次日0点（北京时间）恢复。仅数据，无电话号码。", a.zh, p.sizeText(), speed)
		s.SpeedLimitRule = fmt.Sprintf("After the daily high-speed data is used up, speed drops to %skbps.", speed)
		s.ZH.SpeedLimitRule = fmt.Sprintf("每日高速流量用完后限速至%skbps。", speed)
	default:
		s.Days, s.PlanType = strconv.Itoa(p.days), "0"
		s.Capacity = strconv.Itoa(p.gb * kbPerGB)
		if p.days >= 15 {
			// Many live total-data SKUs carry the amount in highFlowSize
			// and "-1" in capacity.
			s.Capacity, s.HighFlowSize = "-1", strconv.Itoa(p.gb*kbPerGB)
		}
		s.Name = fmt.Sprintf("%s %dGB %d Days", a.en, p.gb, p.days)
		s.ZH.Name = fmt.Sprintf("%s %dGB %d天", a.zh, p.gb, p.days)
		s.Desc = fmt.Sprintf("%dGB of high-speed data to use within %d days in %s. Data only, no phone number.", p.gb, p.days, where)
		s.ZH.Desc = fmt.Sprintf("%s %d天内可用%dGB高速流量。仅数据，无电话号码。", a.zh, p.days, p.gb)
		s.SpeedLimitRule = "Service stops when the data is used up."
		s.ZH.SpeedLimitRule = "流量用完后停止服务。"
	}
	for _, c := range a.countries {
		s.Country = append(s.Country, c.skuCountry())
	}
	return s
}

// Per-mille price factors relative to 1 GB / 7 days.
var (
	gbFactor    = map[int]int64{1: 1000, 2: 1700, 3: 2400, 5: 3600, 10: 6000, 15: 8000, 20: 10000, 30: 13500, 50: 20000}
	dayFactor   = map[int]int64{1: 700, 3: 800, 5: 900, 7: 1000, 10: 1050, 15: 1100, 30: 1250}
	dailyFactor = map[int]int64{500: 300, 1024: 450, 2048: 750}
	// unlimitedFactor prices a day of unlimited data.
	unlimitedFactor int64 = 1100
)

// Copies tiers F003 offers: total-data plans are bought 1–3 at a time, daily
// plans by the number of days.
var (
	totalCopies = []int{1, 2, 3}
	dailyCopies = []int{1, 3, 5, 7, 10, 15, 30}
)

// priceTiers prices a plan from its area's anchor price. Settlement is 70%
// of retail, the reseller margin the real price list shows for Japan.
func priceTiers(base int64, p plan) []PriceTier {
	var unit int64
	copies := totalCopies
	switch {
	case p.unlimited:
		unit = base * unlimitedFactor / 1000
		copies = dailyCopies
	case p.daily():
		unit = base * dailyFactor[p.dailyMB] / 1000
		copies = dailyCopies
	default:
		unit = base * gbFactor[p.gb] / 1000 * dayFactor[p.days] / 1000
	}
	unit = max(100, (unit+5)/10*10) // whole jiao, at least 1 CNY
	tiers := make([]PriceTier, 0, len(copies))
	for _, c := range copies {
		retail := unit * int64(c)
		switch {
		case c >= 30:
			retail = retail * 80 / 100
		case c >= 15:
			retail = retail * 85 / 100
		case c >= 7:
			retail = retail * 90 / 100
		case c >= 3 && !p.daily():
			retail = retail * 95 / 100
		}
		retail = (retail + 5) / 10 * 10
		tiers = append(tiers, PriceTier{
			Copies:          strconv.Itoa(c),
			RetailPrice:     formatFen(retail),
			SettlementPrice: formatFen((retail*70 + 50) / 100),
		})
	}
	return tiers
}
