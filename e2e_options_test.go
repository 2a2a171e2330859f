package main

import (
	"strings"
	"testing"

	"github.com/esimshop/esimshop/views"
)

// TestE2EPhoneExactOption is issue 16's story on a 390×844 phone, in
// Spanish: "tokio" finds Japan in the live filter; on Japan's page the
// 3 GB/15-day plan lists its 30-day option as itself; picking it opens
// the plan with that option chosen; the headline, the total, the sticky
// bar and the payment page all agree on data, days and price; cancelling
// the payment comes back with the choice and email kept.
func TestE2EPhoneExactOption(t *testing.T) {
	shop := startShop(t)
	b := newBrowser(t, shop, asPhone)
	tr := func(key string, args ...any) string { return views.T("es", key, args...) }

	b.open("/?lang=es")
	b.waitVisible("#q")
	// The live filter forgives typos the way /search does.
	b.typeInto("#q", "japn")
	b.waitFor("the live filter to find Japón for japn", `(() => {
		const shown = [...document.querySelectorAll("#all-destinations li")].filter(li => !li.hidden);
		return shown.length > 0 && shown.some(li => li.querySelector('a[href="/destinations/jp"]'));
	})()`, actionTimeout)
	// (chromedp's Clear leaves a search field's value: empty it by script.)
	eval[bool](b, `(() => { const q = document.querySelector("#q"); q.value = ""; q.dispatchEvent(new Event("input")); return true; })()`)
	b.typeInto("#q", "tokio")
	b.waitFor("the live filter to find Japón for tokio", `(() => {
		const shown = [...document.querySelectorAll("#all-destinations li")].filter(li => !li.hidden);
		return shown.length > 0 && shown.some(li => li.querySelector('a[href="/destinations/jp"]'));
	})()`, actionTimeout)
	b.step("tokio")
	b.clickAndLoad(`#all-destinations li:not([hidden]) a[href="/destinations/jp"]`)
	b.wantPath("/destinations/jp")

	// The 3 GB · 15 días plan: its second option is 6 GB · 30 días.
	opt := `.card a.opt[data-copies="2"]`
	card := eval[string](b, `(() => {
		const c = [...document.querySelectorAll(".card")].find(c => [...c.querySelectorAll(".opt-label")].some(l => l.textContent.trim() === "3 GB · 15 días"));
		return c ? c.getAttribute("data-sku") : "";
	})()`)
	if card == "" {
		t.Fatal("no card lists a 3 GB · 15 días option")
	}
	sel := `.card[data-sku="` + card + `"] ` + strings.TrimPrefix(opt, ".card ")
	label := b.text(sel + " .opt-label")
	price := b.text(sel + " .price")
	if label != "6 GB · 30 días" {
		t.Fatalf("the plan's second option reads %q, want 6 GB · 30 días", label)
	}
	b.step("card")
	b.clickAndLoad(sel)
	b.wantPath("/plans/" + card)
	if h := b.text("h1"); !strings.Contains(h, label) {
		t.Errorf("plan headline %q does not say %q", h, label)
	}
	if !eval[bool](b, `document.querySelector('input[name="copies"][value="2"]').checked`) {
		t.Fatal("the 30-day option is not the chosen one on the plan page")
	}
	if got := b.text("[data-total]"); got != price {
		t.Errorf("total %q, card price %q", got, price)
	}
	// The sticky bar shows the price on the first screen.
	if !eval[bool](b, `(() => { const r = document.querySelector("[data-buybar]").getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight + 1; })()`) {
		t.Error("the buy bar is not visible without scrolling")
	}
	if got := b.text("[data-bar-total]"); got != price {
		t.Errorf("buy bar %q, card price %q", got, price)
	}
	b.step("plan")
	b.typeInto("#email", "viajera@example.com")
	b.clickAndLoad(`form.buy button[type="submit"]`)
	b.wantPath("/demo/pay/")
	b.wantText(".order-lines", label)
	if got := b.text("[data-total]"); got != price {
		t.Errorf("payment total %q, card price %q", got, price)
	}
	b.step("pay")

	// Cancel: back on the plan, the option and the email kept.
	b.clickAndLoad(`form[action$="/cancel"] button[type="submit"]`)
	b.wantPath("/plans/" + card)
	b.wantText("form.buy .notice", tr("plan.cancelled"))
	if !eval[bool](b, `document.querySelector('input[name="copies"][value="2"]').checked && document.querySelector("#email").value === "viajera@example.com"`) {
		t.Error("the cancelled choice or email was not kept")
	}
	b.step("cancelled")
}
