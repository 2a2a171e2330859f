package web

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// TestAdminReports sells a plan through the real checkout, pays it and
// checks the report's figures for today: the cost recorded on the line
// (the settlement at the rule's rate), revenue, margin, the chart (one bar
// per day of the default 30-day range) and the rankings.
func TestAdminReports(t *testing.T) {
	s := newAdminShop(t)
	s.app.Start()
	o := deliveredOrder(t, s)
	ac := signIn(t, s)
	l := o.Lines[0]
	rule := mustRule(t, "retail", "0.14", "0", "", "usd")
	cost, err := rule.CostOf(l.Settlement, int64(l.Quantity))
	if err != nil || l.UnitCost*int64(l.Quantity) != cost || cost <= 0 {
		t.Fatalf("line cost %d × %d, want %d (%v)", l.UnitCost, l.Quantity, cost, err)
	}
	money := func(v int64) string { return billing.Money{Amount: v, Currency: "usd"}.Format("en") }

	d := doc(t, ac.get(t, "/admin/reports"))
	today := time.Now().UTC().Format("2006-01-02")
	row := d.Find(`[data-table=periods] tr[data-period="` + today + `"] td`)
	want := []string{"1", strconv.Itoa(l.Quantity), money(o.Total), money(cost), money(0), money(o.Total - cost)}
	for i, w := range want {
		if got := text(row.Eq(i)); got != w {
			t.Errorf("today's column %d = %q, want %q", i, got, w)
		}
	}
	if n := d.Find("[data-chart] svg g[data-bar]").Length(); n != 30 {
		t.Errorf("chart has %d bars, want 30 (one per day)", n)
	}
	if n := d.Find("[data-table=periods] tbody tr").Length(); n != 30 {
		t.Errorf("table has %d rows, want 30", n)
	}
	if got := text(d.Find("[data-table=top-revenue] tbody tr th a")); !strings.Contains(got, l.Title) {
		t.Errorf("top plan = %q, want %q", got, l.Title)
	}
	if d.Find("[data-table=top-destinations] tbody tr").Length() != 1 {
		t.Error("want one top destination")
	}
	if got := text(d.Find("[data-figure=conversion] .big")); got != "100.00 %" {
		t.Errorf("conversion = %q", got)
	}

	// By month the sale is in this month's row; the refund shows as such.
	if _, err := s.db.MarkRefunded(context.Background(), o.ID, "re_test", "test"); err != nil {
		t.Fatal(err)
	}
	d = doc(t, ac.get(t, "/admin/reports?period=month&from="+today+"&to="+today))
	if got := text(d.Find(`[data-table=periods] tfoot td`).Eq(4)); got != money(o.Total) {
		t.Errorf("refunds = %q, want %q", got, money(o.Total))
	}
	// Refunded after placing: the vendor was paid, so the margin is -cost.
	if got := text(d.Find(`[data-table=periods] tfoot td`).Eq(5)); got != money(-cost) {
		t.Errorf("margin after refund = %q, want %q", got, money(-cost))
	}

	for _, bad := range []string{
		"?period=year", "?from=2025-02-01&to=2025-01-01", "?from=2000-01-01&to=2025-01-01",
		"?currency=xyz", "?from=yesterday", "?period=week&from=2000-01-01&to=2025-01-01",
	} {
		if resp := ac.get(t, "/admin/reports"+bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, resp.StatusCode)
		}
	}
}

// TestAdminOrdersCSV exports orders through the order list's filter: the
// header, one row per line with the order's figures, a buyer-typed email
// that looks like a formula neutralised, and filters applied.
func TestAdminOrdersCSV(t *testing.T) {
	s := newAdminShop(t)
	s.app.Start()
	p := someMultiTierPlan(t, s)
	form := validForm(p, p.Priced[1].Copies, 2)
	form.Set("email", "=1+2@example.com")
	if resp := s.post(t, "/checkout", form, true); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("checkout status %d", resp.StatusCode)
	}
	paid := deliveredOrder(t, s)
	ac := signIn(t, s)

	resp := ac.get(t, "/admin/orders.csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("status %d, type %q, disposition %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	recs := readCSV(t, resp.Body)
	if len(recs) != 3 || strings.Join(recs[0], ",") != "created_at,paid_at,refunded_at,order,email,status,line,plan,sku,copies,quantity,amount,order_total,currency,vendor_cost,vendor_settlement,refunded,vendor_order_id" {
		t.Fatalf("csv = %q", recs)
	}
	byEmail := map[string][]string{}
	for _, r := range recs[1:] {
		byEmail[r[4]] = r
	}
	if r := byEmail["'=1+2@example.com"]; r == nil || r[5] != "pending_payment" || r[1] != "" {
		t.Errorf("formula email row = %q (all: %q)", r, recs)
	}
	r := byEmail[paid.Email]
	l := paid.Lines[0]
	total := billing.Money{Amount: paid.Total, Currency: "usd"}.Major()
	lineCost := billing.Money{Amount: l.UnitCost * int64(l.Quantity), Currency: "usd"}.Major()
	if r == nil || r[3] != paid.Number || r[5] != "delivered" || r[8] != l.SKUID || r[10] != strconv.Itoa(l.Quantity) ||
		r[12] != total || r[13] != "usd" || r[14] != lineCost ||
		r[17] != paid.VendorOrderID || r[17] == "" {
		t.Errorf("paid row = %q", r)
	}
	if _, err := time.Parse(time.RFC3339, r[1]); err != nil {
		t.Errorf("paid_at %q: %v", r[1], err)
	}
	// The list's filters apply; a bad one is a 400 before anything streams.
	recs = readCSV(t, ac.get(t, "/admin/orders.csv?status=delivered").Body)
	if len(recs) != 2 || recs[1][3] != paid.Number {
		t.Errorf("filtered csv = %q", recs)
	}
	if resp := ac.get(t, "/admin/orders.csv?status=nonsense"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad filter status %d", resp.StatusCode)
	}
	// The orders page links to the export of its filter.
	link, _ := doc(t, ac.get(t, "/admin/orders?status=delivered")).Find("a[data-export]").Attr("href")
	if link != "/admin/orders.csv?status=delivered" {
		t.Errorf("export link %q", link)
	}
}

// TestAdminCustomers lists the paid buyer with their figures, links to
// their orders, and exports the same as CSV.
func TestAdminCustomers(t *testing.T) {
	s := newAdminShop(t)
	s.app.Start()
	o := deliveredOrder(t, s)
	ac := signIn(t, s)
	d := doc(t, ac.get(t, "/admin/customers"))
	row := d.Find(`tr[data-customer="` + o.Email + `"]`)
	spent := billing.Money{Amount: o.Total, Currency: "usd"}
	if row.Length() != 1 || text(row.Find("td").Eq(0)) != "1" || text(row.Find("td").Eq(3)) != spent.Format("en") {
		t.Fatalf("customer row = %q", text(row))
	}
	href, _ := row.Find("a").Attr("href")
	if href != "/admin/orders?q="+url.QueryEscape(o.Email) {
		t.Errorf("orders link %q", href)
	}
	if n := doc(t, ac.get(t, "/admin/customers?q=nobody")).Find("tr[data-customer]").Length(); n != 0 {
		t.Errorf("search for nobody found %d", n)
	}
	recs := readCSV(t, ac.get(t, "/admin/customers.csv").Body)
	if len(recs) != 2 || recs[1][0] != o.Email || recs[1][2] != "1" || recs[1][5] != spent.Major() {
		t.Errorf("customers csv = %q", recs)
	}
}

// TestAdminAuditPage shows what the operator did (a pricing save, a
// refund), filterable by kind, with the IP it came from.
func TestAdminAuditPage(t *testing.T) {
	s := newAdminShop(t)
	s.app.Start()
	ac := signIn(t, s)
	ctx := context.Background()
	for _, e := range []store.AuditEntry{
		{AdminEmail: testAdminEmail, Action: "pricing", Detail: "markup 0 → 25", IP: "192.0.2.7"},
		{AdminEmail: "other@example.com", Action: "hide_product", SKUID: "SKU-1"},
	} {
		if _, err := s.db.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	d := doc(t, ac.get(t, "/admin/audit"))
	if n := d.Find("tr[data-audit]").Length(); n != 2 {
		t.Fatalf("%d entries, want 2", n)
	}
	d = doc(t, ac.get(t, "/admin/audit?kind=pricing"))
	rows := d.Find("tr[data-audit]")
	if rows.Length() != 1 || !strings.Contains(text(rows), "markup 0 → 25") || !strings.Contains(text(rows), "192.0.2.7") {
		t.Errorf("pricing rows = %q", text(rows))
	}
	d = doc(t, ac.get(t, "/admin/audit?who=other%40example.com"))
	if text(d.Find("tr[data-audit] code").First()) != "hide_product" {
		t.Errorf("by person = %q", text(d.Find("tr[data-audit]")))
	}
	for _, bad := range []string{"?kind=nonsense", "?who=nobody@example.com", "?before=x"} {
		if resp := ac.get(t, "/admin/audit"+bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, resp.StatusCode)
		}
	}
}

// readCSV parses a CSV body (after its byte order mark).
func readCSV(t *testing.T, body io.ReadCloser) [][]string {
	t.Helper()
	defer body.Close()
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, b)
	}
	return recs
}
