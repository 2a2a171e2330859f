package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSyncRuns(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	if _, err := db.LastSync(ctx); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("LastSync on a new DB = %v, want ENOTFOUND", err)
	}
	if runs, err := db.SyncRuns(ctx, 10); err != nil || len(runs) != 0 {
		t.Fatalf("SyncRuns on a new DB = %+v, %v", runs, err)
	}
	if _, err := db.SyncRuns(ctx, 0); ErrorCode(err) != EINVALID {
		t.Errorf("SyncRuns(0) = %v, want EINVALID", err)
	}

	clk.set(t0.Add(2 * time.Second))
	fail1, err := db.RecordSyncFailure(ctx, t0, errors.New("F002: vendor timeout"))
	if err != nil {
		t.Fatalf("RecordSyncFailure: %v", err)
	}
	want := SyncRun{ID: fail1.ID, StartedAt: t0, Duration: 2 * time.Second, Error: "F002: vendor timeout"}
	if fail1.ID == 0 || !reflect.DeepEqual(fail1, want) {
		t.Errorf("failure run = %+v, want %+v", fail1, want)
	}

	clk.set(t0.Add(time.Hour + 3*time.Second))
	ok, err := db.ReplaceCatalog(ctx, catalogOf(product("A", "1"), product("B", "1")), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}

	// A failure after a good sync reports the catalog still being served;
	// a clock that jumped back gives a zero duration, not a negative one.
	long := strings.Repeat("é", maxSyncErrorLen) // 2 bytes a rune
	clk.set(t0)
	fail2, err := db.RecordSyncFailure(ctx, t0.Add(2*time.Hour), errors.New(long))
	if err != nil {
		t.Fatal(err)
	}
	if fail2.OK || fail2.Products != 2 || fail2.Duration != 0 || len(fail2.Error) != maxSyncErrorLen || !strings.HasPrefix(long, fail2.Error) {
		t.Errorf("second failure = %+v (error %d bytes)", fail2, len(fail2.Error))
	}
	if fail3, err := db.RecordSyncFailure(ctx, t0, nil); err != nil || fail3.Error == "" {
		t.Errorf("RecordSyncFailure(nil) = %+v, %v; want a non-empty error text", fail3, err)
	}

	runs, err := db.SyncRuns(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 || !reflect.DeepEqual(runs[1], fail2) || !reflect.DeepEqual(runs[2], ok) {
		t.Errorf("SyncRuns(3) = %+v; want newest first: fail3, fail2, ok", runs)
	}
	all, _ := db.SyncRuns(ctx, 100)
	if len(all) != 4 || !reflect.DeepEqual(all[3], fail1) {
		t.Errorf("SyncRuns(100) = %+v", all)
	}
}

func TestSyncRunListsSKUs(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	mustReplace(t, db, catalogOf(product("B", "1"), product("A", "1"), product("C", "1")))
	run := mustReplace(t, db, catalogOf(product("A", "2"), product("D", "1"), product("E", "1")))
	want := SyncRun{Added: 2, Removed: 2, PriceChanges: 1, AddedSKUs: []string{"D", "E"}, RemovedSKUs: []string{"B", "C"},
		ChangedSKUs: []string{"A"}}
	if run.Added != want.Added || run.Removed != want.Removed || run.PriceChanges != want.PriceChanges ||
		!reflect.DeepEqual(run.AddedSKUs, want.AddedSKUs) || !reflect.DeepEqual(run.RemovedSKUs, want.RemovedSKUs) ||
		!reflect.DeepEqual(run.ChangedSKUs, want.ChangedSKUs) {
		t.Fatalf("run = %+v, want %+v", run, want)
	}
	stored, err := db.LastSync(ctx)
	if err != nil || !reflect.DeepEqual(stored, run) {
		t.Errorf("stored run = %+v, %v\nwant %+v", stored, err, run)
	}

	// The lists are capped; the counts are not.
	var ps []Product
	for i := 0; i < MaxSyncRunSKUs+5; i++ {
		ps = append(ps, product(fmt.Sprintf("N%04d", i), "1"))
	}
	big := mustReplace(t, db, catalogOf(ps...))
	if big.Added != MaxSyncRunSKUs+5 || len(big.AddedSKUs) != MaxSyncRunSKUs || big.AddedSKUs[0] != "N0000" ||
		big.Removed != 3 || !reflect.DeepEqual(big.RemovedSKUs, []string{"A", "D", "E"}) {
		t.Errorf("big run: added %d (%d listed), removed %v", big.Added, len(big.AddedSKUs), big.RemovedSKUs)
	}
	if failed, err := db.RecordSyncFailure(ctx, t0, fmt.Errorf("boom")); err != nil || failed.AddedSKUs != nil {
		t.Errorf("failure run = %+v, %v", failed, err)
	}
	if last, _ := db.LastSync(ctx); last.AddedSKUs != nil || last.RemovedSKUs != nil {
		t.Errorf("stored failure lists SKUs: %+v", last)
	}
}
