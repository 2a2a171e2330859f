package views

import (
	"strconv"
	"strings"
	"testing"
)

// testEmail is the delivery email of the two-eSIM test order, with the QR
// codes as attachments.
func testEmail(lang string, demo bool) EmailData {
	o := testDelivered(lang)
	for i := range o.ESIMs {
		o.ESIMs[i].QRURL = "cid:qr-" + strconv.Itoa(7+i)
	}
	return EmailData{
		Lang: lang, Number: o.Number,
		OrderURL: "https://shop.example/orders/tok123",
		ESIMs:    o.ESIMs, Lines: o.Lines, Total: o.Total, Demo: demo,
	}
}

func TestEmailSubject(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"en", "Your eSIM is ready: order ES-10042"},
		{"es", "Tu eSIM está lista: pedido ES-10042"},
		{"fr", "Your eSIM is ready: order ES-10042"},
	}
	for _, tt := range tests {
		if got := EmailSubject(tt.lang, "ES-10042"); got != tt.want {
			t.Errorf("%s: subject = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestEmailHTML(t *testing.T) {
	for _, lang := range Languages {
		for _, demo := range []bool{false, true} {
			d := testEmail(lang, demo)
			doc, html := render(t, EmailHTML(d))
			where := lang
			if demo {
				where += "/demo"
			}
			if got := doc.Find("html").AttrOr("lang", ""); got != lang {
				t.Errorf("%s: html lang = %q", where, got)
			}
			if got := doc.Find("title").Text(); got != EmailSubject(lang, d.Number) {
				t.Errorf("%s: title = %q", where, got)
			}
			// Nothing a mail client strips or blocks.
			if n := doc.Find("script, link, style, iframe, form").Length(); n != 0 {
				t.Errorf("%s: %d script/link/style/iframe/form elements", where, n)
			}
			if strings.Contains(strings.ToLower(html), "<script") || strings.Contains(html, "javascript:") {
				t.Errorf("%s: script in the email", where)
			}
			if !strings.Contains(html, "max-width:600px") {
				t.Errorf("%s: no 600 px cap", where)
			}
			order := doc.Find(`a[data-button=order]`)
			if order.AttrOr("href", "") != d.OrderURL || text(order) != T(lang, "email.open_order") {
				t.Errorf("%s: order button = %q %q", where, order.AttrOr("href", ""), text(order))
			}
			if doc.Find(`a[href="`+d.OrderURL+`"]`).Length() < 1 {
				t.Errorf("%s: no order link", where)
			}
			for _, e := range d.ESIMs {
				block := doc.Find(`[data-esim="` + strconv.Itoa(e.Index) + `"]`)
				if block.Length() != 1 {
					t.Fatalf("%s: eSIM %d block missing", where, e.Index)
				}
				img := block.Find("img")
				if img.AttrOr("src", "") != e.QRURL || !strings.HasPrefix(e.QRURL, "cid:") {
					t.Errorf("%s: QR src = %q, want %q", where, img.AttrOr("src", ""), e.QRURL)
				}
				if img.AttrOr("width", "") != "200" || img.AttrOr("alt", "") == "" {
					t.Errorf("%s: QR img lacks width or alt", where)
				}
				if got := block.Find(`a[data-button=apple]`); got.AttrOr("href", "") != e.AppleURL || text(got) != T(lang, "order.install_iphone") {
					t.Errorf("%s: Apple link = %q", where, got.AttrOr("href", ""))
				}
				if got := block.Find(`a[data-button=android]`); got.AttrOr("href", "") != e.AndroidURL || text(got) != T(lang, "order.install_android") {
					t.Errorf("%s: Android link = %q", where, got.AttrOr("href", ""))
				}
				for _, f := range []struct{ name, label, value string }{
					{"smdp", "esim.smdp", e.SMDP},
					{"code", "esim.code", e.ActivationCode},
					{"lpa", "esim.lpa", e.LPA},
					{"iccid", "esim.iccid", e.ICCID},
					{"install-by", "esim.install_by", e.InstallBy},
					{"pin", "esim.pin", e.PIN},
				} {
					field := block.Find(`[data-field=` + f.name + `]`)
					if f.value == "" {
						if field.Length() != 0 {
							t.Errorf("%s: empty %s rendered", where, f.name)
						}
						continue
					}
					if !strings.Contains(text(field), T(lang, f.label)) || !strings.Contains(text(field), f.value) {
						t.Errorf("%s: %s = %q", where, f.name, text(field))
					}
				}
				apn := text(block.Find(`[data-field=apn]`))
				wantAPN := T(lang, "esim.apn_auto")
				if e.APNManual {
					wantAPN = T(lang, "esim.apn_manual")
				}
				if !strings.Contains(apn, e.APN) || !strings.Contains(apn, wantAPN) {
					t.Errorf("%s: APN = %q", where, apn)
				}
			}
			body := text(doc.Find("body"))
			for _, key := range []string{"esim.iphone1", "esim.android3", "order.install", "esim.arrival", "email.private"} {
				if !strings.Contains(body, T(lang, key)) {
					t.Errorf("%s: email lacks %s", where, key)
				}
			}
			if got := doc.Find(`a[data-help]`).AttrOr("href", ""); got != "https://shop.example/help/install?lang="+lang {
				t.Errorf("%s: guide link = %q", where, got)
			}
			if got := text(doc.Find("[data-summary] [data-total]")); got != d.Total {
				t.Errorf("%s: total = %q", where, got)
			}
			if (doc.Find("[data-demo]").Length() == 1) != demo {
				t.Errorf("%s: demo note shown = %v", where, !demo)
			}
		}
	}
}

func TestEmailText(t *testing.T) {
	for _, lang := range Languages {
		d := testEmail(lang, true)
		txt := EmailText(d)
		if strings.Contains(txt, "<") {
			t.Errorf("%s: markup in the text part", lang)
		}
		want := []string{
			T(lang, "email.heading"), T(lang, "email.demo"), d.OrderURL,
			T(lang, "esim.iphone2", T(lang, "order.install_iphone")), T(lang, "esim.android1"),
			T(lang, "order.install"), T(lang, "esim.arrival"), T(lang, "email.qr_text"),
			"https://shop.example/help/install?lang=" + lang,
			d.Total,
		}
		for _, e := range d.ESIMs {
			want = append(want,
				T(lang, "esim.smdp")+": "+e.SMDP,
				T(lang, "esim.code")+": "+e.ActivationCode,
				T(lang, "esim.lpa")+": "+e.LPA,
				T(lang, "esim.iccid")+": "+e.ICCID,
				e.AppleURL, e.AndroidURL,
			)
		}
		first := d.ESIMs[0]
		want = append(want,
			T(lang, "esim.apn")+": "+first.APN, T(lang, "esim.apn_manual"),
			T(lang, "esim.install_by")+": "+first.InstallBy,
			T(lang, "esim.pin")+": "+first.PIN, T(lang, "esim.puk")+": "+first.PUK,
			T(lang, "esim.msisdn")+": "+first.MSISDN,
		)
		for _, w := range want {
			if !strings.Contains(txt, w) {
				t.Errorf("%s: text lacks %q", lang, w)
			}
		}
		// The second eSIM has no PIN: no empty "PIN: " line.
		if strings.Count(txt, T(lang, "esim.pin")+": ") != 1 {
			t.Errorf("%s: PIN lines = %d, want 1", lang, strings.Count(txt, T(lang, "esim.pin")+": "))
		}
		if strings.Count(txt, T(lang, "esim.apn")+": ") != 2 {
			t.Errorf("%s: APN lines = %d, want one per eSIM", lang, strings.Count(txt, T(lang, "esim.apn")+": "))
		}
		if !strings.Contains(txt, T(lang, "esim.apn")+": "+T(lang, "esim.apn_auto")) {
			t.Errorf("%s: automatic APN not said", lang)
		}
		d.Demo = false
		if strings.Contains(EmailText(d), T(lang, "email.demo")) {
			t.Errorf("%s: demo note on a real email", lang)
		}
	}
}

func TestEmailRelativeOrderURL(t *testing.T) {
	d := testEmail("en", false)
	d.OrderURL = "/orders/tok123" // not absolute: no guide link can be built
	if strings.Contains(EmailText(d), "/help/install") {
		t.Error("relative help link in the email")
	}
}
