package main

import (
	"fmt"
	"regexp"
	"testing"
)

// signInLink finds the sign-in link's path in a mail's text.
var signInLink = regexp.MustCompile(`https?://[^/\s]+(/my-esims/link/[A-Za-z0-9_-]{43})`)

// TestE2EMyESIMs is the after-sale story: a traveller who lost the order
// link opens "My eSIMs" from the header, asks for a sign-in link, reads it
// in the demo outbox, signs in, finds the order and sees each eSIM's
// install status and data use on the order page.
func TestE2EMyESIMs(t *testing.T) {
	shop := startShop(t)
	b := newBrowser(t, shop, asPhone)
	const email = "returning@example.com"
	bought := buyJapan(b, buyer{lang: "en", search: "Japan", country: "Japan", email: email})

	// The order page shows install status and data for each eSIM.
	if n := b.count("[data-esim-status]"); n != len(bought.iccids) {
		t.Fatalf("%d status blocks on the order page, want %d", n, len(bought.iccids))
	}
	b.waitVisible("[data-esim-status] [data-install-status]")
	if b.count("[data-usage-plan]") == 0 && b.count("[data-usage-none]") == 0 {
		t.Fatal("the order page says nothing about data use")
	}
	b.step("order-usage")

	// Lost the link: "My eSIMs" is in the header of every page.
	b.open("/")
	b.clickAndLoad("a[data-my-esims]")
	b.wantPath("/my-esims")
	b.typeInto(`form[data-signin-form] input[name="email"]`, email)
	b.clickAndLoad(`form[data-signin-form] button[type="submit"]`)
	b.waitVisible("[data-link-sent]")
	b.step("link-sent")

	// The demo outbox stands in for the inbox.
	b.clickAndLoad("[data-link-sent] a[data-outbox]")
	text := eval[string](b, `(document.querySelector("[data-mail-text]") || {}).textContent || ""`)
	m := signInLink.FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no sign-in link in the outbox mail:\n%s", text)
	}
	b.step("outbox")

	b.open(m[1])
	b.clickAndLoad(`form[data-signin-confirm] button[type="submit"]`)
	b.wantPath("/my-esims")
	row := fmt.Sprintf("[data-account-order=%q]", bought.number)
	b.waitVisible(row)
	b.step("signed-in")
	b.clickAndLoad(row + " a")
	b.wantPath(bought.orderPath)
	b.waitVisible("[data-esim-status]")
	b.step("order-again")

	// More data: "Add data", pick the first plan, pay on the demo page,
	// wait for the vendor's N013, and the eSIM shows the new plan.
	plans := b.count("[data-usage-plan]")
	b.clickAndLoad("a[data-topup-link]")
	b.waitVisible("form[data-topup-form]")
	b.step("topup-offers")
	b.clickAndLoad("button[data-topup-pay]")
	b.wantPath("/demo/pay/")
	b.clickAndLoad("form[data-pay] button[type=submit]")
	b.waitFor("the top-up to be added", `document.querySelector("[data-status=delivered] ") && document.querySelector("a[data-topup-parent]")`, deliveryTimeout)
	b.step("topup-done")
	b.clickAndLoad("a[data-topup-parent]")
	b.wantPath(bought.orderPath)
	if n := b.count("[data-usage-plan]"); n != plans+1 {
		t.Fatalf("after the top-up the order page shows %d plans, want %d", n, plans+1)
	}
	b.waitVisible("[data-topups] [data-topup]")
	b.step("topup-on-order")

	// The link works once: using it again lands on the form saying so.
	b.open(m[1])
	b.clickAndLoad(`form[data-signin-confirm] button[type="submit"]`)
	b.waitVisible("[data-signin-form] [data-error]")
}
