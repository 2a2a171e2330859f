package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// seedOrders fills db with n orders cloned in SQL from one delivered
// order (so the search triggers run for each, as for real orders): order
// i is E1%06d-FT… with buyer i at domain d(i%50).example and one eSIM
// 89852%014d of id×37+11 (no two share their last five digits). It
// returns the template order (the only one with lines).
func seedOrders(tb testing.TB, n int) (*DB, Order) {
	tb.Helper()
	db, _ := openTestDB(tb)
	mustReplace(tb, db, catalogOf(product("A", "4.50"), product("B", "9")))
	ctx := context.Background()
	in := validNewOrder()
	tmpl, err := db.CreateOrder(ctx, in)
	if err != nil {
		tb.Fatal(err)
	}
	cols := func(table string, replace map[string]string) (names, values string) {
		rows, err := db.writer.Query(`SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			tb.Fatal(err)
		}
		defer rows.Close()
		var ns, vs []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				tb.Fatal(err)
			}
			if c == "id" {
				continue
			}
			ns = append(ns, c)
			if v, ok := replace[c]; ok {
				vs = append(vs, v)
			} else {
				vs = append(vs, "t."+c)
			}
		}
		return strings.Join(ns, ", "), strings.Join(vs, ", ")
	}
	on, ov := cols("orders", map[string]string{
		"number": "printf('E1%06d-FT%02d', s.n, s.n % 100)", "token_hash": "randomblob(32)", "payment_ref": "''",
		"email": "printf('buyer%d@d%d.example', s.n, s.n % 50)",
	})
	if _, err := db.writer.Exec(`WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?)
		INSERT INTO orders (`+on+`) SELECT `+ov+` FROM s, orders t WHERE t.id = ?`, n, tmpl.ID); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.writer.Exec(`INSERT INTO esims (order_id, line_id, iccid, lpa, smdp, activation_code, created_at)
		SELECT o.id, ?, printf('89852%014d', o.id * 37 + 11), 'LPA:1$x$y', 'x', 'y', o.created_at FROM orders o WHERE o.id <> ?`,
		tmpl.Lines[0].ID, tmpl.ID); err != nil {
		tb.Fatal(err)
	}
	return db, tmpl
}

// TestSearchAnyPart finds orders over 10,000 by any part of a value: the
// last five digits of an ICCID, an email's domain, the tail of an order
// number, the middle of a plan title; and keeps the index in step when an
// email changes.
func TestSearchAnyPart(t *testing.T) {
	db, tmpl := seedOrders(t, 10000)
	ctx := context.Background()
	var target OrderSummary
	rows, _, err := db.SearchOrders(ctx, OrderFilter{Q: "E1004242-FT42"})
	if err != nil || len(rows) != 1 {
		t.Fatalf("exact number: %d rows, %v", len(rows), err)
	}
	target = rows[0]
	tail := fmt.Sprintf("%05d", (target.ID*37+11)%100000)
	tests := []struct {
		q         string
		wantTotal int
		wantID    int64
	}{
		{tail, 1, target.ID},                     // last digits of the ICCID (ids < 100000)
		{"4242-FT42", 1, target.ID},              // tail of the order number
		{"buyer4242@", 1, target.ID},             // part of the email
		{"@d7.example", 200, 0},                  // a domain: 10,000 / 50
		{strings.ToUpper("@D7.EXAMPLE"), 200, 0}, // case ignored
		{tmpl.Lines[0].Title[1:6], 1, tmpl.ID},   // the middle of the plan title
		{`a"b`, 0, 0},                            // query syntax is text
	}
	for _, tt := range tests {
		rows, total, err := db.SearchOrders(ctx, OrderFilter{Q: tt.q, Limit: 5})
		if err != nil {
			t.Fatalf("%q: %v", tt.q, err)
		}
		found := slices.ContainsFunc(rows, func(r OrderSummary) bool { return r.ID == tt.wantID })
		if tt.wantTotal >= 0 && total != tt.wantTotal || tt.wantID != 0 && !found || tt.wantTotal < 0 && total > 5 {
			t.Errorf("%q: total %d (want %d), rows %v", tt.q, total, tt.wantTotal, ids(rows))
		}
	}
	if _, err := db.writer.Exec(`UPDATE orders SET email = 'moved@elsewhere.test' WHERE id = ?`, target.ID); err != nil {
		t.Fatal(err)
	}
	if rows, _, _ := db.SearchOrders(ctx, OrderFilter{Q: "elsewhere"}); len(rows) != 1 || rows[0].ID != target.ID {
		t.Errorf("after the email changed: %v", ids(rows))
	}
	if _, total, _ := db.SearchOrders(ctx, OrderFilter{Q: "buyer4242@"}); total != 0 {
		t.Errorf("the old email still matches (%d)", total)
	}
}

// BenchmarkSearchAnyPart is one admin search by the last five digits of
// an ICCID over 10,000 orders.
func BenchmarkSearchAnyPart(b *testing.B) {
	db, _ := seedOrders(b, 10000)
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		q := fmt.Sprintf("%05d", 1000+i%9000)
		if _, _, err := db.SearchOrders(ctx, OrderFilter{Q: q, Limit: 50}); err != nil {
			b.Fatal(err)
		}
	}
}
