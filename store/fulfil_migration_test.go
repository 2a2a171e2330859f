package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"
)

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
