package shop

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
)

// mergeSKU applies an N006 record to the stored product: only the fields
// the record carries (bc.SKU.Has) change. Plan type, the use-time flag and
// top-up support are never cleared by their absence, and the shop's
// English name and description are not replaced by empty or Chinese text.
func mergeSKU(p store.Product, s bc.SKU) store.Product {
	if s.Has("type") && strings.TrimSpace(string(s.Type)) != "" {
		p.Type, _ = strconv.Atoi(strings.TrimSpace(string(s.Type)))
	}
	p.Name = betterText(p.Name, s.Has("name"), string(s.Name))
	p.Description = betterText(p.Description, s.Has("desc"), string(s.Desc))
	if s.Has("days") && s.Days > 0 {
		p.Days = int(s.Days)
	}
	if s.Has("planType") {
		p.PlanType = store.PlanTotal
		if s.PlanType == bc.PlanTypeDaily {
			p.PlanType = store.PlanDaily
		}
	}
	if s.Has("capacity") || s.Has("highFlowSize") || s.Has("planType") {
		// Start from what is stored, in the vendor's terms, and let the
		// notice's values win.
		capacity, highFlow := p.DataKB, p.DailyKB
		if p.PlanType == store.PlanTotal {
			highFlow = p.DataKB
		}
		if p.Unlimited {
			capacity, highFlow = bc.Unlimited, bc.Unlimited
		}
		if s.Has("capacity") {
			capacity = int64(s.Capacity)
		}
		if s.Has("highFlowSize") {
			highFlow = int64(s.HighFlowSize)
		}
		p.DataKB, p.DailyKB, p.Unlimited = allowance(p.PlanType, capacity, highFlow)
	}
	if s.Has("limitFlowSpeed") {
		p.SpeedAfterKbps = max(int64(s.LimitFlowSpeed), 0)
	}
	if s.Has("hotspotSupport") {
		p.HotspotRaw = strings.TrimSpace(string(s.HotspotSupport))
	}
	if s.Has("validityPeroid") {
		if v, err := strconv.Atoi(strings.TrimSpace(string(s.ValidityPeriod))); err == nil && v > 0 {
			p.ValidityDays = v
		}
	}
	if s.Has("usageCount") && s.UsageCount > 0 {
		p.UsageCount = int(s.UsageCount)
	}
	if s.Has("rechargeableProduct") {
		p.Rechargeable = s.RechargeableProduct == 1
	}
	if s.Has("estimatedUseTimeFlag") {
		p.NeedsUseTime = s.EstimatedUseTimeFlag == 1
	}
	if s.Has("estimatedUseTimeGapHours") && s.EstimatedUseTimeGapHours >= 0 {
		p.UseTimeGapHours = int(s.EstimatedUseTimeGapHours)
	}
	p.RefundPolicy = betterText(p.RefundPolicy, s.Has("refundPolicy"), string(s.RefundPolicy))
	p.SpeedLimitRule = betterText(p.SpeedLimitRule, s.Has("speedLimitRule"), string(s.SpeedLimitRule))
	p.Provider = betterText(p.Provider, s.Has("provider"), string(s.Provider))
	p.ApplyToDevice = betterText(p.ApplyToDevice, s.Has("applyToDevice"), string(s.ApplyToDevice))
	if s.Has("country") && len(s.Country) > 0 {
		if cov, ok := convertSKU(p.SKUID, s, nil); ok {
			p.Coverage, p.Region = cov.Coverage, cov.Region
		}
	}
	return p
}

// betterText keeps stored unless the notice carries a non-empty value that
// is not a Chinese replacement for text the shop has in English (the
// catalog is fetched in English; N006 often comes in Chinese).
func betterText(stored string, has bool, incoming string) string {
	incoming = strings.TrimSpace(incoming)
	if !has || incoming == "" {
		return stored
	}
	if hasHan(incoming) && stored != "" && !hasHan(stored) {
		return stored
	}
	return incoming
}

// hasHan reports whether s contains Chinese characters.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
