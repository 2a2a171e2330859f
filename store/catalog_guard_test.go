package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestReplaceCatalogGuarded(t *testing.T) {
	ctx := context.Background()
	ten := make([]Product, 10)
	for i := range ten {
		ten[i] = product(fmt.Sprintf("S%02d", i), "5")
	}
	tests := []struct {
		name     string
		keep     int // how many of the ten live products the new catalog still has
		maxDrop  float64
		wantHeld bool
	}{
		{"drops half, at the limit", 5, 0.5, false},
		{"drops six of ten", 4, 0.5, true},
		{"drops everything but one, guard off", 1, 1, false},
		{"drops one, strict limit", 9, 0.05, true},
		{"drops nothing", 10, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := openTestDB(t)
			mustReplace(t, db, catalogOf(ten...))
			next := catalogOf(append(append([]Product(nil), ten[:tt.keep]...), product("NEW", "5"))...)
			next.Skipped = []SkippedSKU{{SKU: "BAD", Reason: "capacity: \"1.5\" is not an integer"}}
			run, err := db.ReplaceCatalogGuarded(ctx, next, t0, tt.maxDrop)
			if err != nil {
				t.Fatalf("ReplaceCatalogGuarded: %v", err)
			}
			if run.Held != tt.wantHeld || run.OK == tt.wantHeld {
				t.Fatalf("run = %+v, want held %v", run, tt.wantHeld)
			}
			active, _ := db.CountActiveProducts(ctx)
			if tt.wantHeld {
				if active != 10 || run.Removed != 10-tt.keep || !strings.HasPrefix(run.Error, "held:") {
					t.Errorf("held run %+v left %d active; want the 10 live ones untouched", run, active)
				}
			} else if active != tt.keep+1 {
				t.Errorf("active = %d, want %d", active, tt.keep+1)
			}
			last, err := db.LastSync(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if last.Held != tt.wantHeld || last.Skipped != 1 || !reflect.DeepEqual(last.SkippedSKUs, next.Skipped) {
				t.Errorf("stored run = %+v", last)
			}
			held, err := db.HeldCatalog(ctx, run.ID)
			if !tt.wantHeld {
				if ErrorCode(err) != ENOTFOUND {
					t.Errorf("a live run kept a held catalog: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(held, next) {
				t.Errorf("held catalog differs from the one fetched:\n got %+v\nwant %+v", held, next)
			}
		})
	}
}

// TestHeldCatalogLifetime checks that only the newest held run keeps its
// catalog, and that a sync going live forgets it.
func TestHeldCatalogLifetime(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	ten := make([]Product, 10)
	for i := range ten {
		ten[i] = product(fmt.Sprintf("S%02d", i), "5")
	}
	mustReplace(t, db, catalogOf(ten...))
	first, err := db.ReplaceCatalogGuarded(ctx, catalogOf(ten[:2]...), t0, 0.5)
	if err != nil || !first.Held {
		t.Fatalf("first = %+v, %v", first, err)
	}
	second, err := db.ReplaceCatalogGuarded(ctx, catalogOf(ten[:3]...), t0, 0.5)
	if err != nil || !second.Held {
		t.Fatalf("second = %+v, %v", second, err)
	}
	if _, err := db.HeldCatalog(ctx, first.ID); ErrorCode(err) != ENOTFOUND {
		t.Errorf("an older held run kept its catalog: %v", err)
	}
	if c, err := db.HeldCatalog(ctx, second.ID); err != nil || len(c.Products) != 3 {
		t.Fatalf("newest held catalog: %d products, %v", len(c.Products), err)
	}
	mustReplace(t, db, catalogOf(ten...))
	if _, err := db.HeldCatalog(ctx, second.ID); ErrorCode(err) != ENOTFOUND {
		t.Errorf("a live sync left the held catalog: %v", err)
	}
}

func TestUnlimitedProductRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	p := product("UNL", "9")
	p.DataKB, p.Unlimited, p.SpeedAfterKbps = 0, true, 1024
	mustReplace(t, db, catalogOf(p))
	got, err := db.Product(ctx, "UNL")
	if err != nil || !got.Unlimited || got.DataKB != 0 || got.SpeedAfterKbps != 1024 {
		t.Fatalf("Product = %+v, %v", got, err)
	}
	bad := p
	bad.DataKB = 1 << 20
	if err := ValidateProduct(bad, true); err == nil {
		t.Error("ValidateProduct accepted an unlimited plan with a data size")
	}
	for _, raw := range []struct {
		raw             string
		supported, know bool
	}{{"1", true, true}, {"0", false, true}, {"", false, false}, {"2", false, false}} {
		if s, k := (Product{HotspotRaw: raw.raw}).HotspotSupported(); s != raw.supported || k != raw.know {
			t.Errorf("HotspotSupported(%q) = %v, %v", raw.raw, s, k)
		}
	}
}
