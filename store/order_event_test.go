package store

import (
	"context"
	"testing"
	"time"
)

func TestAddOrderNote(t *testing.T) {
	ctx := context.Background()
	db, clk, o := paidOrder(t)
	at := t0.Add(time.Hour)
	clk.set(at)
	if err := db.AddOrderNote(ctx, o.ID, "F011: vendor says shipped"); err != nil {
		t.Fatal(err)
	}
	evs := mustEvents(t, db, o.ID)
	last := evs[len(evs)-1]
	if last.From != StatusPaid || last.To != StatusPaid || last.Cause != "F011: vendor says shipped" || !last.At.Equal(at) {
		t.Errorf("note event %+v", last)
	}
	if got := statusOf(t, db, o.ID); got.Status != StatusPaid {
		t.Errorf("a note changed the status to %s", got.Status)
	}
	if err := db.AddOrderNote(ctx, 999, "x"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown order: %v, want ENOTFOUND", err)
	}
	if err := db.AddOrderNote(ctx, o.ID, "  "); ErrorCode(err) != EINVALID {
		t.Errorf("empty note: %v, want EINVALID", err)
	}
}
