package store

import (
	"context"
	"testing"
	"time"
)

// benchSKUs is the catalog size the shop must handle comfortably.
const benchSKUs = 5000

// BenchmarkReplaceCatalog measures a full sync of 5,000 SKUs: "first" into
// an empty database (every row written) and "changed" over a catalog whose
// every price differs (every product rewritten), the two expensive cases.
func BenchmarkReplaceCatalog(b *testing.B) {
	v1, v2 := largeCatalog(benchSKUs, 1), largeCatalog(benchSKUs, 2)
	ctx := context.Background()
	b.Run("first", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			db, _ := openTestDB(b)
			b.StartTimer()
			run, err := db.ReplaceCatalog(ctx, v1, time.Now())
			if err != nil || run.Added != benchSKUs {
				b.Fatalf("run = %+v, %v", run, err)
			}
		}
	})
	b.Run("changed", func(b *testing.B) {
		db, _ := openTestDB(b)
		mustReplace(b, db, v1)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			c := v2
			if i%2 == 1 {
				c = v1
			}
			run, err := db.ReplaceCatalog(ctx, c, time.Now())
			if err != nil || run.PriceChanges != benchSKUs {
				b.Fatalf("run = %+v, %v", run, err)
			}
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		db, _ := openTestDB(b)
		mustReplace(b, db, v1)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := db.ReplaceCatalog(ctx, v1, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkActiveProducts measures loading the whole 5,000-SKU catalog, as
// the web layer does at start-up and after every sync.
func BenchmarkActiveProducts(b *testing.B) {
	db, _ := openTestDB(b)
	mustReplace(b, db, largeCatalog(benchSKUs, 1))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ps, err := db.ActiveProducts(ctx)
		if err != nil || len(ps) != benchSKUs {
			b.Fatalf("%d products, %v", len(ps), err)
		}
	}
}

// TestLargeCatalogRoundTrip checks correctness at scale on a slice of the
// benchmark data: wide regional and global plans survive intact.
func TestLargeCatalogRoundTrip(t *testing.T) {
	db, _ := openTestDB(t)
	c := largeCatalog(100, 1)
	mustReplace(t, db, c)
	ps, err := db.ActiveProducts(context.Background())
	if err != nil || len(ps) != 100 {
		t.Fatalf("%d products, %v", len(ps), err)
	}
	for i, p := range ps {
		in := c.Products[i]
		if p.SKUID != in.SKUID || len(p.Coverage) != len(in.Coverage) || len(p.Tiers) != 5 {
			t.Fatalf("product %d: %s with %d countries, %d tiers; want %s with %d, 5",
				i, p.SKUID, len(p.Coverage), len(p.Tiers), in.SKUID, len(in.Coverage))
		}
		wantRegion := map[int]string{1: "", 30: "europe", 150: "global"}[len(in.Coverage)]
		if p.Region != wantRegion {
			t.Errorf("%s: %d countries, region %q, want %q", p.SKUID, len(in.Coverage), p.Region, wantRegion)
		}
		for _, cv := range p.Coverage {
			if len(cv.Operators) != 2 || cv.Operators[0].Priority != 1 {
				t.Fatalf("%s %s operators = %+v", p.SKUID, cv.CountryCode, cv.Operators)
			}
		}
	}
}
