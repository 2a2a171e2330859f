package web

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// CatalogSource is the part of the vendor API the catalog sync needs;
// *bc.Client implements it.
type CatalogSource interface {
	Countries(ctx context.Context, salesMethod string) ([]bc.Country, error)
	SKUs(ctx context.Context, q bc.SKUQuery) ([]bc.SKU, error)
	Prices(ctx context.Context, salesMethod string) ([]bc.SKUPrice, error)
}

var _ CatalogSource = (*bc.Client)(nil)

// syncTimeout bounds one whole catalog sync (three vendor calls and the write).
const syncTimeout = 2 * time.Minute

// SyncCatalog fetches F001, F002 and F003, and replaces the stored catalog
// in one transaction. Any failure — a vendor error, an unusable reply, a
// database error — leaves the previous catalog untouched and is recorded as
// a failed run. On success the in-memory snapshot is rebuilt.
func (a *App) SyncCatalog(ctx context.Context) (store.SyncRun, error) {
	a.syncMu.Lock()
	defer a.syncMu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	started := time.Now()
	cat, err := fetchCatalog(ctx, a.vendor, a.cfg.SalesMethod, a.log.Warn)
	var run store.SyncRun
	if err == nil {
		run, err = a.db.ReplaceCatalog(ctx, cat, started)
	}
	if err != nil {
		// Record with a fresh context: the sync's own may have expired.
		rctx, rcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer rcancel()
		if _, rerr := a.db.RecordSyncFailure(rctx, started, err); rerr != nil {
			a.log.Error("recording failed catalog sync", "err", rerr)
		}
		a.log.Error("catalog sync failed", "err", err, "duration", time.Since(started))
		return store.SyncRun{}, err
	}
	if err := a.reloadCatalog(ctx); err != nil {
		return run, fmt.Errorf("catalog stored but not reloaded: %w", err)
	}
	// A sync briefly needs several times the catalog's size (the vendor's
	// JSON, its decoding, the old and new snapshots); hand that memory back
	// to the system now rather than keep it resident until the next sync.
	debug.FreeOSMemory()
	a.log.Info("catalog synced", "products", run.Products, "added", run.Added, "removed", run.Removed,
		"price_changes", run.PriceChanges, "duration", run.Duration)
	return run, nil
}

// syncLoop syncs at once when the stored catalog is empty (retrying every
// minute until it works: an empty shop sells nothing), then every
// SyncInterval until ctx ends.
func (a *App) syncLoop(ctx context.Context) {
	n, err := a.db.CountActiveProducts(ctx)
	if err != nil {
		a.log.Error("counting products", "err", err)
	}
	for n == 0 && ctx.Err() == nil {
		if _, err := a.SyncCatalog(ctx); err == nil {
			break
		}
		if !sleep(ctx, time.Minute) {
			return
		}
	}
	if a.cfg.SyncInterval <= 0 {
		return
	}
	t := time.NewTicker(a.cfg.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, _ = a.SyncCatalog(ctx) // failures are logged and recorded
		}
	}
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

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
