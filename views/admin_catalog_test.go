package views

import (
	"strings"
	"testing"
)

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
