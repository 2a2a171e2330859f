package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
)

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
