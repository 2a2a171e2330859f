package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

// searchFixture holds four orders an hour apart: o1 pending (alice), o2
// paid through cs_test_b / pi_b (Bob), o3 delivered through cs_test_c as
// vendor order V-777 (alice), o4 paid then flagged (carol).
type searchFixture struct {
	db             *DB
	clk            *testClock
	o1, o2, o3, o4 Order
}

func newSearchFixture(t *testing.T) searchFixture {
	t.Helper()
	ctx := context.Background()
	db, clk, _ := orderFixture(t)
	create := func(email string, at time.Time) Order {
		clk.set(at)
		in := validNewOrder()
		in.Email = email
		return mustCreate(t, db, in)
	}
	pay := func(o Order, ref, intent string) {
		mustSetRef(t, db, o.ID, ref)
		p := goodPayment(o.ID)
		p.Ref, p.PaymentIntent = ref, intent
		if changed, err := db.MarkPaid(ctx, p, "test"); err != nil || !changed {
			t.Fatalf("MarkPaid = %v, %v", changed, err)
		}
	}
	f := searchFixture{db: db, clk: clk}
	f.o1 = create("alice@example.com", t0)
	f.o2 = create("Bob@Example.org", t0.Add(time.Hour))
	pay(f.o2, "cs_test_b", "pi_b")
	f.o3 = create("alice@example.com", t0.Add(2*time.Hour))
	pay(f.o3, "cs_test_c", "pi_c")
	if err := db.MarkPlaced(ctx, f.o3.ID, "V-777", nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.StoreDelivery(ctx, f.o3.Number, "V-777", fullDelivery(f.o3)); err != nil {
		t.Fatal(err)
	}
	f.o4 = create("carol@example.net", t0.Add(3*time.Hour))
	pay(f.o4, "cs_other", "")
	if _, err := db.MarkNeedsAttention(ctx, f.o4.ID, "vendor out of stock", "", ""); err != nil {
		t.Fatal(err)
	}
	return f
}

// ids lists the ids of summaries, in order.
func ids(ss []OrderSummary) []int64 {
	out := []int64{}
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

func TestSearchOrders(t *testing.T) {
	f := newSearchFixture(t)
	ctx := context.Background()
	o1, o2, o3, o4 := f.o1.ID, f.o2.ID, f.o3.ID, f.o4.ID
	tests := []struct {
		name string
		f    OrderFilter
		want []int64
	}{
		{"everything, newest first", OrderFilter{}, []int64{o4, o3, o2, o1}},
		{"order number", OrderFilter{Q: f.o3.Number}, []int64{o3}},
		{"order number, lower case, spaces", OrderFilter{Q: "  " + strings.ToLower(f.o3.Number) + " "}, []int64{o3}},
		{"order number prefix", OrderFilter{Q: "E00000"}, []int64{o4, o3, o2, o1}},
		{"order id", OrderFilter{Q: "2"}, []int64{o2}},
		{"email exact", OrderFilter{Q: "alice@example.com"}, []int64{o3, o1}},
		{"email prefix, other case", OrderFilter{Q: "ALICE@"}, []int64{o3, o1}},
		{"email stored in mixed case", OrderFilter{Q: "bob@example.org"}, []int64{o2}},
		{"checkout session", OrderFilter{Q: "cs_test_b"}, []int64{o2}},
		{"checkout session prefix", OrderFilter{Q: "cs_test"}, []int64{o3, o2}},
		{"payment intent", OrderFilter{Q: "pi_b"}, []int64{o2}},
		{"vendor order id", OrderFilter{Q: "V-777"}, []int64{o3}},
		{"ICCID", OrderFilter{Q: "8985200000000000002"}, []int64{o3}},
		{"ICCID prefix", OrderFilter{Q: "898520"}, []int64{o3}},
		{"no match", OrderFilter{Q: "zzz"}, []int64{}},
		{"LIKE wildcards are literal", OrderFilter{Q: "%"}, []int64{}},
		{"status", OrderFilter{Status: StatusPaid}, []int64{o2}},
		{"status and key", OrderFilter{Q: "alice", Status: StatusDelivered}, []int64{o3}},
		{"created range [from, to)", OrderFilter{From: t0.Add(time.Hour), To: t0.Add(3 * time.Hour)}, []int64{o3, o2}},
		{"from only", OrderFilter{From: t0.Add(3 * time.Hour)}, []int64{o4}},
		{"to only", OrderFilter{To: t0.Add(time.Hour)}, []int64{o1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := f.db.SearchOrders(ctx, tt.f)
			if err != nil || !reflect.DeepEqual(ids(got), tt.want) || total != len(tt.want) {
				t.Errorf("SearchOrders(%+v) = %v (total %d), %v; want %v", tt.f, ids(got), total, err, tt.want)
			}
		})
	}

	pages := []struct {
		limit, offset int
		want          []int64
	}{
		{2, 0, []int64{o4, o3}},
		{2, 2, []int64{o2, o1}},
		{2, 4, []int64{}},
		{3, -1, []int64{o4, o3, o2}},
	}
	for _, p := range pages {
		got, total, err := f.db.SearchOrders(ctx, OrderFilter{Limit: p.limit, Offset: p.offset})
		if err != nil || total != 4 || !reflect.DeepEqual(ids(got), p.want) {
			t.Errorf("page %d+%d = %v (total %d), %v; want %v", p.offset, p.limit, ids(got), total, err, p.want)
		}
	}

	got, _, err := f.db.SearchOrders(ctx, OrderFilter{Q: f.o2.Number})
	want := OrderSummary{ID: o2, Number: f.o2.Number, Token: f.o2.Token, Email: "Bob@Example.org", Status: StatusPaid,
		Currency: "usd", Total: fixtureTotal, CreatedAt: t0.Add(time.Hour), PaidAt: t0.Add(time.Hour), Lines: 2,
		Title: "Japan 7 days 1 GB"}
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("summary = %+v, %v\nwant %+v", got, err, want)
	}
}

// TestSearchOrdersUsesIndexes checks the query plans: every key lookup
// goes through an index (no full scan), and the unfiltered or
// status/date-filtered list needs no sort, so it stays fast however many
// orders there are. (With a search text the few matches are sorted.)
func TestSearchOrdersUsesIndexes(t *testing.T) {
	db, _ := openTestDB(t)
	filters := []OrderFilter{
		{},
		{Q: "alice@example.com"},
		{Q: "123", Status: StatusPaid},
		{Status: StatusDelivered},
		{From: t0, To: t0.Add(time.Hour)},
	}
	for _, f := range filters {
		where, args := orderFilterSQL(f)
		query := `EXPLAIN QUERY PLAN ` + summarySelect + where + ` ORDER BY o.created_at DESC, o.id DESC LIMIT 50 OFFSET 0`
		rows, err := db.reader.Query(query, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			// A bare "SCAN orders"/"SCAN esims" is a full table scan.
			sorts := f.Q == "" && strings.Contains(step, "TEMP B-TREE FOR ORDER BY")
			if step == "SCAN o" || step == "SCAN orders" || step == "SCAN esims" || sorts {
				t.Errorf("filter %+v: plan step %q\nplan: %q", f, step, plan)
				break
			}
		}
	}
}

func TestOrderStatsPerPeriod(t *testing.T) {
	f := newSearchFixture(t)
	ctx := context.Background()
	f.clk.set(t0.Add(4 * time.Hour))
	if _, err := f.db.MarkRefunded(ctx, f.o4.ID, "re_4", ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		since time.Time
		want  OrderStats
	}{
		{"all time", time.Time{}, OrderStats{Orders: 4, Paid: 2, Refunded: 1, Revenue: map[string]int64{"usd": 2 * fixtureTotal},
			ByStatus: map[OrderStatus]int{StatusPendingPayment: 1, StatusPaid: 1, StatusDelivered: 1, StatusRefunded: 1}}},
		{"since the second order", t0.Add(time.Hour), OrderStats{Orders: 3, Paid: 2, Refunded: 1,
			Revenue:  map[string]int64{"usd": 2 * fixtureTotal},
			ByStatus: map[OrderStatus]int{StatusPaid: 1, StatusDelivered: 1, StatusRefunded: 1}}},
		{"since the third", t0.Add(2 * time.Hour), OrderStats{Orders: 2, Paid: 1, Refunded: 1,
			Revenue:  map[string]int64{"usd": fixtureTotal},
			ByStatus: map[OrderStatus]int{StatusDelivered: 1, StatusRefunded: 1}}},
		{"after the refund", t0.Add(5 * time.Hour), OrderStats{Revenue: map[string]int64{}, ByStatus: map[OrderStatus]int{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.db.OrderStats(ctx, tt.since)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("OrderStats = %+v, %v\nwant %+v", got, err, tt.want)
			}
		})
	}
}

func TestOrdersNeedingAttention(t *testing.T) {
	f := newSearchFixture(t)
	ctx := context.Background()
	if _, err := f.db.MarkNeedsAttention(ctx, f.o2.ID, "amount looks odd", "", ""); err != nil {
		t.Fatal(err)
	}
	got, err := f.db.OrdersNeedingAttention(ctx, 10)
	if err != nil || !reflect.DeepEqual(ids(got), []int64{f.o2.ID, f.o4.ID}) {
		t.Fatalf("OrdersNeedingAttention = %v, %v; want oldest first [%d %d]", ids(got), err, f.o2.ID, f.o4.ID)
	}
	if got[1].Attention != "vendor out of stock" || got[1].Status != StatusNeedsAttention {
		t.Errorf("summary = %+v", got[1])
	}
	if one, _ := f.db.OrdersNeedingAttention(ctx, 1); len(one) != 1 {
		t.Errorf("limit 1 gave %d", len(one))
	}
}
