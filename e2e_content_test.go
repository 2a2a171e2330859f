package main

import (
	"testing"
)

// TestE2EPhoneFooterLegal: a buyer on a phone reaches the terms, the
// refund policy and the contact page from the footer of the home page, a
// plan page and their order page (the -demo shop publishes sample ones),
// and none of those pages scrolls sideways.
func TestE2EPhoneFooterLegal(t *testing.T) {
	shop := startShop(t)
	b := newBrowser(t, shop, asPhone)
	bought := buyJapan(b, buyer{lang: "en", search: "Japan", country: "Japan", email: "footer@example.com"})

	b.open("/destinations/jp")
	plan := b.attr(`a[href^="/plans/"]`, "href")
	if plan == "" {
		t.Fatal("no plan link on the Japan page")
	}
	for _, from := range []string{"/", plan, bought.orderPath} {
		for _, page := range []struct{ path, heading string }{
			{"/terms", "Terms of service"}, {"/refund-policy", "Refund policy"}, {"/contact", "Contact us"},
		} {
			b.open(from)
			link := `[data-footer-legal] a[href="` + page.path + `"]`
			if b.count(link) != 1 {
				t.Fatalf("the footer of %s has no link to %s", from, page.path)
			}
			b.clickAndLoad(link)
			b.wantPath(page.path)
			b.wantText("h1", page.heading)
			b.wantNoSidewaysScroll(page.path + " from " + from)
		}
	}
	b.open(bought.orderPath)
	if b.attr("[data-order-contact] a", "href") != "/contact" {
		t.Error("the order page does not point the buyer to the contact page")
	}
	b.open(plan)
	if b.attr("[data-agree-terms]", "href") != "/terms" || b.attr("[data-agree-refund]", "href") != "/refund-policy" {
		t.Error("the plan page does not link the terms and the refund policy by its pay button")
	}
	b.step("plan-agree")
}
