package main

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EContentLivePreview: an operator typing Markdown in the page
// editor sees it rendered under the form as they type, without pressing
// Preview, and what they type as script never runs or shows as markup.
func TestE2EContentLivePreview(t *testing.T) {
	shop := startShop(t)
	const adminEmail, adminPassword = "operator@example.com", "correct horse battery staple"
	if _, err := shop.main.App().EnsureAdmin(context.Background(), adminEmail, adminPassword); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, shop)
	b.open("/admin/sign-in")
	form := `form[action^="/admin/sign-in"]`
	b.waitVisible(form + ` input[name="email"]`)
	b.typeInto(form+` input[name="email"]`, adminEmail)
	b.typeInto(form+` input[name="password"]`, adminPassword)
	b.clickAndLoad(form + ` button[type="submit"]`)

	b.open("/admin/content/new")
	b.waitVisible(`textarea[data-body]`)
	if b.count(`[data-section="preview"]:not([hidden])`) != 0 {
		t.Fatal("an empty editor shows a preview")
	}
	b.markDocument()
	// An empty textarea has nothing to clear: type straight into it.
	b.do("typing Markdown", chromedp.SendKeys(chromedp.CSS(`textarea[data-body]`), "## Live heading\n\nSome **bold** text <script>window.pwned=1</script>"))
	b.waitFor("the live preview", `(() => {
		const h = document.querySelector('[data-section="preview"]:not([hidden]) [data-preview-body] h2');
		return !!h && h.textContent === 'Live heading';
	})()`, actionTimeout)
	if b.reloadedSinceMark() {
		t.Fatal("the preview reloaded the page")
	}
	b.wantText(`[data-preview-body] strong`, "bold")
	if n := b.count(`[data-preview-body] script`); n != 0 {
		t.Fatalf("the preview holds %d script elements", n)
	}
	b.waitFor("no script ran", `window.pwned === undefined`, actionTimeout)
	b.step("admin-live-preview")
}
