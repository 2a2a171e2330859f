package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOpenUpgradesOlderDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	old, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), old, migrationsFS, 1); err != nil {
		t.Fatalf("migrate to 1: %v", err)
	}
	if _, err := old.Exec(`INSERT INTO countries (code, continent, flag_url) VALUES ('FR', 'Europe', '')`); err != nil {
		t.Fatal(err)
	}
	before := appliedMigrations(t, old)
	if len(before) != 1 || before[0].version != 1 {
		t.Fatalf("old build state: %+v, want only version 1", before)
	}
	if tableExists(t, old, "sync_runs") {
		t.Fatal("sync_runs exists before the upgrade")
	}
	old.Close()

	db, err := Open(path)
	if err != nil {
		t.Fatalf("Open upgraded: %v", err)
	}
	defer db.Close()
	after := appliedMigrations(t, db.writer)
	if len(after) < 2 || after[1].version != 2 || !after[0].appliedAt.Equal(before[0].appliedAt) {
		t.Fatalf("after upgrade: %+v", after)
	}
	if _, err := db.RecordSyncFailure(context.Background(), t0, os.ErrDeadlineExceeded); err != nil {
		t.Errorf("sync_runs unusable after upgrade: %v", err)
	}
	cs, err := db.Countries(context.Background())
	if err != nil || len(cs) != 1 || cs[0].Code != "FR" {
		t.Errorf("data lost in upgrade: %+v, %v", cs, err)
	}
}

// TestOpenUpgradesCatalogOnlyDatabase builds the database a catalog-only
// release left behind (migrations 1–2 with a product in it), then opens it
// with this build and takes an order through payment.
func TestOpenUpgradesCatalogOnlyDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	old, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), old, migrationsFS, 2); err != nil {
		t.Fatalf("migrate to 2: %v", err)
	}
	if tableExists(t, old, "orders") {
		t.Fatal("orders exists before the upgrade")
	}
	for _, sku := range []string{"A", "B"} {
		if _, err := old.Exec(`INSERT INTO products (sku_id, name, description, type, days, plan_type, data_kb,
			daily_kb, speed_after_kbps, hotspot_raw, validity_days, usage_count, rechargeable, needs_use_time,
			refund_policy, speed_limit_rule, provider, apply_to_device, region, content_hash, created_at, updated_at)
			VALUES (?, 'Plan', '', 3106, 7, 0, 1048576, 0, 0, '1', 180, 1, 0, 0, '', '', '', '', '', 'h', ?, ?)`,
			sku, t0, t0); err != nil {
			t.Fatalf("old product: %v", err)
		}
	}
	old.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applied := appliedMigrations(t, db.writer)
	if len(applied) < 3 || applied[2].version != 3 || applied[2].name != "orders" {
		t.Fatalf("applied migrations = %+v, want 003_orders", applied)
	}
	for _, table := range []string{"orders", "order_lines", "order_events", "payment_events", "jobs"} {
		if !tableExists(t, db.writer, table) {
			t.Errorf("table %s missing after upgrade", table)
		}
	}
	// Products written by the old release are what the new orders reference.
	o := mustCreate(t, db, validNewOrder())
	mustSetRef(t, db, o.ID, "cs_1")
	mustPay(t, db, o.ID, "cs_1")
	if n, err := db.CountJobs(context.Background(), JobPlaceOrder); err != nil || n != 1 {
		t.Errorf("CountJobs after upgrade = %d, %v", n, err)
	}
}

// TestOpenUpgradesOrdersDatabase builds the database the orders release
// left behind (migrations 1–3 with a paid order and its queued job, written
// with that release's columns), then opens it with this build and fulfils
// the order.
func TestOpenUpgradesOrdersDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	old, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, old, migrationsFS, 3); err != nil {
		t.Fatalf("migrate to 3: %v", err)
	}
	if tableExists(t, old, "esims") {
		t.Fatal("esims exists before the upgrade")
	}
	oldRows := []struct {
		query string
		args  []any
	}{
		{`INSERT INTO products (sku_id, name, description, type, days, plan_type, data_kb, daily_kb,
			speed_after_kbps, hotspot_raw, validity_days, usage_count, rechargeable, needs_use_time, refund_policy,
			speed_limit_rule, provider, apply_to_device, region, content_hash, created_at, updated_at)
			VALUES ('A', 'Plan', '', 3106, 7, 0, 1048576, 0, 0, '1', 180, 1, 0, 0, '', '', '', '', '', 'h', ?, ?)`,
			[]any{t0, t0}},
		{`INSERT INTO orders (id, number, token, token_hash, email, lang, status, currency, total, provider,
			payment_ref, created_at, updated_at, paid_at) VALUES (7, 'E000007-ABCD', 'tttttttttttttttttttttttt',
			zeroblob(32), 'b@example.com', 'en', 'paid', 'usd', 1000, 'stripe', 'cs_7', ?, ?, ?)`,
			[]any{t0, t0, t0}},
		{`INSERT INTO order_lines (order_id, position, number, sku_id, title, copies, quantity, days, data_kb,
			daily_kb, unit_amount, amount, settlement) VALUES (7, 1, 'E000007-ABCD-1', 'A', 'Japan', 1, 1, 7, 0, 0,
			1000, 1000, '4')`, nil},
		{`INSERT INTO jobs (kind, order_id, state, attempts, run_at, created_at, updated_at)
			VALUES ('place_order', 7, 'queued', 2, ?, ?, ?)`, []any{t0, t0, t0}},
	}
	for _, r := range oldRows {
		if _, err := old.Exec(r.query, r.args...); err != nil {
			t.Fatalf("old row: %v", err)
		}
	}
	old.Close()

	db, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer db.Close()
	applied := appliedMigrations(t, db.writer)
	if len(applied) < 4 || applied[3].version != 4 || applied[3].name != "fulfilment" {
		t.Fatalf("applied = %+v, want 004_fulfilment", applied)
	}
	for _, table := range []string{"esims", "vendor_notices", "mails"} {
		if !tableExists(t, db.writer, table) {
			t.Errorf("table %s missing after upgrade", table)
		}
	}
	o, err := db.OrderByID(ctx, 7)
	if err != nil || o.Status != StatusPaid || o.VendorOrderID != "" || !o.PlacedAt.IsZero() ||
		!o.DeliveredAt.IsZero() || o.ESIMs != nil || o.Lines[0].VendorSubOrderID != "" {
		t.Fatalf("old order after upgrade = %+v, %v", o, err)
	}
	j := mustClaim(t, db, t0)
	if j.OrderID != 7 || j.Attempts != 3 || j.Claim != 1 {
		t.Errorf("old job claimed as %+v; want attempts 3, claim 1", j)
	}
	if _, err := db.MarkPlacing(ctx, 7, "upgrade test"); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkPlaced(ctx, 7, "V7", map[string]string{"E000007-ABCD-1": "S7"}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.CompleteJob(ctx, j); err != nil {
		t.Fatal(err)
	}
	added, delivered, err := db.StoreDelivery(ctx, "E000007-ABCD", "V7", []ESIM{esimFor("E000007-ABCD-1", "8900")})
	if err != nil || added != 1 || !delivered {
		t.Errorf("StoreDelivery after upgrade = %d, %v, %v", added, delivered, err)
	}
}

// TestOpenUpgradesFulfilmentDatabase builds the database the fulfilment
// release left behind (migrations 1–4 with a delivered order, its
// children and an AUTOINCREMENT high-water mark above its id), then opens
// it with this build: the orders table is rebuilt with the refunded status
// and refund columns, every row and reference survives, and ids are not
// reused.
func TestOpenUpgradesFulfilmentDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	old, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	old.SetMaxOpenConns(1)
	if err := migrate(ctx, old, migrationsFS, 4); err != nil {
		t.Fatalf("migrate to 4: %v", err)
	}
	oldRows := []struct {
		query string
		args  []any
	}{
		{`INSERT INTO products (sku_id, name, description, type, days, plan_type, data_kb, daily_kb,
			speed_after_kbps, hotspot_raw, validity_days, usage_count, rechargeable, needs_use_time, refund_policy,
			speed_limit_rule, provider, apply_to_device, region, content_hash, created_at, updated_at)
			VALUES ('A', 'Plan', '', 3106, 7, 0, 1048576, 0, 0, '1', 180, 1, 0, 0, '', '', '', '', '', 'h', ?, ?)`,
			[]any{t0, t0}},
		{`INSERT INTO orders (id, number, token, token_hash, email, lang, status, currency, total, provider,
			payment_ref, created_at, updated_at, paid_at, vendor_order_id, placed_at, delivered_at)
			VALUES (7, 'E000007-ABCD', 'tttttttttttttttttttttttt', zeroblob(32), 'b@example.com', 'en', 'delivered',
			'usd', 1000, 'stripe', 'cs_7', ?, ?, ?, 'V7', ?, ?)`, []any{t0, t0, t0, t0, t0}},
		{`INSERT INTO order_lines (order_id, position, number, sku_id, title, copies, quantity, days, data_kb,
			daily_kb, unit_amount, amount, settlement) VALUES (7, 1, 'E000007-ABCD-1', 'A', 'Japan', 1, 1, 7, 0, 0,
			1000, 1000, '4')`, nil},
		{`INSERT INTO order_events (order_id, at, from_status, to_status, cause) VALUES (7, ?, 'placed', 'delivered', 'n009')`,
			[]any{t0}},
		{`INSERT INTO jobs (kind, order_id, state, run_at, created_at, updated_at) VALUES ('send_esim_email', 7, 'done', ?, ?, ?)`,
			[]any{t0, t0, t0}},
		{`INSERT INTO esims (order_id, line_id, iccid, lpa, created_at) VALUES (7, 1, '8900', 'LPA:1$x$y', ?)`, []any{t0}},
		{`INSERT INTO sync_runs (started_at, duration_ns, ok, products, added) VALUES (?, 5, 1, 1, 1)`, []any{t0}},
		// An order deleted by hand in the past: its id must never come back.
		{`UPDATE sqlite_sequence SET seq = 41 WHERE name = 'orders'`, nil},
	}
	for _, r := range oldRows {
		if _, err := old.Exec(r.query, r.args...); err != nil {
			t.Fatalf("old row %q: %v", r.query, err)
		}
	}
	old.Close()

	db, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer db.Close()
	applied := appliedMigrations(t, db.writer)
	if len(applied) < 5 || applied[4].version != 5 || applied[4].name != "admin" {
		t.Fatalf("applied = %+v, want 005_admin after the fulfilment release's", applied)
	}
	var fkOn int
	if err := db.writer.QueryRow(`PRAGMA foreign_keys`).Scan(&fkOn); err != nil || fkOn != 1 {
		t.Errorf("foreign_keys after the migration = %d, %v; want 1", fkOn, err)
	}
	var fkSQL string
	if err := db.writer.QueryRow(`SELECT sql FROM sqlite_schema WHERE name = 'order_lines'`).Scan(&fkSQL); err != nil {
		t.Fatal(err)
	}
	if want := "REFERENCES orders (id)"; !strings.Contains(fkSQL, want) {
		t.Errorf("order_lines no longer references orders: %s", fkSQL)
	}
	for _, idx := range []string{"orders_payment_ref", "orders_email", "orders_status", "orders_created", "orders_vendor_order"} {
		var n int
		if err := db.writer.QueryRow(`SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name = ?`, idx).Scan(&n); err != nil || n != 1 {
			t.Errorf("index %s missing after the rebuild", idx)
		}
	}

	o, err := db.OrderByID(ctx, 7)
	if err != nil || o.Status != StatusDelivered || o.VendorOrderID != "V7" || len(o.Lines) != 1 || len(o.ESIMs) != 1 ||
		o.PaymentIntent != "" || o.RefundID != "" || !o.RefundedAt.IsZero() || !o.DeliveredAt.Equal(t0) {
		t.Fatalf("old order after upgrade = %+v, %v", o, err)
	}
	if evs := mustEvents(t, db, 7); len(evs) != 1 {
		t.Errorf("events after upgrade = %+v", evs)
	}
	if run, err := db.LastSync(ctx); err != nil || run.Added != 1 || run.AddedSKUs != nil {
		t.Errorf("old sync run = %+v, %v", run, err)
	}
	// The new status works on the rebuilt table, and references still hold.
	if changed, err := db.MarkRefunded(ctx, 7, "re_7", "upgrade test"); err != nil || !changed {
		t.Fatalf("MarkRefunded after upgrade = %v, %v", changed, err)
	}
	if _, err := db.writer.Exec(`INSERT INTO order_lines (order_id, position, number, sku_id, title, copies, quantity,
		days, data_kb, daily_kb, unit_amount, amount, settlement) VALUES (999, 1, 'X-1', 'A', 'x', 1, 1, 1, 0, 0, 1, 1, '1')`); err == nil {
		t.Error("a line for a missing order was accepted: foreign keys are off")
	}
	next, err := db.CreateOrder(ctx, NewOrder{Email: "n@example.com", Lang: "en", Currency: "usd", Provider: ProviderDemo,
		Lines: []OrderLine{{SKUID: "A", Title: "Japan", Copies: 1, Quantity: 1, Days: 7, UnitAmount: 500, Settlement: "4"}}})
	if err != nil || next.ID != 42 {
		t.Errorf("next order id = %d, %v; want 42 (ids are never reused)", next.ID, err)
	}
}

// TestOpenUpgradesAdminDatabase opens a database that the issue-10 release
// found (migrations 1–5 with a product and a sync run) and checks that 006
// gives the old rows the new columns' defaults.
func TestOpenUpgradesAdminDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	old, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, old, migrationsFS, 5); err != nil {
		t.Fatalf("migrate to 5: %v", err)
	}
	for _, q := range []string{
		`INSERT INTO products (sku_id, name, description, type, days, plan_type, data_kb, daily_kb, speed_after_kbps,
			hotspot_raw, validity_days, usage_count, rechargeable, needs_use_time, refund_policy, speed_limit_rule,
			provider, apply_to_device, region, content_hash, created_at, updated_at)
			VALUES ('OLD', 'n', 'd', 3106, 7, 0, 1048576, 0, 0, '1', 0, 1, 0, 0, '', '', '', '', '', 'h', '2025-01-01', '2025-01-01')`,
		`INSERT INTO sync_runs (started_at, duration_ns, ok) VALUES ('2025-01-01', 1, 1)`,
	} {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("old row: %v", err)
		}
	}
	old.Close()
	db, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer db.Close()
	p, err := db.Product(ctx, "OLD")
	if err != nil || p.Unlimited || p.DataKB != 1048576 {
		t.Errorf("old product after 006 = %+v, %v", p, err)
	}
	run, err := db.LastSync(ctx)
	if err != nil || run.Held || run.Skipped != 0 || run.SkippedSKUs != nil {
		t.Errorf("old sync run after 006 = %+v, %v", run, err)
	}
}
