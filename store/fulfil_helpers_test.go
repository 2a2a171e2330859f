package store

import (
	"context"
	"testing"
	"time"
)

// paidOrder returns a database with one paid validNewOrder order (lines
// "…-1" with quantity 2 and "…-2" with quantity 1) and its queued
// place_order job, due at t0.
func paidOrder(t *testing.T) (*DB, *testClock, Order) {
	t.Helper()
	db, clk, in := orderFixture(t)
	o := mustCreate(t, db, in)
	mustSetRef(t, db, o.ID, "cs_1")
	mustPay(t, db, o.ID, "cs_1")
	return db, clk, statusOf(t, db, o.ID)
}

// newPaidOrder adds another paid validNewOrder order to db.
func newPaidOrder(t *testing.T, db *DB, ref string) Order {
	t.Helper()
	o := mustCreate(t, db, validNewOrder())
	mustSetRef(t, db, o.ID, ref)
	mustPay(t, db, o.ID, ref)
	return statusOf(t, db, o.ID)
}

// esimFor is a delivered eSIM for the line with number line.
func esimFor(line, iccid string) ESIM {
	return ESIM{
		LineNumber: line, VendorSubOrderID: "SUB-" + line, UID: "uid-" + iccid, ICCID: iccid,
		LPA: "LPA:1$smdp.example.com$AC" + iccid, SMDP: "smdp.example.com", ActivationCode: "AC" + iccid,
		APN: "bc.apn", PIN: "1234", PUK: "12345678", MSISDN: "", InstallBy: t0.Add(30 * 24 * time.Hour),
		Rechargeable: true,
	}
}

// fullDelivery is every eSIM validNewOrder's order o needs: two for line 1
// and one for line 2.
func fullDelivery(o Order) []ESIM {
	return []ESIM{
		esimFor(o.Lines[0].Number, "8985200000000000001"),
		esimFor(o.Lines[0].Number, "8985200000000000002"),
		esimFor(o.Lines[1].Number, "8985200000000000003"),
	}
}

// mustPlacing moves a paid order to placing.
func mustPlacing(t *testing.T, db *DB, id int64) {
	t.Helper()
	if _, err := db.MarkPlacing(context.Background(), id, "worker"); err != nil {
		t.Fatalf("MarkPlacing: %v", err)
	}
}

// countJobsOf counts jobs of kind for one order.
func countJobsOf(t *testing.T, db *DB, kind string, orderID int64) int {
	t.Helper()
	jobs, err := db.Jobs(context.Background(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, j := range jobs {
		if j.Kind == kind {
			n++
		}
	}
	return n
}

// notes returns the causes of an order's status-less events.
func notes(t *testing.T, db *DB, id int64) []string {
	t.Helper()
	var out []string
	for _, e := range mustEvents(t, db, id) {
		if e.From == e.To {
			out = append(out, e.Cause)
		}
	}
	return out
}
