package web

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/esimshop/esimshop/bc/sandbox"
)

// TestSyncSellsOnlyPricedESIMs checks that non-eSIM SKUs and SKUs without a
// price never reach the shop: not as pages, not in the sitemap.
func TestSyncSellsOnlyPricedESIMs(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	cat := sandbox.Default()
	priced := map[string]bool{}
	for _, p := range cat.Prices {
		priced[p.SKUID] = true
	}
	sitemap := s.get(t, "/sitemap.xml")
	body, err := io.ReadAll(sitemap.Body)
	if err != nil {
		t.Fatal(err)
	}
	var sold, notSold int
	for _, sku := range cat.SKUs {
		sellable := (sku.Type == "3105" || sku.Type == "3106") && priced[sku.SKUID]
		resp := s.get(t, "/plans/"+sku.SKUID)
		inSitemap := strings.Contains(string(body), "/plans/"+sku.SKUID+"?")
		switch {
		case sellable && (resp.StatusCode != http.StatusOK || !inSitemap):
			t.Errorf("eSIM SKU %s (type %s) not sold: status %d, in sitemap %v", sku.SKUID, sku.Type, resp.StatusCode, inSitemap)
		case !sellable && (resp.StatusCode != http.StatusNotFound || inSitemap):
			t.Errorf("SKU %s (type %s, priced %v) sold: status %d, in sitemap %v", sku.SKUID, sku.Type, priced[sku.SKUID], resp.StatusCode, inSitemap)
		}
		if sellable {
			sold++
		} else {
			notSold++
		}
	}
	if sold < 50 || notSold < 3 {
		t.Errorf("sandbox catalog too small for this test: %d sellable, %d not", sold, notSold)
	}
}

// TestSyncFailureKeepsCatalog checks that a vendor failure in the middle of
// a sync leaves the previous catalog in place and is recorded.
func TestSyncFailureKeepsCatalog(t *testing.T) {
	for _, trade := range []string{"F001", "F002", "F003"} {
		t.Run(trade, func(t *testing.T) {
			s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
			ctx := context.Background()
			before, err := s.db.ActiveProducts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			s.sandbox.FailNext(trade, 1, "9999", "系统繁忙")
			if _, err := s.app.SyncCatalog(ctx); err == nil {
				t.Fatal("sync succeeded despite a vendor failure")
			}
			after, err := s.db.ActiveProducts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != len(before) || len(after) == 0 {
				t.Fatalf("catalog changed: %d products before, %d after", len(before), len(after))
			}
			last, err := s.db.LastSync(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if last.OK || !strings.Contains(last.Error, trade) {
				t.Errorf("last sync = %+v, want a failure naming %s", last, trade)
			}
			if resp := s.get(t, "/destinations/jp"); resp.StatusCode != http.StatusOK {
				t.Errorf("country page after failed sync: %d", resp.StatusCode)
			}
			// The next sync works again and changes nothing.
			run, err := s.app.SyncCatalog(ctx)
			if err != nil || run.Added != 0 || run.Removed != 0 || run.PriceChanges != 0 {
				t.Errorf("re-sync = %+v, %v", run, err)
			}
		})
	}
}

// TestPricesFollowTheRule checks that every plan page shows, for every tier,
// the price the rule gives for the vendor's F003 price — in JPY too.
func TestPricesFollowTheRule(t *testing.T) {
	tests := []struct {
		name                               string
		basis, fx, markup, charm, currency string
	}{
		{"usd retail markup charm", "retail", "0.1389", "15", "0.99", "usd"},
		{"usd settlement", "settlement", "0.1389", "40", "", "usd"},
		{"jpy zero decimal", "retail", "20.5", "10", "80", "jpy"},
		{"eur", "retail", "0.128", "0", "", "eur"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := mustRule(t, tt.basis, tt.fx, tt.markup, tt.charm, tt.currency)
			s := newTestShop(t, rule)
			products, err := s.db.ActiveProducts(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			checked := 0
			for _, p := range products[:min(len(products), 12)] {
				pl := s.app.snapshot().Plan(p.SKUID)
				if pl == nil {
					continue
				}
				page := doc(t, s.get(t, "/plans/"+p.SKUID+"?lang=en")).Text()
				for _, tier := range p.Tiers {
					want, err := rule.Price(tier.RetailPrice, tier.SettlementPrice)
					if err != nil {
						if _, sold := pl.Tier(tier.Copies); sold {
							t.Errorf("%s × %d sold although the rule says %v", p.SKUID, tier.Copies, err)
						}
						continue
					}
					if !strings.Contains(page, want.Format("en")) {
						t.Errorf("%s × %d: page does not show %s", p.SKUID, tier.Copies, want.Format("en"))
					}
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("no price checked")
			}
		})
	}
}

// TestSyncRecordsRuns checks the sync history of a first and a repeated sync.
func TestSyncRecordsRuns(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	ctx := context.Background()
	if _, err := s.app.SyncCatalog(ctx); err != nil {
		t.Fatal(err)
	}
	runs, err := s.db.SyncRuns(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 {
		t.Fatalf("%d runs recorded, want 2", len(runs))
	}
	first, second := runs[1], runs[0]
	if !first.OK || first.Added == 0 || first.Added != first.Products {
		t.Errorf("first run = %+v", first)
	}
	if !second.OK || second.Added != 0 || second.Products != first.Products {
		t.Errorf("second run = %+v", second)
	}
}

// TestHealthAndReadiness checks /healthz and /readyz, which turns 503
// while the last catalog sync has failed.
func TestHealthAndReadiness(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	check := func(path string, want int) {
		t.Helper()
		if resp := s.get(t, path); resp.StatusCode != want || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: %d %q, want %d", path, resp.StatusCode, resp.Header.Get("Cache-Control"), want)
		}
	}
	check("/healthz", http.StatusOK)
	check("/readyz", http.StatusOK)
	s.sandbox.FailNext("F002", 1, "9999", "系统繁忙")
	if _, err := s.app.SyncCatalog(context.Background()); err == nil {
		t.Fatal("sync succeeded")
	}
	check("/readyz", http.StatusServiceUnavailable)
	check("/healthz", http.StatusOK)
	if _, err := s.app.SyncCatalog(context.Background()); err != nil {
		t.Fatal(err)
	}
	check("/readyz", http.StatusOK)
}
