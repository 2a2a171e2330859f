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

func TestAdminCatalog(t *testing.T) {
	d := testCatalog()
	doc, html := render(t, AdminCatalog(d))
	f := doc.Find(`form[data-form=catalog-filter]`)
	if f.AttrOr("method", "") != "get" {
		t.Error("catalog filter is not a GET form")
	}
	for field, want := range map[string]string{"q": d.Q, "country": d.Country, "region": d.Region} {
		if got := f.Find(`input[name=`+field+`]`).AttrOr("value", ""); got != want {
			t.Errorf("filter %s = %q", field, got)
		}
	}
	for field, want := range map[string]string{"type": d.Type, "active": d.Active, "hidden": d.Hidden} {
		sel := f.Find(`select[name=` + field + `] option[selected]`)
		if sel.Length() != 1 || sel.AttrOr("value", "") != want {
			t.Errorf("filter %s selected %q, want %q", field, sel.AttrOr("value", ""), want)
		}
	}
	states := map[string]string{"sku-jp-5": "active", "sku-as-1": "hidden", "sku-gone": "inactive"}
	for sku, state := range states {
		tr := doc.Find(`tr[data-sku="` + sku + `"]`)
		if tr.Find(`.badge[data-status="`+state+`"]`).Length() != 1 {
			t.Errorf("%s: state badge %q missing in %q", sku, state, text(tr))
		}
	}
	if !strings.Contains(html, "日本 5GB 7天") {
		t.Error("vendor name not verbatim")
	}
	syncs := doc.Find(`tr[data-sync]`)
	if syncs.Length() != 2 {
		t.Fatalf("%d sync rows", syncs.Length())
	}
	first := syncs.Eq(0)
	if first.Find(`a[href="/admin/catalog/sku%2Fnew%202"]`).Length() != 1 {
		t.Error("added SKU not linked (escaped)")
	}
	if !strings.Contains(text(first), "2 added") || !strings.Contains(text(first), "1 removed") || !strings.Contains(text(first), "3 price changes") {
		t.Errorf("sync changes = %q", text(first))
	}
	if syncs.Eq(1).Find(`.badge[data-status=failed]`).Length() != 1 || !strings.Contains(text(syncs.Eq(1)), "F002: timeout") {
		t.Error("failed sync not shown")
	}
	sync := doc.Find(`form[data-form=sync]`)
	if sync.AttrOr("action", "") != d.SyncAction || sync.AttrOr("method", "") != "post" {
		t.Error("sync now form wrong")
	}
	feat := doc.Find(`form[data-form=featured]`)
	if feat.AttrOr("action", "") != d.FeaturedAction || feat.Find(`input[name=featured]`).AttrOr("value", "") != d.Featured {
		t.Error("featured form wrong")
	}
	if doc.Find(`a[rel=next][href="/admin/catalog?page=2"]`).Length() != 1 || doc.Find(`a[rel=prev]`).Length() != 0 {
		t.Error("pager wrong")
	}
}

func TestAdminSKU(t *testing.T) {
	d := testSKU()
	doc, html := render(t, AdminSKU(d))
	hide := doc.Find(`form[data-form=hide]`)
	if hide.AttrOr("action", "") != d.HideAction || hide.Find(`input[name=hidden]`).AttrOr("value", "") != "1" {
		t.Error("visible SKU: hide form must post hidden=1")
	}
	tiers := doc.Find("tr[data-tier]")
	if tiers.Length() != 2 {
		t.Fatalf("%d tiers", tiers.Length())
	}
	for i, tier := range d.Tiers {
		tr := tiers.Eq(i)
		f := tr.Find("form")
		if f.AttrOr("action", "") != d.OverrideAction || f.AttrOr("method", "") != "post" {
			t.Errorf("tier %d: override form to %q", tier.Copies, f.AttrOr("action", ""))
		}
		if f.Find(`input[name=copies]`).AttrOr("value", "") != itoa(tier.Copies) || f.Find(`input[name=amount]`).AttrOr("value", "x") != tier.Override {
			t.Errorf("tier %d: override fields wrong", tier.Copies)
		}
		for _, v := range []string{tier.Retail, tier.Settlement, tier.Cost, tier.Computed, tier.Selling} {
			if !strings.Contains(text(tr), v) {
				t.Errorf("tier %d lacks %q", tier.Copies, v)
			}
		}
		if tr.HasClass("row-bad") != tier.BelowCost || (tr.Find(`.badge[data-status=below_cost]`).Length() == 1) != tier.BelowCost {
			t.Errorf("tier %d: below-cost flag wrong", tier.Copies)
		}
	}
	if !strings.Contains(html, "软银 (4G)") || !strings.Contains(html, "日本 5GB 7天") {
		t.Error("vendor text must be verbatim in the admin")
	}
	if doc.Find(`[data-section=vendor] dt`).Length() != len(d.Vendor) {
		t.Error("not every vendor field shown")
	}
	if doc.Find(`a[data-public-url][href="/plans/sku-jp-5"]`).Length() != 1 {
		t.Error("no link to the shop page")
	}

	d.Hidden = true
	doc, _ = render(t, AdminSKU(d))
	if doc.Find(`form[data-form=hide] input[name=hidden]`).AttrOr("value", "") != "0" {
		t.Error("hidden SKU: form must post hidden=0 to show it again")
	}
}

func TestAdminPricing(t *testing.T) {
	d := testPricing()
	doc, _ := render(t, AdminPricing(d))
	f := doc.Find(`form[data-form=pricing]`)
	if f.AttrOr("action", "") != d.SaveAction || f.AttrOr("method", "") != "post" {
		t.Error("pricing form does not post to SaveAction")
	}
	if doc.Find(`button[data-preview]`).AttrOr("formaction", "") != d.PreviewAction {
		t.Error("preview button does not post to PreviewAction")
	}
	if f.Find(`input[name=basis][checked]`).AttrOr("value", "") != "settlement" || f.Find(`input[name=basis]`).Length() != 2 {
		t.Error("basis radio wrong")
	}
	for field, want := range map[string]string{"fx_rate": d.FXRate, "markup": d.Markup, "charm": d.Charm, "currency": d.Currency} {
		in := f.Find(`input[name=` + field + `]`)
		if in.AttrOr("value", "") != want {
			t.Errorf("%s = %q", field, in.AttrOr("value", ""))
		}
		invalid := d.Errors[field] != ""
		if (in.AttrOr("aria-invalid", "") == "true") != invalid {
			t.Errorf("%s: aria-invalid wrong", field)
		}
		if invalid && text(doc.Find("#"+field+"-error")) != d.Errors[field] {
			t.Errorf("%s: error message missing", field)
		}
	}
	rows := doc.Find("tr[data-preview-row]")
	if rows.Length() != 2 || !rows.Eq(1).HasClass("row-bad") || rows.Eq(0).HasClass("row-bad") {
		t.Error("preview rows or below-cost flag wrong")
	}
	if !strings.Contains(text(rows.Eq(0)), "$9.99") || !strings.Contains(text(rows.Eq(0)), "$10.99") {
		t.Errorf("preview row = %q", text(rows.Eq(0)))
	}
	d.Preview, d.Errors = nil, map[string]string{"form": "could not save"}
	doc, _ = render(t, AdminPricing(d))
	if doc.Find("[data-section=preview]").Length() != 0 || text(doc.Find(`[data-error=form]`)) != "could not save" {
		t.Error("no-preview page wrong")
	}
}

func TestAdminNotices(t *testing.T) {
	d := testNotices()
	doc, _ := render(t, AdminNotices(d))
	cur := doc.Find(`.tabs a[aria-current=page]`)
	if cur.AttrOr("data-source", "") != "vendor" || doc.Find(`.tabs a[href="/admin/notices?source=stripe"]`).Length() != 1 {
		t.Error("source tabs wrong")
	}
	rows := doc.Find("tr[data-record]")
	if rows.Length() != 2 {
		t.Fatalf("%d rows", rows.Length())
	}
	if rows.Eq(0).Find(`a[href="/admin/notices/vendor/41"]`).Length() != 1 || rows.Eq(0).Find(`a[href="/admin/orders/ES-1002"]`).Length() != 1 {
		t.Error("notice row lacks its links")
	}
	if rows.Eq(0).Find(".badge-bad").Length() != 1 || rows.Eq(1).Find(".badge-ok").Length() != 1 {
		t.Error("verdict badges not colour-coded")
	}
}

func TestAdminNotice(t *testing.T) {
	d := testNotice()
	doc, html := render(t, AdminNotice(d))
	body := doc.Find("pre.raw[data-body]")
	if body.Text() != d.Body {
		t.Errorf("body = %q", body.Text())
	}
	if strings.Contains(html, "<script>alert") {
		t.Error("payload markup not escaped")
	}
	if !strings.Contains(body.Text(), testTradeMsg) {
		t.Error("Chinese payload text not verbatim")
	}
	if doc.Find("pre.raw[data-headers]").Text() != d.Headers {
		t.Error("headers missing")
	}
	if text(doc.Find("[data-error]")) != d.Error || doc.Find(`a[data-order-link][href="/admin/orders/ES-1002"]`).Length() != 1 {
		t.Error("error or order link missing")
	}
	if doc.Find("h1 + .badge").AttrOr("data-status", "") != "rejected" {
		t.Error("verdict badge missing")
	}
}
