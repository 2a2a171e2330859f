package views

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// testLPA is an activation string with the characters that need escaping
// in a query ($), as the vendor sends them.
const testLPA = "LPA:1$smdp.example.com$K2-1ABC2-3DEF4"

// setupURL is how web builds the one-tap install links.
func setupURL(host, lpa string) string {
	return "https://" + host + "/esim_qrcode_provisioning?carddata=" + url.QueryEscape(lpa)
}

// testESIMs are two delivered eSIMs: one with everything, one with only
// what the vendor must send (APN automatic, no PIN/PUK/number).
func testESIMs(lang string) []ESIMView {
	title := PlanTitle(lang, CountryName(lang, "JP"), cardJapan)
	return []ESIMView{
		{
			Index: 1, Title: title, ICCID: "8985200012345678901",
			LPA: testLPA, SMDP: "smdp.example.com", ActivationCode: "K2-1ABC2-3DEF4",
			QRURL:      "/orders/tok123/esims/7/qr.png",
			AppleURL:   setupURL("esimsetup.apple.com", testLPA),
			AndroidURL: setupURL("esimsetup.android.com", testLPA),
			APN:        "plus.acs.jp", APNManual: true,
			InstallBy: "2025-04-30", PIN: "1234", PUK: "87654321", MSISDN: "+81 70 1234 5678",
		},
		{
			Index: 2, Title: title, ICCID: "8985200012345678902",
			LPA: "LPA:1$rsp.example.net$XYZ", SMDP: "rsp.example.net", ActivationCode: "XYZ",
			QRURL:      "/orders/tok123/esims/8/qr.png",
			AppleURL:   setupURL("esimsetup.apple.com", "LPA:1$rsp.example.net$XYZ"),
			AndroidURL: setupURL("esimsetup.android.com", "LPA:1$rsp.example.net$XYZ"),
		},
	}
}

// testDelivered is a delivered order page with two eSIMs.
func testDelivered(lang string) OrderData {
	d := testOrder(lang, statusDelivered)
	d.ESIMs = testESIMs(lang)
	return d
}

func TestOrderDeliveredESIMs(t *testing.T) {
	for _, lang := range Languages {
		d := testDelivered(lang)
		doc, html := render(t, Order(d))
		section := doc.Find("section#esim")
		if section.Length() != 1 {
			t.Fatalf("%s: no eSIM section", lang)
		}
		if got := text(section.Find("#esim-h")); got != T(lang, "esim.heading_many", 2) {
			t.Errorf("%s: heading = %q", lang, got)
		}
		cards := section.Find("article.esim-card")
		if cards.Length() != 2 {
			t.Fatalf("%s: %d eSIM cards, want 2", lang, cards.Length())
		}
		for i, e := range d.ESIMs {
			where := lang + "/esim" + e.ICCID[len(e.ICCID)-1:]
			card := cards.Eq(i)
			if got := card.AttrOr("id", ""); got != esimID(e, "") {
				t.Errorf("%s: card id = %q", where, got)
			}
			if !strings.Contains(text(card.Find("h3")), T(lang, "esim.number", e.Index)) || !strings.Contains(text(card.Find("h3")), e.Title) {
				t.Errorf("%s: card heading = %q", where, text(card.Find("h3")))
			}

			// One-tap links, exact URLs with the escaped LPA.
			apple := card.Find(`a[data-install=apple]`)
			if got := apple.AttrOr("href", ""); got != e.AppleURL || !strings.Contains(got, "carddata=LPA%3A1%24") {
				t.Errorf("%s: Apple link = %q, want %q", where, got, e.AppleURL)
			}
			if text(apple) != T(lang, "order.install_iphone") {
				t.Errorf("%s: Apple link text = %q", where, text(apple))
			}
			android := card.Find(`a[data-install=android]`)
			if got := android.AttrOr("href", ""); got != e.AndroidURL {
				t.Errorf("%s: Android link = %q, want %q", where, got, e.AndroidURL)
			}
			if text(android) != T(lang, "order.install_android") {
				t.Errorf("%s: Android link text = %q", where, text(android))
			}
			// On a phone the one-tap buttons come before the QR code.
			if card.Find("[data-onetap] ~ [data-qr]").Length() != 1 {
				t.Errorf("%s: one-tap buttons must precede the QR code in the markup", where)
			}

			img := card.Find("figure[data-qr] img")
			if got := img.AttrOr("src", ""); got != e.QRURL {
				t.Errorf("%s: QR src = %q, want %q", where, got, e.QRURL)
			}
			if img.AttrOr("width", "") == "" || img.AttrOr("height", "") == "" || img.AttrOr("alt", "") != T(lang, "esim.qr_alt", e.Index, e.Title) {
				t.Errorf("%s: QR img lacks size or alt: %v", where, img.Nodes[0].Attr)
			}

			// Manual details with copy buttons that carry the exact text.
			for _, f := range []struct{ name, label, value string }{
				{"smdp", "esim.smdp", e.SMDP},
				{"code", "esim.code", e.ActivationCode},
				{"lpa", "esim.lpa", e.LPA},
				{"iccid", "esim.iccid", e.ICCID},
			} {
				field := card.Find(`[data-field=` + f.name + `]`)
				if got := text(field.Find("dt")); got != T(lang, f.label) {
					t.Errorf("%s/%s: label = %q", where, f.name, got)
				}
				if got := text(field.Find("code")); got != f.value {
					t.Errorf("%s/%s: value = %q, want %q", where, f.name, got, f.value)
				}
				btn := field.Find("button[data-copy]")
				if btn.AttrOr("data-copy", "") != f.value || btn.AttrOr("type", "") != "button" {
					t.Errorf("%s/%s: copy button = %v", where, f.name, btn.Nodes)
				}
				if !btn.HasClass("needs-js") || btn.AttrOr("data-copied", "") != T(lang, "esim.copied") || text(btn) != T(lang, "esim.copy") {
					t.Errorf("%s/%s: copy button not hidden without JS or not localised", where, f.name)
				}
				if id := btn.AttrOr("aria-describedby", ""); id == "" || doc.Find("#"+id).Length() != 1 || text(doc.Find("#"+id)) != T(lang, f.label) {
					t.Errorf("%s/%s: copy button not described by its label", where, f.name)
				}
			}

			apn := card.Find(`[data-field=apn]`)
			if e.APN != "" {
				if text(apn.Find("code")) != e.APN || apn.Find(`button[data-copy="`+e.APN+`"]`).Length() != 1 {
					t.Errorf("%s: APN = %q", where, text(apn))
				}
			}
			if got := apn.Find("[data-apn-manual]").Length() == 1; got != e.APNManual {
				t.Errorf("%s: APN manual note shown = %v", where, got)
			}
			if got := apn.Find("[data-apn-auto]").Length() == 1; got == e.APNManual {
				t.Errorf("%s: APN automatic note shown = %v", where, got)
			}
			for _, f := range []struct{ name, label, value string }{
				{"install-by", "esim.install_by", e.InstallBy},
				{"pin", "esim.pin", e.PIN},
				{"puk", "esim.puk", e.PUK},
				{"msisdn", "esim.msisdn", e.MSISDN},
			} {
				field := card.Find(`[data-field=` + f.name + `]`)
				if f.value == "" {
					if field.Length() != 0 {
						t.Errorf("%s/%s: empty value rendered", where, f.name)
					}
					continue
				}
				if text(field.Find("dt")) != T(lang, f.label) || text(field.Find("dd")) != f.value {
					t.Errorf("%s/%s: = %q", where, f.name, text(field))
				}
			}
		}

		// Install steps for both platforms, the guide link, the advice.
		for _, p := range []string{"iphone", "android"} {
			if n := doc.Find(`ol[data-steps=` + p + `] li`).Length(); n < 3 {
				t.Errorf("%s: %d %s steps", lang, n, p)
			}
		}
		if !strings.Contains(text(doc.Find(`ol[data-steps=iphone]`)), T(lang, "order.install_iphone")) ||
			!strings.Contains(text(doc.Find(`ol[data-steps=android]`)), T(lang, "order.install_android")) {
			t.Errorf("%s: steps do not name the install buttons", lang)
		}
		if doc.Find(`a[data-more-help]`).AttrOr("href", "") != Path(lang, "/help/install") {
			t.Errorf("%s: no link to the full guide", lang)
		}
		advice := text(doc.Find("aside.callout"))
		for _, key := range []string{"order.install", "esim.arrival"} {
			if !strings.Contains(advice, T(lang, key)) {
				t.Errorf("%s: advice lacks %s", lang, key)
			}
		}
		if doc.Find("[data-copy-status][role=status]").Length() != 1 {
			t.Errorf("%s: no live region for the copy feedback", lang)
		}
		if doc.Find("button[data-print].needs-js").Length() != 1 {
			t.Errorf("%s: print button missing", lang)
		}
		if strings.Contains(html, " onclick") || strings.Contains(html, "javascript:") {
			t.Errorf("%s: inline handlers would break the CSP", lang)
		}
	}
}

func TestOrderESIMsOnlyWhenDelivered(t *testing.T) {
	for _, status := range []string{statusPendingPayment, statusPaid, statusPlaced, statusNeedsAttention, statusExpired} {
		d := testOrder("en", status)
		d.ESIMs = testESIMs("en") // web should not, but views must not leak them
		doc, _ := render(t, Order(d))
		if n := doc.Find("#esim, [data-esim], [data-install], button[data-copy]").Length(); n != 0 {
			t.Errorf("%s: %d eSIM elements on an undelivered order", status, n)
		}
	}
	// Delivered with nothing to show yet: a message, not an empty box.
	for _, lang := range Languages {
		doc, _ := render(t, Order(testOrder(lang, statusDelivered)))
		if got := text(doc.Find("#esim [data-esim-none]")); got != T(lang, "esim.none") {
			t.Errorf("%s: no-eSIM message = %q", lang, got)
		}
		if doc.Find("#esim article, #esim button").Length() != 0 {
			t.Errorf("%s: empty delivery renders cards or buttons", lang)
		}
	}
}

func TestOrderSingleESIM(t *testing.T) {
	d := testOrder("es", statusDelivered)
	e := testESIMs("es")[1]
	e.Index = 1
	e.AppleURL, e.AndroidURL = "", ""
	d.ESIMs = []ESIMView{e}
	doc, _ := render(t, Order(d))
	if got := text(doc.Find("#esim-h")); got != "Tu eSIM" {
		t.Errorf("heading = %q", got)
	}
	if doc.Find("[data-onetap]").Length() != 0 {
		t.Error("one-tap block without links")
	}
	if doc.Find("[data-qr] img").AttrOr("src", "") != e.QRURL {
		t.Error("QR missing")
	}
}

func TestImageURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"/orders/tok/esims/1/qr.png", "/orders/tok/esims/1/qr.png"},
		{"cid:qr-1", "cid:qr-1"},
		{"CID:qr-1", "CID:qr-1"},
		{"https://cdn.example/qr.png", "https://cdn.example/qr.png"},
		{"data:image/png;base64,iVBORw0KGgo=", "data:image/png;base64,iVBORw0KGgo="},
		{"javascript:alert(1)", "about:invalid#TemplFailedSanitizationURL"},
		{"//evil.example/x.png", "about:invalid#TemplFailedSanitizationURL"},
		{"data:text/html;base64,PHNjcmlwdD4=", "about:invalid#TemplFailedSanitizationURL"},
		{"", "about:invalid#TemplFailedSanitizationURL"},
	}
	for _, tt := range tests {
		if got := string(imageURL(tt.in)); got != tt.want {
			t.Errorf("imageURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestOrderLiveUpdates checks the status polling hooks: present while the
// order moves and web gives an endpoint, with the timed reload kept for
// browsers without JavaScript only.
func TestOrderLiveUpdates(t *testing.T) {
	tests := []struct {
		name, status, statusURL string
		refresh                 int
		wantPoll                bool
		wantMeta                string // "plain", "noscript" or ""
	}{
		{"pending polls", statusPendingPayment, "/orders/tok/status", 5, true, "noscript"},
		{"placing polls", statusPlacing, "/orders/tok/status", 10, true, "noscript"},
		{"delivered is still", statusDelivered, "/orders/tok/status", 0, false, ""},
		{"no endpoint: meta only", statusPaid, "", 10, false, "plain"},
		{"failed is still", statusPaymentFailed, "/orders/tok/status", 0, false, ""},
	}
	for _, lang := range Languages {
		for _, tt := range tests {
			where := lang + "/" + tt.name
			d := testOrder(lang, tt.status)
			d.StatusURL = tt.statusURL
			d.Refresh = tt.refresh
			doc, html := render(t, Order(d))
			live := doc.Find("[data-status-url]")
			if (live.Length() == 1) != tt.wantPoll {
				t.Errorf("%s: data-status-url present = %v", where, live.Length() == 1)
			}
			if tt.wantPoll && (live.AttrOr("data-status-url", "") != tt.statusURL || live.AttrOr("data-status", "") != tt.status) {
				t.Errorf("%s: poll attributes = %q %q", where, live.AttrOr("data-status-url", ""), live.AttrOr("data-status", ""))
			}
			// goquery parses <noscript> as text (scripting on), so a
			// refresh meta inside it is not an element.
			plain := doc.Find(`meta[http-equiv=refresh]`).Length()
			noscript := doc.Find("head noscript")
			inNoscript := noscript.Length() == 1 && strings.Contains(noscript.Text(), `http-equiv="refresh"`)
			switch tt.wantMeta {
			case "plain":
				if plain != 1 || inNoscript {
					t.Errorf("%s: want a plain meta refresh (plain %d, noscript %v)", where, plain, inNoscript)
				}
			case "noscript":
				if plain != 0 || !inNoscript || !strings.Contains(html, `<noscript><meta http-equiv="refresh" content="`) {
					t.Errorf("%s: want the meta refresh inside <noscript> only (plain %d)", where, plain)
				}
			default:
				if plain != 0 || strings.Contains(html, "refresh") && strings.Contains(html, "http-equiv") {
					t.Errorf("%s: a still order must not reload", where)
				}
			}
			note := doc.Find("[data-auto-refresh]")
			if tt.wantPoll && note.AttrOr("data-stopped", "") != T(lang, "order.auto_refresh_stopped") {
				t.Errorf("%s: no localised 'stopped updating' text for app.js", where)
			}
		}
	}
}

// TestESIMTextIsNotHTML checks vendor values are text, never markup.
func TestESIMTextIsNotHTML(t *testing.T) {
	d := testDelivered("en")
	d.ESIMs[0].ActivationCode = `<img src=x onerror=alert(1)>`
	d.ESIMs[0].AppleURL = "javascript:alert(1)"
	doc, html := render(t, Order(d))
	if strings.Contains(html, "<img src=x") || strings.Contains(html, "javascript:") {
		t.Error("vendor value reached the page as markup")
	}
	if got := doc.Find(`[data-field=code] button`).AttrOr("data-copy", ""); got != d.ESIMs[0].ActivationCode {
		t.Errorf("copy text = %q", got)
	}
	doc.Find("img").Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("onerror", "") != "" {
			t.Error("injected img")
		}
	})
}
