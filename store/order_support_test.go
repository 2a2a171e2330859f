package store

import (
	"context"
	"strings"
	"testing"
)

func TestChangeOrderEmail(t *testing.T) {
	db, _, o := paidOrder(t)
	ctx := context.Background()
	for _, bad := range []string{"", "no-at", "a@", "two words@example.com", strings.Repeat("a", MaxEmailLen) + "@x.io"} {
		if _, err := db.ChangeOrderEmail(ctx, o.ID, bad, "ops"); ErrorCode(err) != EINVALID {
			t.Errorf("%q: %v, want EINVALID", bad, err)
		}
	}
	if cur := statusOf(t, db, o.ID); cur.Email != o.Email {
		t.Fatalf("a refused change stored %q", cur.Email)
	}
	if changed, err := db.ChangeOrderEmail(ctx, o.ID, " fixed@example.org ", "ops@example.com"); err != nil || !changed {
		t.Fatalf("change: %v, %v", changed, err)
	}
	if changed, err := db.ChangeOrderEmail(ctx, o.ID, "fixed@example.org", "ops@example.com"); err != nil || changed {
		t.Fatalf("same again: %v, %v", changed, err)
	}
	if cur := statusOf(t, db, o.ID); cur.Email != "fixed@example.org" {
		t.Fatalf("email %q", cur.Email)
	}
	evs, err := db.OrderEvents(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if strings.Contains(e.Cause, "buyer email changed from "+o.Email+" to fixed@example.org by ops@example.com") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d change events in %+v", n, evs)
	}
	if rows, _, _ := db.SearchOrders(ctx, OrderFilter{Q: "example.org"}); len(rows) != 1 {
		t.Fatalf("search by the new domain: %d rows", len(rows))
	}
	if _, err := db.ChangeOrderEmail(ctx, 9999, "a@b.c", "ops"); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("unknown order: %v", err)
	}
}
