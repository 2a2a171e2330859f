package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"reflect"
	"syscall"
	"testing"
	"time"
)

// reportFixture is a database with: two orders paid on Friday t0 (one of
// them refunded the next day, before it was placed), one paid the next
// Monday, and one never paid. Line A carries a recorded unit cost of 70,
// line B none (settlement "9").
func reportFixture(t *testing.T) *DB {
	t.Helper()
	db, clk, _ := orderFixture(t)
	in := validNewOrder()
	in.Lines[0].UnitCost = 70
	pay := func(ref string) Order {
		o := mustCreate(t, db, in)
		mustSetRef(t, db, o.ID, ref)
		mustPay(t, db, o.ID, ref)
		return o
	}
	pay("cs_1")
	refunded := pay("cs_2")
	clk.set(t0.Add(24 * time.Hour))
	if _, err := db.MarkRefunded(context.Background(), refunded.ID, "re_1", "test"); err != nil {
		t.Fatal(err)
	}
	clk.set(t0.AddDate(0, 0, 3))
	pay("cs_3")
	mustCreate(t, db, in) // never paid
	return db
}

func TestSalesReport(t *testing.T) {
	db := reportFixture(t)
	const total = fixtureTotal
	uncosted := []SettlementCount{{Settlement: "9", Quantity: 1}}
	tests := []struct {
		period Period
		want   []SalesBucket
	}{
		{PeriodDay, []SalesBucket{
			{Start: "2025-03-14", Paid: 2, ESIMs: 6, Revenue: 2 * total, Cost: 140, Uncosted: uncosted},
			{Start: "2025-03-15", Refunds: 1, Refunded: total},
			{Start: "2025-03-17", Paid: 1, ESIMs: 3, Revenue: total, Cost: 140, Uncosted: uncosted},
		}},
		{PeriodWeek, []SalesBucket{
			{Start: "2025-03-10", Paid: 2, ESIMs: 6, Revenue: 2 * total, Cost: 140, Uncosted: uncosted, Refunds: 1, Refunded: total},
			{Start: "2025-03-17", Paid: 1, ESIMs: 3, Revenue: total, Cost: 140, Uncosted: uncosted},
		}},
		{PeriodMonth, []SalesBucket{
			{Start: "2025-03-01", Paid: 3, ESIMs: 9, Revenue: 3 * total, Cost: 280,
				Uncosted: []SettlementCount{{Settlement: "9", Quantity: 2}}, Refunds: 1, Refunded: total},
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.period), func(t *testing.T) {
			got, err := db.SalesReport(context.Background(), ReportFilter{
				From: t0.AddDate(0, 0, -30), To: t0.AddDate(0, 0, 30), Currency: "usd", Period: tc.period,
			})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("SalesReport =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func TestSalesReportRangeAndCurrency(t *testing.T) {
	db := reportFixture(t)
	ctx := context.Background()
	// The range is [From, To): Monday's order falls outside a range ending
	// at Monday midnight; the refund on Saturday is inside.
	got, err := db.SalesReport(ctx, ReportFilter{From: t0.Add(-time.Hour), To: time.Date(2025, 3, 17, 0, 0, 0, 0, time.UTC),
		Currency: "usd", Period: PeriodWeek})
	if err != nil || len(got) != 1 || got[0].Paid != 2 || got[0].Refunds != 1 {
		t.Errorf("bounded report = %+v, %v", got, err)
	}
	got, err = db.SalesReport(ctx, ReportFilter{From: t0.AddDate(0, 0, -1), To: t0.AddDate(0, 0, 9), Currency: "eur", Period: PeriodDay})
	if err != nil || len(got) != 0 {
		t.Errorf("other currency = %+v, %v; want nothing", got, err)
	}
}

func TestSalesReportRejectsBadFilters(t *testing.T) {
	db, _ := openTestDB(t)
	for name, f := range map[string]ReportFilter{
		"no range":       {Currency: "usd", Period: PeriodDay},
		"reversed range": {From: t0, To: t0.Add(-time.Hour), Currency: "usd", Period: PeriodDay},
		"bad currency":   {From: t0, To: t0.Add(time.Hour), Currency: "US", Period: PeriodDay},
		"bad period":     {From: t0, To: t0.Add(time.Hour), Currency: "usd", Period: "year'); DROP TABLE orders; --"},
	} {
		if _, err := db.SalesReport(context.Background(), f); ErrorCode(err) != EINVALID {
			t.Errorf("%s: err = %v, want EINVALID", name, err)
		}
	}
}

func TestPlanSalesReport(t *testing.T) {
	db := reportFixture(t)
	got, err := db.PlanSalesReport(context.Background(), ReportFilter{From: t0.AddDate(0, 0, -1), To: t0.AddDate(0, 0, 9), Currency: "usd"})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]PlanSales{}
	for _, p := range got {
		byID[p.SKUID] = p
	}
	a, b := byID["A"], byID["B"]
	// A: 3 paid orders × 2 eSIMs × 1499; cost of the two costed orders.
	if a.Orders != 3 || a.ESIMs != 6 || a.Revenue != 6*1499 || a.Cost != 4*70 || len(a.Uncosted) != 0 || a.Title == "" {
		t.Errorf("A = %+v", a)
	}
	if b.Orders != 3 || b.ESIMs != 3 || b.Revenue != 1500 || b.Cost != 0 ||
		!reflect.DeepEqual(b.Uncosted, []SettlementCount{{Settlement: "9", Quantity: 2}}) {
		t.Errorf("B = %+v", b)
	}
	if a.Destination == "" || len(got) != 2 {
		t.Errorf("plans = %+v; want A and B with a destination", got)
	}
}

// seedReportOrders writes n paid orders of one line each, spread over the
// 90 days before t0 (one in ten refunded), in one transaction: what a
// busy shop accumulates in a quarter.
func seedReportOrders(tb testing.TB, db *DB, n int) {
	tb.Helper()
	ctx := context.Background()
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		ord, err := tx.PrepareContext(ctx, `INSERT INTO orders (number, token, token_hash, email, lang, status,
			currency, total, provider, created_at, updated_at, paid_at, placed_at, refunded_at, refund_id, esims, cost)
			VALUES (?, ?, ?, ?, 'en', ?, 'usd', ?, 'stripe', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`)
		if err != nil {
			return err
		}
		line, err := tx.PrepareContext(ctx, `INSERT INTO order_lines (order_id, position, number, sku_id, title,
			copies, quantity, days, data_kb, daily_kb, unit_amount, amount, settlement, unit_cost)
			VALUES (?, 1, ?, ?, 'Plan', 1, ?, 7, 1048576, 0, 1499, ?, '4.50', ?)`)
		if err != nil {
			return err
		}
		step := 90 * 24 * time.Hour / time.Duration(n)
		for i := range n {
			at := t0.Add(-time.Duration(i) * step).UTC()
			status, refunded, refundID := StatusDelivered, sql.NullTime{}, ""
			if i%10 == 0 {
				status, refunded, refundID = StatusRefunded, sql.NullTime{Time: at.Add(time.Hour), Valid: true}, fmt.Sprintf("re_%d", i)
			}
			qty := 1 + i%3
			cost := sql.NullInt64{Int64: 63, Valid: i%4 != 0} // a quarter sold before costs were recorded
			num := fmt.Sprintf("B%07d", i)
			h := sha256.Sum256([]byte(num))
			var id int64
			if err := ord.QueryRowContext(ctx, num, fmt.Sprintf("token-%022d", i), h[:], fmt.Sprintf("buyer%d@example.com", i%20000),
				status, 1499*qty, at, at, at, at, refunded, refundID, qty, cost.Int64*int64(qty)).Scan(&id); err != nil {
				return err
			}
			if _, err := line.ExecContext(ctx, id, num+"-1", []string{"A", "B"}[i%2], qty, 1499*qty, cost); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("seed orders: %v", err)
	}
}

// BenchmarkSalesReport measures the report page's queries over 100,000
// orders in a 90-day range: by day, by week, and the per-plan ranking.
func BenchmarkSalesReport(b *testing.B) {
	db, _ := openTestDB(b)
	mustReplace(b, db, catalogOf(product("A", "4.50"), product("B", "9")))
	seedReportOrders(b, db, 100_000)
	ctx := context.Background()
	f := ReportFilter{From: t0.AddDate(0, 0, -91), To: t0.Add(time.Hour), Currency: "usd"}
	for _, p := range []Period{PeriodDay, PeriodWeek, PeriodMonth} {
		b.Run(string(p), func(b *testing.B) {
			f.Period = p
			defer reportCPU(b)()
			for b.Loop() {
				got, err := db.SalesReport(ctx, f)
				if err != nil || len(got) == 0 {
					b.Fatalf("report = %d buckets, %v", len(got), err)
				}
			}
		})
	}
	b.Run("plans", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			got, err := db.PlanSalesReport(ctx, f)
			if err != nil || len(got) != 2 {
				b.Fatalf("plans = %+v, %v", got, err)
			}
		}
	})
}

func TestCheckoutCounts(t *testing.T) {
	db := reportFixture(t)
	created, paid, err := db.CheckoutCounts(context.Background(), t0.Add(-time.Hour), t0.AddDate(0, 0, 9), "usd")
	if err != nil || created != 4 || paid != 3 {
		t.Errorf("CheckoutCounts = %d, %d, %v; want 4 created, 3 paid", created, paid, err)
	}
	created, _, err = db.CheckoutCounts(context.Background(), t0.Add(-time.Hour), t0.Add(time.Hour), "usd")
	if err != nil || created != 2 {
		t.Errorf("first day = %d, %v; want 2", created, err)
	}
}

// reportCPU starts measuring the process's CPU time; the function it
// returns reports it per op as cpu-ms/op, which unlike ns/op does not
// grow when other processes share the machine's cores.
func reportCPU(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() { b.ReportMetric(float64((cpu()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op") }
}
