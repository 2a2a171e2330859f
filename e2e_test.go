package main

// Browser end-to-end tests: the whole shop in -demo mode, driven through
// headless Chromium the way a traveller and the operator use it. They
// prove what unit tests cannot: the search script filters, forms post,
// the demo payment redirects, and the order page turns into an eSIM by
// itself when the vendor's notice lands. Run them with
//
//	go test -run E2E -v .
//
// and add -e2e.screenshots to save a PNG of every step under
// testdata/e2e-artifacts/ (failures always save one).

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/esimshop/esimshop/views"
)

// e2eScreenshots saves a screenshot of every step, not only of failures.
var e2eScreenshots = flag.Bool("e2e.screenshots", false, "browser tests: save a full-page screenshot of every step under "+artifactsDir)

// deliveryTimeout is how long a buyer waits on the order page for the
// eSIM: the demo sandbox notifies ~4 s after the vendor order and the
// page polls every 4 s, so 30 s is generous.
const deliveryTimeout = 30 * time.Second

// TestE2EBuyEnglish is issue 6's first story: an English-speaking
// traveller searches for Japan, picks a plan with a longer option than
// the first, buys two eSIMs, pays on the demo page and watches the order
// page turn into the eSIM without touching it.
func TestE2EBuyEnglish(t *testing.T) {
	shop := startShop(t)
	b := newBrowser(t, shop)
	buyJapan(b, buyer{lang: "en", search: "Japan", country: "Japan", email: "traveller@example.com"})
}

// TestE2EBuySpanish is the same story in Spanish: the language is chosen
// once with ?lang=es and every page after it must speak Spanish, search
// included ("Japón", accent and all).
func TestE2EBuySpanish(t *testing.T) {
	shop := startShop(t)
	b := newBrowser(t, shop)
	buyJapan(b, buyer{lang: "es", search: "Japón", country: "Japón", email: "viajera@example.com"})
}

// TestE2EPhone walks the same story on a 390×844 phone screen: no page
// on the way (home, search, country, plan, payment, order before and
// after delivery) may scroll sideways.
func TestE2EPhone(t *testing.T) {
	shop := startShop(t)
	b := newBrowser(t, shop, asPhone)
	buyJapan(b, buyer{lang: "en", search: "Japan", country: "Japan", email: "phone@example.com"})
}

// TestE2EAdminFindsOrder is the operator's side: after a purchase, the
// admin signs in, finds the order by the buyer's email, opens it and
// sees the delivered eSIMs (QR codes and ICCIDs) that the buyer got.
func TestE2EAdminFindsOrder(t *testing.T) {
	shop := startShop(t)
	const adminEmail, adminPassword = "operator@example.com", "correct horse battery staple"
	if created, err := shop.main.App().EnsureAdmin(context.Background(), adminEmail, adminPassword); err != nil || !created {
		t.Fatalf("creating the admin: created=%v, err=%v", created, err)
	}
	b := newBrowser(t, shop)
	const email = "admin-search@example.com"
	bought := buyJapan(b, buyer{lang: "en", search: "Japan", country: "Japan", email: email})

	// Signed out, the dashboard sends the operator to the sign-in form.
	b.open("/admin")
	b.wantPath("/admin/sign-in")
	form := `form[action^="/admin/sign-in"]`
	b.waitVisible(form + ` input[name="email"]`)
	b.step("admin-sign-in")
	b.typeInto(form+` input[name="email"]`, adminEmail)
	b.typeInto(form+` input[name="password"]`, adminPassword)
	b.clickAndLoad(form + ` button[type="submit"]`)
	if p := b.path(); p != "/admin" {
		t.Fatalf("after signing in: on %s, want the dashboard /admin", p)
	}
	b.step("admin-dashboard")

	// The order list's search finds the order by the buyer's email.
	b.clickAndLoad(`a[href="/admin/orders"]`)
	b.typeInto(`input[name="q"]`, email)
	b.clickAndLoad(`form[action="/admin/orders"] button[type="submit"]`)
	b.wantPath("/admin/orders?")
	rows := `table[data-orders] tr[data-order]`
	if n := b.count(rows); n != 1 {
		t.Fatalf("searching the orders for %s found %d rows, want 1", email, n)
	}
	if got := b.attr(rows, "data-order"); got != bought.number {
		t.Fatalf("searching the orders for %s found order %q, want %q", email, got, bought.number)
	}
	b.step("admin-search")

	// The order page shows the same eSIMs the buyer got.
	b.clickAndLoad(rows + ` a`)
	if p := b.path(); p != "/admin/orders/"+bought.number {
		t.Fatalf("opening the order: on %s, want /admin/orders/%s", p, bought.number)
	}
	for _, iccid := range bought.iccids {
		card := fmt.Sprintf(`[data-iccid=%q]`, iccid)
		if b.count(card) != 1 {
			t.Errorf("the admin order page does not show the eSIM with ICCID %s", iccid)
			continue
		}
		b.wantText(card, iccid)
		// The QR codes are lazy-loaded images: scroll to each, then it
		// must load (an admin-only, signed-in image URL).
		b.waitFor("the QR code of "+iccid, fmt.Sprintf(`(() => {
			const img = document.querySelector(%q);
			if (!img) return false;
			img.scrollIntoView({block: "center"});
			return img.complete && img.naturalWidth > 0;
		})()`, card+` img[src*="/qr.png"]`), actionTimeout)
	}
	b.step("admin-order")
}

// buyer is who walks through the shop, and in which language.
type buyer struct {
	lang    string // page language: "en" or "es"
	search  string // what they type into the destination search
	country string // the country's name in that language
	email   string
}

// purchase is what a finished purchase left: the private order page and
// what identifies the order and its eSIMs.
type purchase struct {
	orderPath string // /orders/<token>
	number    string // the order number the buyer is shown
	iccids    []string
}

// quantity is how many eSIMs the stories buy: more than one, so each
// delivered eSIM must show up.
const quantity = 2

// buyJapan is the buyer's story from the home page to a delivered eSIM,
// checking on every page what the buyer would check.
func buyJapan(b *browser, who buyer) purchase {
	t := b.t
	t.Helper()
	tr := func(key string, args ...any) string { return views.T(who.lang, key, args...) }

	// Home: the language is chosen by the link a buyer followed.
	home := "/"
	if who.lang != "en" {
		home = "/?lang=" + who.lang
	}
	b.open(home)
	b.waitVisible("#q")
	if got := b.attr("html", "lang"); got != who.lang {
		t.Fatalf("home page language %q, want %q", got, who.lang)
	}
	b.step("home")

	// Typing filters the destination list in place (app.js) to Japan.
	b.typeInto("#q", who.search)
	b.waitFor("the destination list filtered to "+who.search, `(() => {
		const all = [...document.querySelectorAll("#all-destinations li")];
		const shown = all.filter(li => !li.hidden);
		return shown.length > 0 && shown.length < all.length &&
			shown.some(li => li.querySelector('a[href="/destinations/jp"]'));
	})()`, actionTimeout)
	b.step("search")

	// Country page.
	b.clickAndLoad(`#all-destinations li:not([hidden]) a[href="/destinations/jp"]`)
	b.wantPath("/destinations/jp")
	b.wantText("h1", tr("dest.heading", who.country))
	b.step("country")

	// Plan page: the first of Japan's own plans.
	b.clickAndLoad(`section[aria-labelledby="local-h"] a[href^="/plans/"]`)
	b.wantPath("/plans/")
	b.waitVisible("form.buy")
	if n := b.count(`form.buy input[name="copies"]`); n < 2 {
		t.Fatalf("the plan page offers %d options, want at least 2 to pick another than the first", n)
	}
	b.step("plan")

	// Choose the second option, two eSIMs and an email address.
	second := `form.buy label.tier:nth-of-type(2) input[name="copies"]`
	b.click(second)
	if !eval[bool](b, `document.querySelector(`+jsString(second)+`).checked &&
		!document.querySelector('form.buy label.tier:nth-of-type(1) input[name="copies"]').checked`) {
		t.Fatal("clicking the second option did not select it")
	}
	option := b.text(`form.buy label.tier:nth-of-type(2) strong`) // "500 MB/day · 3 days"
	b.typeInto("#quantity", fmt.Sprint(quantity))
	b.typeInto("#email", who.email)
	b.wantText(`form.buy button[type="submit"]`, tr("plan.buy"))
	b.step("plan-filled")

	// Demo payment page: the order as chosen, and its total on the button.
	b.clickAndLoad(`form.buy button[type="submit"]`)
	b.wantPath("/demo/pay/")
	b.wantText("h1", tr("demo.heading"))
	b.wantText(".order-lines", option)
	b.wantText(".order-lines", views.Plural(who.lang, "order.esims", quantity))
	total := b.text("[data-total]")
	b.wantText(`form[data-pay] button[type="submit"]`, tr("demo.pay", total))
	b.step("pay")

	// Paid: the order page says the eSIM is being prepared, and polls.
	// The page is read and marked in one go: it may reload itself any
	// moment now, and the mark must be on the page that was read.
	b.clickAndLoad(`form[data-pay] button[type="submit"]`)
	paid := eval[orderPageState](b, `(() => {
		window.__e2eOld = true;
		const h = document.querySelector("#status-h");
		return {path: location.pathname, heading: h ? h.innerText.replace(/\s+/g, " ").trim() : "", live: document.querySelectorAll("[data-status-url]").length};
	})()`)
	orderPath := paid.Path
	if !strings.HasPrefix(orderPath, "/orders/") {
		t.Fatalf("after paying: on %s, want the order page", orderPath)
	}
	if want := tr("order.preparing_h"); paid.Heading != want {
		t.Errorf("the paid order's status reads %q, want %q", paid.Heading, want)
	}
	if who.lang == "en" && !strings.Contains(paid.Heading, "being prepared") {
		t.Errorf("the paid order's status reads %q, want it to say \"being prepared\"", paid.Heading)
	}
	if paid.Live != 1 {
		t.Fatal("the order page has no [data-status-url]: it cannot update itself")
	}
	b.step("order-preparing")

	// Without the test touching the page, its script notices the delivery
	// and reloads it: the QR codes appear and load.
	b.waitFor("the eSIM QR codes on the order page", `(() => {
		const imgs = [...document.querySelectorAll('img[src*="/qr.png"]')];
		return imgs.length > 0 && imgs.every(img => img.complete && img.naturalWidth > 0);
	})()`, deliveryTimeout)
	if !b.reloadedSinceMark() {
		t.Error("the QR codes appeared without the page reloading itself")
	}
	if p := b.path(); p != orderPath {
		t.Fatalf("the order page moved from %s to %s by itself", orderPath, p)
	}
	b.wantText("#status-h", tr("order.ready_h"))
	if n := b.count(`[data-esim]`); n != quantity {
		t.Fatalf("the order page shows %d eSIMs, want %d", n, quantity)
	}
	if n := b.count(`[data-esim] img[src*="/qr.png"]`); n != quantity {
		t.Errorf("the order page shows %d QR codes, want %d", n, quantity)
	}
	// Each eSIM has the manual details, for phones that cannot scan.
	b.wantText(`[data-field="smdp"] dt`, tr("esim.smdp"))
	b.wantText(`[data-field="code"] dt`, tr("esim.code"))
	details := eval[[]esimDetails](b, `[...document.querySelectorAll("[data-esim]")].map(e => {
		const v = name => { const c = e.querySelector('[data-field="' + name + '"] code'); return c ? c.textContent.trim() : ""; };
		return {smdp: v("smdp"), code: v("code"), iccid: v("iccid")};
	})`)
	var iccids []string
	for i, d := range details {
		if d.SMDP == "" || d.Code == "" || d.ICCID == "" {
			t.Errorf("eSIM %d lacks manual details: SM-DP+ %q, activation code %q, ICCID %q", i+1, d.SMDP, d.Code, d.ICCID)
		}
		iccids = append(iccids, d.ICCID)
	}
	if len(iccids) == 2 && iccids[0] == iccids[1] {
		t.Errorf("both eSIMs have the ICCID %s", iccids[0])
	}
	b.step("order-ready")

	number := strings.TrimSpace(strings.TrimPrefix(b.text("h1"), strings.TrimSpace(tr("order.heading", ""))))
	return purchase{orderPath: orderPath, number: number, iccids: iccids}
}

// orderPageState is the order page as the buyer first sees it.
type orderPageState struct {
	Path    string `json:"path"`
	Heading string `json:"heading"`
	Live    int    `json:"live"`
}

// esimDetails is what a buyer types by hand when they cannot scan.
type esimDetails struct {
	SMDP  string `json:"smdp"`
	Code  string `json:"code"`
	ICCID string `json:"iccid"`
}
