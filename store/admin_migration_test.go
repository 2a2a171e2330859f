package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

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
	if len(applied) != 5 || applied[4].version != 5 || applied[4].name != "admin" {
		t.Fatalf("applied = %+v, want 005_admin last", applied)
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

func TestMigrationWithForeignKeysOffRefusesDanglingRows(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	w, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.SetMaxOpenConns(1)
	fsys := fstest.MapFS{
		"migrations/001_a.sql": {Data: []byte(`CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p_id INTEGER REFERENCES p (id));`)},
		"migrations/002_b.sql": {Data: []byte(foreignKeysOff + "\nINSERT INTO c (p_id) VALUES (5);")},
	}
	if err := migrate(ctx, w, fsys, -1); err == nil {
		t.Fatal("a migration leaving a dangling reference was committed")
	}
	var n int
	if err := w.QueryRow(`SELECT COUNT(*) FROM c`).Scan(&n); err != nil || n != 0 {
		t.Errorf("rows in c = %d, %v; want the migration rolled back", n, err)
	}
	var fk int
	if err := w.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v; want back on", fk, err)
	}
}
