package store

import (
	"context"
	"testing"
	"time"
)

func TestCustomers(t *testing.T) {
	db := reportFixture(t) // three paid orders of buyer@example.com, one refunded
	other := validNewOrder()
	other.Email = "Zed@Example.com"
	o := mustCreate(t, db, other)
	mustSetRef(t, db, o.ID, "cs_z")
	mustPay(t, db, o.ID, "cs_z")
	ctx := context.Background()

	got, total, err := db.Customers(ctx, CustomerFilter{})
	if err != nil || total != 2 || len(got) != 2 {
		t.Fatalf("Customers = %+v, %d, %v; want 2", got, total, err)
	}
	b := got[0]
	if b.Email != "buyer@example.com" || b.Orders != 3 || b.Refunded != 1 || b.ESIMs != 9 || b.Spent != 2*fixtureTotal ||
		!b.First.Equal(t0) || !b.Last.Equal(t0.AddDate(0, 0, 3)) || b.Currency != "usd" {
		t.Errorf("buyer = %+v", b)
	}
	if z := got[1]; z.Email != "zed@example.com" || z.Orders != 1 || z.Spent != fixtureTotal {
		t.Errorf("zed = %+v", z)
	}
	// Prefix search ignores case; paging keeps the total.
	got, total, err = db.Customers(ctx, CustomerFilter{Q: "ZE"})
	if err != nil || total != 1 || len(got) != 1 || got[0].Email != "zed@example.com" {
		t.Errorf("search = %+v, %d, %v", got, total, err)
	}
	got, total, err = db.Customers(ctx, CustomerFilter{Limit: 1, Offset: 1})
	if err != nil || total != 2 || len(got) != 1 || got[0].Email != "zed@example.com" {
		t.Errorf("page 2 = %+v, %d, %v", got, total, err)
	}
	var n int
	if err := db.ExportCustomers(ctx, CustomerFilter{}, func(Customer) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("ExportCustomers = %d, %v", n, err)
	}
}

func TestExportOrders(t *testing.T) {
	db := reportFixture(t)
	ctx := context.Background()
	var rows []OrderExportRow
	err := db.ExportOrders(ctx, OrderFilter{Status: StatusPendingPayment}, func(r OrderExportRow) error {
		rows = append(rows, r)
		return nil
	})
	// The unpaid order: two lines, A with its recorded cost.
	if err != nil || len(rows) != 2 || rows[0].Line != 1 || rows[0].SKUID != "A" || rows[0].Cost != 140 ||
		rows[1].SKUID != "B" || rows[1].Cost != 0 || !rows[0].PaidAt.IsZero() {
		t.Fatalf("pending export = %+v, %v", rows, err)
	}
	rows = nil
	err = db.ExportOrders(ctx, OrderFilter{Limit: 1}, func(r OrderExportRow) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil || len(rows) != 8 {
		t.Fatalf("export all = %d rows, %v; want 8 (Limit ignored)", len(rows), err)
	}
	refunded := 0
	for _, r := range rows {
		if !r.RefundAt.IsZero() {
			refunded++
			if !r.RefundAt.Equal(t0.Add(24 * time.Hour)) {
				t.Errorf("refunded at %v", r.RefundAt)
			}
		}
	}
	if refunded != 2 {
		t.Errorf("refunded lines = %d, want 2", refunded)
	}
}
