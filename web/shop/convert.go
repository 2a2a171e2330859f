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
// store.Catalog of sellable eSIM products. Non-eSIM SKUs, SKUs without a
// price, and records that cannot be used are left out; warn is told why
// (by count, not one line per SKU).
func fetchCatalog(ctx context.Context, src CatalogSource, salesMethod string, warn func(msg string, args ...any)) (store.Catalog, error) {
	countries, err := src.Countries(ctx, salesMethod)
	if err != nil {
		return store.Catalog{}, fmt.Errorf("F001 countries: %w", err)
	}
	skus, err := src.SKUs(ctx, bc.SKUQuery{SalesMethod: salesMethod})
	if err != nil {
		return store.Catalog{}, fmt.Errorf("F002 plans: %w", err)
	}
	prices, err := src.Prices(ctx, salesMethod)
	if err != nil {
		return store.Catalog{}, fmt.Errorf("F003 prices: %w", err)
	}
	if len(skus) == 0 || len(prices) == 0 {
		return store.Catalog{}, errors.New("vendor returned an empty catalog; keeping the current one")
	}
	return convertCatalog(countries, skus, prices, warn), nil
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
	var notESIM, unpriced, unusable int
	seenSKU := map[string]bool{}
	for _, s := range skus {
		id := strings.TrimSpace(string(s.SKUID))
		switch {
		case !s.Orderable():
			notESIM++
		case tiers[id] == nil:
			unpriced++
		case id == "" || seenSKU[id] || s.Days <= 0:
			unusable++
		default:
			p, ok := convertSKU(id, s, tiers[id])
			if !ok {
				unusable++
				continue
			}
			seenSKU[id] = true
			out.Products = append(out.Products, p)
		}
	}
	if notESIM+unpriced+unusable+badTiers > 0 {
		warn("catalog sync skipped vendor records", "not_esim", notESIM, "unpriced", unpriced, "unusable", unusable, "bad_price_tiers", badTiers)
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
		SKUID:          id,
		Name:           strings.TrimSpace(string(s.Name)),
		Description:    strings.TrimSpace(string(s.Desc)),
		Type:           typ,
		Days:           int(s.Days),
		PlanType:       store.PlanTotal,
		DataKB:         int64(s.Capacity),
		DailyKB:        int64(s.HighFlowSize),
		SpeedAfterKbps: int64(s.LimitFlowSpeed),
		HotspotRaw:     strings.TrimSpace(string(s.HotspotSupport)),
		UsageCount:     int(s.UsageCount),
		Rechargeable:   s.RechargeableProduct == 1,
		NeedsUseTime:   s.EstimatedUseTimeFlag == 1,
		RefundPolicy:   strings.TrimSpace(string(s.RefundPolicy)),
		SpeedLimitRule: strings.TrimSpace(string(s.SpeedLimitRule)),
		Provider:       strings.TrimSpace(string(s.Provider)),
		ApplyToDevice:  strings.TrimSpace(string(s.ApplyToDevice)),
		Tiers:          tiers,
	}
	if s.PlanType == bc.PlanTypeDaily {
		p.PlanType = store.PlanDaily
	}
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
