package shop

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// fetchCatalog calls F001, F002 and F003 and turns their replies into a
// store.Catalog of sellable eSIM products. Non-eSIM SKUs and SKUs without
// a price are left out quietly (warn is told how many); eSIM SKUs that
// fail decoding or validation are left out and listed in the catalog's
// Skipped with the reason, so the operator sees them in the sync history.
func fetchCatalog(ctx context.Context, src CatalogSource, salesMethod string, warn func(msg string, args ...any)) (store.Catalog, error) {
	countries, err := src.Countries(ctx, salesMethod)
	if err != nil {
		return store.Catalog{}, fmt.Errorf("F001 countries: %w", err)
	}
	skus, badSKUs, err := src.SKUs(ctx, bc.SKUQuery{SalesMethod: salesMethod})
	if err != nil {
		return store.Catalog{}, fmt.Errorf("F002 plans: %w", err)
	}
	prices, badPrices, err := src.Prices(ctx, salesMethod)
	if err != nil {
		return store.Catalog{}, fmt.Errorf("F003 prices: %w", err)
	}
	if len(skus) == 0 || len(prices) == 0 {
		return store.Catalog{}, errors.New("vendor returned an empty catalog; keeping the current one")
	}
	cat := convertCatalog(countries, skus, prices, warn)
	var rejected []store.SkippedSKU
	for _, r := range badSKUs {
		rejected = append(rejected, store.SkippedSKU{SKU: r.SKUID, Reason: "F002: " + r.Reason})
	}
	for _, r := range badPrices {
		rejected = append(rejected, store.SkippedSKU{SKU: r.SKUID, Reason: "F003: " + r.Reason})
	}
	cat.Skipped = append(rejected, cat.Skipped...)
	if len(cat.Products) == 0 {
		return store.Catalog{}, fmt.Errorf("no usable product in the vendor's catalog (%d skipped); keeping the current one", len(cat.Skipped))
	}
	return cat, nil
}

// convertCatalog is the pure part of fetchCatalog.
func convertCatalog(countries []bc.Country, skus []bc.SKU, prices []bc.SKUPrice, warn func(msg string, args ...any)) store.Catalog {
	var out store.Catalog
	seenCountry := map[string]bool{}
	for _, c := range countries {
		code, ok := isoCode(string(c.MCC))
		if !ok || seenCountry[code] {
			continue
		}
		seenCountry[code] = true
		out.Countries = append(out.Countries, store.Country{Code: code, Continent: string(c.Continent), FlagURL: string(c.URL)})
	}
	tiers := make(map[string][]store.PriceTier, len(prices))
	badTiers := 0
	for _, p := range prices {
		ts, bad := convertTiers(p.Price)
		badTiers += bad
		if len(ts) > 0 {
			tiers[strings.TrimSpace(string(p.SKUID))] = ts
		}
	}
	var notESIM, unpriced int
	seenSKU := map[string]bool{}
	skip := func(id, reason string) { out.Skipped = append(out.Skipped, store.SkippedSKU{SKU: id, Reason: reason}) }
	for _, s := range skus {
		id := strings.TrimSpace(string(s.SKUID))
		switch {
		case !s.Orderable():
			notESIM++
		case id == "":
			skip("", "no skuId")
		case seenSKU[id]:
			skip(id, "listed twice by F002")
		case tiers[id] == nil:
			unpriced++
		case s.Days <= 0:
			skip(id, fmt.Sprintf("days %d is not a positive number", s.Days))
		default:
			p, ok := convertSKU(id, s, tiers[id])
			if !ok {
				skip(id, "covers no recognisable country")
				continue
			}
			if err := store.ValidateProduct(p, true); err != nil {
				skip(id, err.Error())
				continue
			}
			seenSKU[id] = true
			out.Products = append(out.Products, p)
		}
	}
	if notESIM+unpriced+len(out.Skipped)+badTiers > 0 {
		warn("catalog sync skipped vendor records", "not_esim", notESIM, "unpriced", unpriced, "unusable", len(out.Skipped), "bad_price_tiers", badTiers)
	}
	return out
}

// convertTiers validates F003 tiers: copies ≥ 1 and unique, both prices
// exact non-negative decimals. It returns the good ones by copies and how
// many were dropped.
func convertTiers(in []bc.PriceTier) ([]store.PriceTier, int) {
	var out []store.PriceTier
	bad := 0
	seen := map[int]bool{}
	for _, t := range in {
		copies := int(t.Copies)
		_, rerr := billing.ParseDecimal(string(t.RetailPrice))
		_, serr := billing.ParseDecimal(string(t.SettlementPrice))
		if copies < 1 || seen[copies] || rerr != nil || serr != nil {
			bad++
			continue
		}
		seen[copies] = true
		out = append(out, store.PriceTier{
			Copies:          copies,
			RetailPrice:     strings.TrimSpace(string(t.RetailPrice)),
			SettlementPrice: strings.TrimSpace(string(t.SettlementPrice)),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Copies < out[j].Copies })
	return out, bad
}

// convertSKU turns a vendor SKU into a product; ok is false when it covers
// no recognisable country.
func convertSKU(id string, s bc.SKU, tiers []store.PriceTier) (store.Product, bool) {
	typ, _ := strconv.Atoi(string(s.Type))
	p := store.Product{
		SKUID:           id,
		Name:            strings.TrimSpace(string(s.Name)),
		Description:     strings.TrimSpace(string(s.Desc)),
		Type:            typ,
		Days:            int(s.Days),
		PlanType:        store.PlanTotal,
		HotspotRaw:      strings.TrimSpace(string(s.HotspotSupport)),
		UsageCount:      int(s.UsageCount),
		Rechargeable:    s.RechargeableProduct == 1,
		NeedsUseTime:    s.EstimatedUseTimeFlag == 1,
		UseTimeGapHours: max(int(s.EstimatedUseTimeGapHours), 0),
		RefundPolicy:    strings.TrimSpace(string(s.RefundPolicy)),
		SpeedLimitRule:  strings.TrimSpace(string(s.SpeedLimitRule)),
		Provider:        strings.TrimSpace(string(s.Provider)),
		ApplyToDevice:   strings.TrimSpace(string(s.ApplyToDevice)),
		Tiers:           tiers,
	}
	if s.PlanType == bc.PlanTypeDaily {
		p.PlanType = store.PlanDaily
	}
	p.DataKB, p.DailyKB, p.Unlimited = allowance(p.PlanType, int64(s.Capacity), int64(s.HighFlowSize))
	p.SpeedAfterKbps = max(int64(s.LimitFlowSpeed), 0) // -1: not throttled, nothing to show
	if v, err := strconv.Atoi(strings.TrimSpace(string(s.ValidityPeriod))); err == nil && v > 0 {
		p.ValidityDays = v
	}
	seen := map[string]bool{}
	var codes []string
	for _, c := range s.Country {
		code, ok := isoCode(string(c.MCC))
		if !ok || seen[code] {
			continue
		}
		seen[code] = true
		cv := store.Coverage{
			CountryCode: code,
			APN:         strings.TrimSpace(string(c.APN)),
			APNUsername: string(c.APNUsername),
			APNPassword: string(c.APNPassword),
			APNManual:   c.APNType == 1,
		}
		for _, o := range c.OperatorInfo {
			if name := strings.TrimSpace(string(o.Operator)); name != "" {
				cv.Operators = append(cv.Operators, store.Operator{Name: name, Network: strings.TrimSpace(string(o.Network)), Priority: int(o.Priority)})
			}
		}
		sort.SliceStable(cv.Operators, func(i, j int) bool { return cv.Operators[i].Priority < cv.Operators[j].Priority })
		p.Coverage = append(p.Coverage, cv)
		codes = append(codes, code)
	}
	if len(p.Coverage) == 0 {
		return store.Product{}, false
	}
	sort.Slice(p.Coverage, func(i, j int) bool { return p.Coverage[i].CountryCode < p.Coverage[j].CountryCode })
	p.Region = store.RegionFor(codes)
	return p, true
}

// allowance reads a SKU's data allowance from the vendor's capacity and
// highFlowSize (KB), where -1 means "not limited":
//   - a daily plan has highFlowSize per day; -1 there is unlimited data
//     (a capacity -1 on a daily plan only says the total is not capped);
//   - a total plan has capacity, or — when capacity is -1 or empty — its
//     amount in highFlowSize; -1 with no positive amount is unlimited.
//
// Sizes that say nothing (0, empty, other negatives) leave the size
// unknown (0), as before.
func allowance(pt store.PlanType, capacity, highFlow int64) (dataKB, dailyKB int64, unlimited bool) {
	if pt == store.PlanDaily {
		if highFlow == bc.Unlimited {
			return 0, 0, true
		}
		return max(capacity, 0), max(highFlow, 0), false
	}
	switch {
	case capacity > 0:
		return capacity, 0, false
	case highFlow > 0:
		return highFlow, 0, false
	case capacity == bc.Unlimited || highFlow == bc.Unlimited:
		return 0, 0, true
	}
	return 0, 0, false
}

// isoCode normalises a vendor "mcc" (an ISO 3166 alpha-2 code) to upper
// case; "UK", common in vendor data, becomes GB.
func isoCode(s string) (string, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if s == "UK" {
		s = "GB"
	}
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return "", false
	}
	return s, true
}
