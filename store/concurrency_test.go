package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestReadsNotBlockedByWriteTx holds the write lock mid-transaction and
// checks that readers still answer promptly with the committed data.
func TestReadsNotBlockedByWriteTx(t *testing.T) {
	db, _ := openTestDB(t)
	mustReplace(t, db, catalogOf(product("A", "1")))

	inTx := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.withTx(context.Background(), func(tx *sql.Tx) error {
			if _, err := tx.Exec(`UPDATE products SET name = 'uncommitted'`); err != nil {
				return err
			}
			close(inTx)
			<-release
			return fmt.Errorf("roll back")
		})
	}()
	<-inTx
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ps, err := db.ActiveProducts(ctx)
	if err != nil || len(ps) != 1 || ps[0].Name != "Plan A" {
		t.Errorf("ActiveProducts during a write tx = %+v, %v; want committed Plan A", ps, err)
	}
	if p, err := db.Product(ctx, "A"); err != nil || p.Name != "Plan A" {
		t.Errorf("Product during a write tx = %+v, %v", p, err)
	}
	close(release)
	if err := <-done; err == nil || err.Error() != "roll back" {
		t.Fatalf("withTx = %v, want the callback's error", err)
	}
	if p, _ := db.Product(context.Background(), "A"); p.Name != "Plan A" {
		t.Errorf("failed tx was committed: name %q", p.Name)
	}
}

// TestReadsDuringSyncSeeWholeCatalogs alternates two catalogs that differ
// in every SKU's price while readers load the catalog: every read must see
// exactly one version, never a mix.
func TestReadsDuringSyncSeeWholeCatalogs(t *testing.T) {
	db, _ := openTestDB(t)
	version := func(v string) Catalog {
		var ps []Product
		for i := 0; i < 200; i++ {
			ps = append(ps, product(fmt.Sprintf("S%03d", i), v))
		}
		return catalogOf(ps...)
	}
	a, b := version("1"), version("2")
	mustReplace(t, db, a)

	ctx := context.Background()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for r := 0; r < 2; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for reads := 0; ; reads++ {
				select {
				case <-stop:
					if reads == 0 {
						errs <- fmt.Errorf("reader never ran")
					}
					return
				default:
				}
				ps, err := db.ActiveProducts(ctx)
				if err != nil {
					errs <- err
					return
				}
				if len(ps) != 200 {
					errs <- fmt.Errorf("read %d products, want 200", len(ps))
					return
				}
				for _, p := range ps {
					if p.Tiers[0].RetailPrice != ps[0].Tiers[0].RetailPrice {
						errs <- fmt.Errorf("mixed catalog: %s at %s, %s at %s", ps[0].SKUID,
							ps[0].Tiers[0].RetailPrice, p.SKUID, p.Tiers[0].RetailPrice)
						return
					}
				}
			}
		}()
	}
	for i := 0; i < 6; i++ {
		c := b
		if i%2 == 1 {
			c = a
		}
		run := mustReplace(t, db, c)
		if run.PriceChanges != 200 {
			t.Errorf("sync %d: PriceChanges = %d, want 200", i, run.PriceChanges)
		}
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
