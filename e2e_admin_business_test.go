package main

import (
	"context"
	"strings"
	"testing"
)

// TestE2EAdminReportsOnPhone is the operator running the business from a
// phone: after a sale, the report shows its chart (server-drawn SVG, with
// a bar for today and a non-empty margin), the table under it and the
// export link; the customer list shows the buyer; the audit log opens. No
// page scrolls sideways (step checks that on a phone).
func TestE2EAdminReportsOnPhone(t *testing.T) {
	shop := startShop(t)
	const adminEmail, adminPassword = "operator@example.com", "correct horse battery staple"
	if _, err := shop.main.App().EnsureAdmin(context.Background(), adminEmail, adminPassword); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, shop, asPhone)
	const email = "reports@example.com"
	buyJapan(b, buyer{lang: "en", search: "Japan", country: "Japan", email: email})

	b.open("/admin/sign-in")
	form := `form[action^="/admin/sign-in"]`
	b.typeInto(form+` input[name="email"]`, adminEmail)
	b.typeInto(form+` input[name="password"]`, adminPassword)
	b.clickAndLoad(form + ` button[type="submit"]`)
	b.clickAndLoad(`a[data-nav="reports"]`)
	b.wantPath("/admin/reports")
	b.waitVisible(`[data-chart] svg`)
	if n := b.count(`[data-chart] svg g[data-bar]`); n != 30 {
		t.Errorf("chart bars = %d, want 30", n)
	}
	// Today's bar has height: the sale is on the chart, drawn to scale.
	h := eval[float64](b, `(() => { const r = document.querySelectorAll('[data-chart] rect.chart-revenue');
		return r[r.length-1].getBoundingClientRect().height; })()`)
	if h < 20 {
		t.Errorf("today's revenue bar is %.0f px high on the phone", h)
	}
	if w := eval[float64](b, `document.querySelector('[data-chart] svg').getBoundingClientRect().width`); w < 300 || w > 390 {
		t.Errorf("chart is %.0f px wide on a 390 px phone", w)
	}
	if paid := b.text(`[data-table=periods] tfoot td`); !strings.HasPrefix(paid, "1") {
		t.Errorf("total paid orders = %q", paid)
	}
	if href := b.attr(`a[data-export]`, "href"); !strings.HasPrefix(href, "/admin/orders.csv?") {
		t.Errorf("export link %q", href)
	}
	b.step("admin-reports")
	b.clickAndLoad(`a[data-nav="customers"]`)
	b.wantText(`tr[data-customer="`+email+`"] th`, email)
	b.step("admin-customers")
	b.clickAndLoad(`a[data-nav="audit"]`)
	b.wantPath("/admin/audit")
	b.step("admin-audit")
}
