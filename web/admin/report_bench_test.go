package admin

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
)

// benchOrders is the order count the report and export must handle.
const benchOrders = 100_000

// benchEnd is the last day of the seeded quarter.
var benchEnd = time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)

// seedOrders opens a migrated database and writes n paid, one-line
// orders spread over the 90 days before benchEnd (one in ten refunded, a
// quarter without a recorded cost) straight through SQL in one
// transaction, which takes seconds where n checkouts would take minutes.
func seedOrders(b *testing.B, n int) *store.DB {
	b.Helper()
	path := filepath.Join(b.TempDir(), "shop.db")
	db, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_time_format=sqlite")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for _, sku := range []string{"A", "B", "C"} {
		if _, err := tx.Exec(`INSERT INTO products (sku_id, name, description, type, days, plan_type, data_kb, daily_kb,
			speed_after_kbps, hotspot_raw, validity_days, usage_count, rechargeable, needs_use_time, refund_policy,
			speed_limit_rule, provider, apply_to_device, region, content_hash, created_at, updated_at)
			VALUES (?, 'p', '', 1, 7, 1, 1048576, 0, 0, '', 30, 1, 0, 0, '', '', '', '', '', 'h', ?, ?)`, sku, benchEnd, benchEnd); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO coverage (sku_id, country_code, apn, apn_username, apn_password, apn_manual)
			VALUES (?, 'JP', '', '', '', 0)`, sku); err != nil {
			b.Fatal(err)
		}
	}
	step := 90 * 24 * time.Hour / time.Duration(n) // one order every ~78 s for 100k
	for i := range n {
		at := benchEnd.Add(-time.Duration(i) * step)
		status, refunded, refundID := "delivered", sql.NullTime{}, ""
		if i%10 == 0 {
			status, refunded, refundID = "refunded", sql.NullTime{Time: at.Add(time.Hour), Valid: true}, fmt.Sprintf("re_%d", i)
		}
		qty := 1 + i%3
		cost := sql.NullInt64{Int64: 63, Valid: i%4 != 0}
		num := fmt.Sprintf("B%07d", i)
		h := sha256.Sum256([]byte(num))
		var id int64
		if err := tx.QueryRow(`INSERT INTO orders (number, token, token_hash, email, lang, status, currency, total,
			provider, created_at, updated_at, paid_at, placed_at, refunded_at, refund_id, vendor_order_id, esims, cost)
			VALUES (?, ?, ?, ?, 'en', ?, 'usd', ?, 'stripe', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			num, fmt.Sprintf("token-%022d", i), h[:], fmt.Sprintf("buyer%d@example.com", i%20000), status, 1499*qty,
			at, at, at, at, refunded, refundID, fmt.Sprintf("V%d", i), qty, cost.Int64*int64(qty)).Scan(&id); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO order_lines (order_id, position, number, sku_id, title, copies, quantity,
			days, data_kb, daily_kb, unit_amount, amount, settlement, unit_cost)
			VALUES (?, 1, ?, ?, 'Japan 7 days 1 GB', 1, ?, 7, 1048576, 0, 1499, ?, '4.50', ?)`,
			id, num+"-1", []string{"A", "B", "C"}[i%3], qty, 1499*qty, cost); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkReportPage measures what GET /admin/reports does over 100,000
// orders in a 90-day range, per day and per week: the store's queries,
// the figures (uncosted eSIMs converted at the rule) and the HTML.
func BenchmarkReportPage(b *testing.B) {
	db := seedOrders(b, benchOrders)
	rule, err := billing.ParseRule("retail", "0.14", "25", "", "usd")
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range []store.Period{store.PeriodDay, store.PeriodWeek} {
		b.Run(string(p), func(b *testing.B) {
			q := reportQuery{ReportFilter: store.ReportFilter{From: benchEnd.AddDate(0, 0, -90), To: benchEnd.AddDate(0, 0, 1),
				Currency: "usd", Period: p}, fromText: "2025-12-31", toText: "2026-03-31"}
			cpu0 := cpuTime()
			for b.Loop() {
				d, err := buildReport(context.Background(), db, rule, q)
				if err != nil || d.Total.Paid != fmt.Sprint(benchOrders) {
					b.Fatalf("report: paid %s, %v", d.Total.Paid, err)
				}
				if err := views.AdminReports(d).Render(context.Background(), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			// CPU per page, which unlike ns/op does not grow when other
			// processes share the machine's cores.
			b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkOrdersCSV streams the export of all 100,000 orders as the
// handler does (store rows → csvCell → encoding/csv → a buffered writer)
// and reports the peak heap seen while streaming, sampled every 5,000
// rows: constant memory means that figure does not grow with the count.
func BenchmarkOrdersCSV(b *testing.B) {
	db := seedOrders(b, benchOrders)
	cpu0 := cpuTime()
	for b.Loop() {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base, peak := ms.HeapInuse, ms.HeapInuse
		w := csv.NewWriter(bufio.NewWriter(io.Discard))
		rows := 0
		err := db.ExportOrders(context.Background(), store.OrderFilter{}, func(r store.OrderExportRow) error {
			rows++
			if rows%5000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			rec := []string{csvTime(r.CreatedAt), r.Number, r.Email, string(r.Status), r.Title, r.SKUID,
				billing.Money{Amount: r.Amount, Currency: r.Currency}.Major()}
			for i := range rec {
				rec[i] = csvCell(rec[i])
			}
			return w.Write(rec)
		})
		w.Flush()
		if err != nil || rows != benchOrders {
			b.Fatalf("exported %d rows, %v", rows, err)
		}
		b.ReportMetric(float64(peak-base)/(1<<20), "peak-heap-MB")
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}
