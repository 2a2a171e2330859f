package views

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// rowTexts is the whitespace-normalised text of each cell of each body row.
func rowTexts(s *goquery.Selection) [][]string {
	var rows [][]string
	s.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Children().Each(func(_ int, td *goquery.Selection) { cells = append(cells, text(td)) })
		rows = append(rows, cells)
	})
	return rows
}

func TestAdminDashboard(t *testing.T) {
	d := testDashboard()
	doc, _ := render(t, AdminDashboard(d))
	att := doc.Find(`[data-section=attention] tr[data-order]`)
	if att.Length() != 1 || att.AttrOr("data-order", "") != "ES-1002" {
		t.Fatalf("attention rows = %d", att.Length())
	}
	if text(att.Find("[data-attention]")) != d.Attention[0].Attention {
		t.Errorf("attention reason = %q", text(att.Find("[data-attention]")))
	}
	if att.Find(`a[href="/admin/orders/ES-1002"]`).Length() != 1 {
		t.Error("attention row does not link to the order")
	}
	got := rowTexts(doc.Find(`[data-section=periods]`))
	want := [][]string{{"Today", "3", "2", "$34.98"}, {"7 days", "20", "15", "$301.50"}, {"30 days", "80", "70", "$1,402.00"}}
	if len(got) != len(want) {
		t.Fatalf("periods = %v", got)
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("period %d = %v, want %v", i, got[i], want[i])
		}
	}
	for _, s := range d.ByStatus {
		a := doc.Find(`a[data-status-count="` + s.Status + `"]`)
		if a.AttrOr("href", "") != s.URL || !strings.Contains(text(a), itoa(s.Count)) || a.Find(".badge").Length() != 1 {
			t.Errorf("status %s: link %q text %q", s.Status, a.AttrOr("href", ""), text(a))
		}
	}
	if text(doc.Find("[data-balance]")) != "USD 41.20" || doc.Find("[data-balance-low]").Length() != 1 {
		t.Error("low balance not shown")
	}
	if text(doc.Find("[data-sync-summary]")) != "812 products · +2 −1 · 3 price changes" {
		t.Errorf("sync summary = %q", text(doc.Find("[data-sync-summary]")))
	}
	if text(doc.Find("[data-rejected]")) != "4" || doc.Find(`a[href="/admin/notices?source=vendor"]`).Length() != 1 {
		t.Error("rejected notices not shown with a link")
	}

	// An empty dashboard: no sync yet, balance unknown with an error, calm.
	empty := DashboardData{AdminPage: testAdminPage("dashboard", "Dashboard"), BalanceError: "F014 timed out"}
	doc, _ = render(t, AdminDashboard(empty))
	if doc.Find("[data-section=attention] [data-empty]").Length() != 1 || doc.Find("tr[data-order]").Length() != 0 {
		t.Error("empty attention list not said")
	}
	if doc.Find("[data-balance-low], [data-balance], [data-sync-summary]").Length() != 0 {
		t.Error("empty dashboard shows figures it does not have")
	}
	if text(doc.Find("[data-balance-error]")) != "F014 timed out" {
		t.Error("balance error not shown")
	}
}

func TestAdminOrders(t *testing.T) {
	d := testOrders()
	doc, _ := render(t, AdminOrders(d))
	f := doc.Find(`form[data-form=order-filter]`)
	if f.AttrOr("method", "") != "get" || f.AttrOr("action", "") != "/admin/orders" {
		t.Error("filter is not a GET form to /admin/orders")
	}
	for field, want := range map[string]string{"q": d.Q, "from": d.From, "to": d.To} {
		if got := f.Find(`input[name=`+field+`]`).AttrOr("value", ""); got != want {
			t.Errorf("filter %s = %q, want %q", field, got, want)
		}
	}
	opts := f.Find(`select[name=status] option`)
	if opts.Length() != len(d.Statuses)+1 {
		t.Errorf("%d status options", opts.Length())
	}
	if sel := f.Find(`select[name=status] option[selected]`); sel.Length() != 1 || sel.AttrOr("value", "") != d.Status {
		t.Errorf("selected status = %q", sel.AttrOr("value", ""))
	}
	rows := doc.Find("tr[data-order]")
	if rows.Length() != 3 {
		t.Fatalf("%d rows", rows.Length())
	}
	for i, r := range d.Rows {
		tr := rows.Eq(i)
		if tr.Find(`a[href="`+r.URL+`"]`).Length() != 1 || tr.Find(".badge").AttrOr("data-status", "") != r.Status || !strings.Contains(text(tr), r.Total) {
			t.Errorf("row %d = %q", i, text(tr))
		}
	}
	if doc.Find(".badge-bad").Length() != 1 || doc.Find(".badge-ok").Length() != 1 {
		t.Error("status badges not colour-coded")
	}
	if doc.Find(`[data-total="53"]`).Length() != 1 || !strings.Contains(text(doc.Find("[data-total]")), "53 orders") {
		t.Error("total not shown")
	}
	if doc.Find(`a[rel=prev][href="/admin/orders?page=1"]`).Length() != 1 || doc.Find(`a[rel=next][href="/admin/orders?page=3"]`).Length() != 1 {
		t.Error("pager links missing")
	}
	if doc.Find(".table-wrap[role=region][tabindex]").Length() != 1 {
		t.Error("table does not scroll inside a focusable region")
	}

	d.Rows, d.PrevURL, d.NextURL, d.Total = nil, "", "", 0
	doc, _ = render(t, AdminOrders(d))
	if doc.Find("[data-empty]").Length() != 1 || doc.Find("table, nav.pager").Length() != 0 {
		t.Error("empty list not said, or empty table/pager rendered")
	}
}

func TestAdminOrder(t *testing.T) {
	d := testAdminOrder()
	doc, html := render(t, AdminOrder(d))
	main := doc.Find("main")

	// What the operator needs comes first: status, reason, vendor reply,
	// then actions, lines, eSIMs and the records, in that order.
	if main.Find("h1 + .badge").AttrOr("data-status", "") != "needs_attention" {
		t.Error("status badge does not follow the heading")
	}
	order := []string{"[data-attention]", "[data-vendor-reply]", "[data-section=actions]", "[data-section=lines]", "[data-section=esims]", "[data-section=timeline]", "[data-section=notices]", "[data-section=payments]", "[data-section=mails]", "[data-section=jobs]", "[data-section=audit]"}
	last := -1
	for _, sel := range order {
		el := main.Find(sel)
		if el.Length() != 1 {
			t.Errorf("%s: found %d", sel, el.Length())
			continue
		}
		outer, _ := goquery.OuterHtml(el)
		pos := strings.Index(html, outer)
		if pos < last {
			t.Errorf("%s is out of order", sel)
		}
		last = pos
	}
	if text(main.Find("[data-vendor-code]")) != "1005" {
		t.Error("vendor code missing")
	}
	// The vendor's Chinese tradeMsg renders verbatim (buyer pages hide it;
	// the operator must see it).
	if got := main.Find("[data-vendor-msg]").Text(); got != testTradeMsg {
		t.Errorf("vendor message = %q, want %q", got, testTradeMsg)
	}
	if !strings.Contains(html, testTradeMsg) {
		t.Error("tradeMsg not in the page verbatim")
	}

	// Actions: one POST form each, to ActionBase/name.
	for _, name := range []string{"check-status", "retry-placement", "resend-email", "vendor-resend", "refund"} {
		f := main.Find(`form[data-action="` + name + `"]`)
		if f.Length() != 1 || f.AttrOr("method", "") != "post" || f.AttrOr("action", "") != d.ActionBase+"/"+name {
			t.Errorf("action %s: form %d to %q", name, f.Length(), f.AttrOr("action", ""))
		}
		if f.Find("button[type=submit]").Length() != 1 {
			t.Errorf("action %s: no submit button", name)
		}
	}
	refund := main.Find(`form[data-action=refund]`)
	box := refund.Find(`input[type=checkbox][name=confirm]`)
	if box.Length() != 1 || box.AttrOr("value", "") != "1" {
		t.Fatal("refund form lacks the confirm=1 checkbox")
	}
	if _, ok := box.Attr("required"); !ok {
		t.Error("confirm checkbox not required")
	}
	if _, ok := box.Attr("checked"); ok {
		t.Error("confirm checkbox must start unticked")
	}
	if !strings.Contains(text(box.Parent()), "I confirm") {
		t.Errorf("confirm label = %q", text(box.Parent()))
	}
	if !strings.Contains(text(refund), d.Total) {
		t.Error("refund form does not say how much")
	}
	if got := main.Find("[data-status-result]").Find("pre").Text(); got != strings.Join(d.StatusResult, "\n")+"\n" {
		t.Errorf("status result = %q", got)
	}

	// Lines, eSIMs, records.
	line := main.Find(`tr[data-line=sku-jp-5]`)
	if line.Find(`a[href="/admin/catalog/sku-jp-5"]`).Length() != 1 || !strings.Contains(text(line), "$11.00") || !strings.Contains(text(line), "SUB-1") {
		t.Errorf("line = %q", text(line))
	}
	if text(main.Find("tfoot [data-total]")) != d.Total {
		t.Error("lines total missing")
	}
	esim := main.Find(`[data-iccid="8985200012345678901"]`)
	qr := esim.Find("img.qr-small")
	if qr.AttrOr("src", "") != d.ESIMs[0].QRURL || qr.AttrOr("width", "") != "120" {
		t.Errorf("eSIM QR = %q width %q", qr.AttrOr("src", ""), qr.AttrOr("width", ""))
	}
	for _, want := range []string{testLPA, "installed", "2025-03-09", "smdp.example.com"} {
		if !strings.Contains(text(esim), want) {
			t.Errorf("eSIM lacks %q", want)
		}
	}
	if main.Find("[data-section=timeline] tr[data-event]").Length() != 3 {
		t.Error("timeline rows missing")
	}
	for sel, href := range map[string]string{"[data-section=notices]": "/admin/notices/vendor/41", "[data-section=payments]": "/admin/notices/stripe/7"} {
		if main.Find(sel+` a[href="`+href+`"]`).Length() != 1 {
			t.Errorf("%s lacks a link to %s", sel, href)
		}
	}
	for sel, want := range map[string]string{"mails": "550 mailbox unavailable", "jobs": "vendor 1005", "audit": "F011 ok"} {
		if !strings.Contains(text(main.Find("[data-section="+sel+"]")), want) {
			t.Errorf("%s lacks %q", sel, want)
		}
	}
	for sel, want := range map[string]string{"Vendor order": "BC-778899", "Payment intent": "pi_123"} {
		found := false
		main.Find("[data-section=facts] dt").Each(func(_ int, dt *goquery.Selection) {
			if text(dt) == sel && text(dt.Next()) == want {
				found = true
			}
		})
		if !found {
			t.Errorf("fact %s = %s missing", sel, want)
		}
	}
}

func TestAdminOrderActionsFollowFlags(t *testing.T) {
	tests := []struct {
		name string
		set  func(*AdminOrderData)
		want []string
	}{
		{"none", func(d *AdminOrderData) {}, nil},
		{"refund only", func(d *AdminOrderData) { d.CanRefund = true }, []string{"refund"}},
		{"retry and check", func(d *AdminOrderData) { d.CanRetry, d.CanCheck = true, true }, []string{"check-status", "retry-placement"}},
		{"emails", func(d *AdminOrderData) { d.CanResendEmail, d.CanVendorResend = true, true }, []string{"resend-email", "vendor-resend"}},
	}
	for _, tt := range tests {
		d := testAdminOrder()
		d.CanRetry, d.CanResendEmail, d.CanVendorResend, d.CanRefund, d.CanCheck = false, false, false, false, false
		d.StatusResult = nil
		tt.set(&d)
		doc, _ := render(t, AdminOrder(d))
		var got []string
		doc.Find("form[data-action]").Each(func(_ int, f *goquery.Selection) { got = append(got, f.AttrOr("data-action", "")) })
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: actions = %v, want %v", tt.name, got, tt.want)
		}
		if (len(tt.want) == 0) != (doc.Find("[data-section=actions] .empty").Length() == 1) {
			t.Errorf("%s: 'no action' note wrong", tt.name)
		}
		if doc.Find("[data-status-result]").Length() != 0 {
			t.Errorf("%s: status result without one", tt.name)
		}
	}
}
