package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/content"
)

// contentID is the id of a seeded page version.
func contentID(t *testing.T, s *testShop, kind, slug, lang string) int64 {
	t.Helper()
	cs, err := s.db.Contents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Kind == kind && c.Slug == slug && c.Lang == lang {
			return c.ID
		}
	}
	t.Fatalf("no %s %s %s", kind, slug, lang)
	return 0
}

// savePage submits the admin editor.
func savePage(t *testing.T, ac *adminClient, n int, id int64, kind, slug, lang, title, body, status string) *http.Response {
	t.Helper()
	return ac.post(t, "/admin/content/save", url.Values{"action_id": {testActionID("content", n)}, "id": {strconv.FormatInt(id, 10)},
		"kind": {kind}, "slug": {slug}, "lang": {lang}, "title": {title}, "body": {body}, "status": {status}, "description": {title + " description"}})
}

// TestContentPagesLifecycle: a fresh shop has its essential pages as
// drafts (404 to buyers, a dashboard warning); publishing them in the
// admin puts them on the shop, in the footer of every page, beside the
// plan page's pay button and in the sitemap with hreflang.
func TestContentPagesLifecycle(t *testing.T) {
	s := newAdminShop(t)
	ac := signIn(t, s)
	if r := s.get(t, "/terms"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("draft terms: status %d, want 404", r.StatusCode)
	}
	dash := doc(t, ac.get(t, "/admin"))
	if w := text(dash.Find("[data-content-missing]")); !strings.Contains(w, "/terms") || !strings.Contains(w, "/refund-policy") || !strings.Contains(w, "/contact") || !strings.Contains(w, "/privacy") {
		t.Fatalf("dashboard warning = %q", w)
	}
	sku := s.app.snapshot().SKUs()[0]
	if d := doc(t, s.get(t, "/plans/"+sku)); d.Find("[data-agree]").Length() != 0 || d.Find("[data-footer-legal]").Length() != 0 {
		t.Fatal("unpublished pages linked")
	}

	// Publishing with the placeholder still in is refused, nothing saved.
	id := contentID(t, s, store.KindPage, content.SlugTerms, "en")
	seeded, _ := s.db.ContentByID(context.Background(), id)
	if r := savePage(t, ac, 1, id, "page", "terms", "en", "Terms", seeded.Body, "published"); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("publishing placeholders: status %d", r.StatusCode)
	}
	if r := s.get(t, "/terms"); r.StatusCode != http.StatusNotFound {
		t.Fatal("refused save published the page")
	}
	// A slug the shop uses is refused.
	if r := savePage(t, ac, 2, 0, "page", "checkout", "en", "Checkout", "x", "published"); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("reserved slug: status %d", r.StatusCode)
	}

	for i, p := range []struct{ slug, title string }{{"terms", "Terms of service"}, {"privacy", "Privacy"}, {"refund-policy", "Refunds"}, {"contact", "Contact us"}} {
		pid := contentID(t, s, store.KindPage, p.slug, "en")
		wantDone(t, savePage(t, ac, 3+i, pid, "page", p.slug, "en", p.title, "## "+p.title+"\n\nReal text.", "published"),
			"/admin/content/"+strconv.FormatInt(pid, 10), "content-saved")
	}
	if doc(t, ac.get(t, "/admin")).Find("[data-content-missing]").Length() != 0 {
		t.Error("dashboard still warns after publishing")
	}
	page := doc(t, s.get(t, "/terms"))
	if h := text(page.Find("h1")); h != "Terms of service" {
		t.Errorf("terms h1 = %q", h)
	}
	if !strings.Contains(text(page.Find("[data-updated]")), "Last updated") {
		t.Error("no last-updated date")
	}
	for _, path := range []string{"/", "/plans/" + sku, "/terms"} {
		d := doc(t, s.get(t, path))
		var links []string
		d.Find("[data-footer-legal] a").Each(func(_ int, a *goquery.Selection) { links = append(links, a.AttrOr("href", "")) })
		if strings.Join(links, " ") != "/terms /privacy /refund-policy /contact" {
			t.Errorf("%s footer legal links = %v", path, links)
		}
	}
	plan := doc(t, s.get(t, "/plans/"+sku))
	if plan.Find("[data-agree-terms]").AttrOr("href", "") != "/terms" || plan.Find("[data-agree-refund]").AttrOr("href", "") != "/refund-policy" {
		t.Errorf("plan page agree notice = %q", text(plan.Find("[data-agree]")))
	}
	// Spanish buyers see the English version until a Spanish one exists.
	es := doc(t, s.get(t, "/terms?lang=es"))
	if es.Find("article[lang=en]").Length() != 1 {
		t.Error("Spanish request did not fall back to the English version")
	}
	sm, _ := io.ReadAll(s.get(t, "/sitemap.xml").Body)
	if !strings.Contains(string(sm), `<loc>https://shop.example/terms?lang=en</loc><xhtml:link rel="alternate" hreflang="en" href="https://shop.example/terms?lang=en"/></url>`) {
		t.Errorf("sitemap lacks /terms with hreflang:\n%.2000s", sm)
	}
	if strings.Contains(string(sm), "/faq") {
		t.Error("sitemap lists the unpublished FAQ")
	}
}

// TestContentStructuredData: the FAQ carries FAQPage data built from its
// questions, a guide Article data, and /guides lists the guides; hostile
// markup saved by the operator never reaches the page.
func TestContentStructuredData(t *testing.T) {
	s := newAdminShop(t)
	ac := signIn(t, s)
	faq := contentID(t, s, store.KindPage, content.SlugFAQ, "en")
	wantDone(t, savePage(t, ac, 1, faq, "page", "faq", "en", "FAQ", "## When do I get it?\n\nIn minutes.\n\n## Can I top up?\n\nYes.", "published"),
		"/admin/content/"+strconv.FormatInt(faq, 10), "content-saved")
	resp := savePage(t, ac, 2, 0, "guide", "japan-tips", "en", "Japan tips",
		"Hi <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) <svg onload=alert(4)></svg>", "published")
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save guide: %d", resp.StatusCode)
	}
	var ld struct {
		Type       string `json:"@type"`
		MainEntity []struct {
			Name   string `json:"name"`
			Answer struct {
				Text string `json:"text"`
			} `json:"acceptedAnswer"`
		} `json:"mainEntity"`
	}
	d := doc(t, s.get(t, "/faq"))
	if err := json.Unmarshal([]byte(d.Find(`script[type="application/ld+json"]`).Text()), &ld); err != nil {
		t.Fatal(err)
	}
	if ld.Type != "FAQPage" || len(ld.MainEntity) != 2 || ld.MainEntity[0].Name != "When do I get it?" || ld.MainEntity[1].Answer.Text != "Yes." {
		t.Errorf("FAQ JSON-LD = %+v", ld)
	}
	g := doc(t, s.get(t, "/guides/japan-tips"))
	var art map[string]any
	if err := json.Unmarshal([]byte(g.Find(`script[type="application/ld+json"]`).Text()), &art); err != nil || art["@type"] != "Article" || art["headline"] != "Japan tips" {
		t.Errorf("guide JSON-LD = %v (%v)", art, err)
	}
	body, _ := g.Find("[data-body]").Html()
	if strings.Contains(body, "alert") || g.Find("[data-body] script, [data-body] svg, [data-body] [onerror]").Length() != 0 {
		t.Errorf("hostile markup on the page: %s", body)
	}
	list := doc(t, s.get(t, "/guides"))
	if list.Find(`[data-guide] a[href="/guides/japan-tips"]`).Length() != 1 {
		t.Error("/guides does not list the guide")
	}
	if doc(t, s.get(t, "/")).Find(`[data-footer="guides"]`).Length() != 1 {
		t.Error("footer does not link the guides")
	}
}

// TestOldURLRedirects: WordPress's and WooCommerce's paths are redirected,
// stored redirects (imported or the operator's) win, unknown paths are
// 404s counted in the admin, and an operator redirect can leave the site
// for no other.
func TestOldURLRedirects(t *testing.T) {
	s := newAdminShop(t)
	ac := signIn(t, s)
	ctx := context.Background()
	if _, err := s.db.AddRedirect(ctx, store.Redirect{From: "/?p=41", To: "/guides/japan", Status: 301, Source: store.RedirectImport}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.AddRedirect(ctx, store.Redirect{From: "/about-us/", To: "/about", Status: 301, Source: store.RedirectImport}); err != nil {
		t.Fatal(err)
	}
	cc := strings.ToLower(s.app.snapshot().Countries()[0])
	name := strings.ToLower(strings.ReplaceAll(views.CountryName("en", cc), " ", "-"))
	for _, tt := range []struct{ path, to string }{
		{"/shop/", "/"}, {"/cart/", "/"}, {"/checkout/", "/"}, {"/my-account/orders/", "/my-esims"}, {"/feed/", "/guides"},
		{"/?p=41", "/guides/japan"}, {"/about-us/", "/about"}, {"/about-us", "/about"},
		{"/product-category/" + name + "/", "/destinations/" + cc},
		{"/product/esim-" + name + "-5gb/", "/destinations/" + cc},
		{"/product/unknown-thing/", "/search?q=unknown+thing"},
		{"/some-page/", "/some-page"},
	} {
		r := s.get(t, tt.path)
		if r.StatusCode != http.StatusMovedPermanently || r.Header.Get("Location") != tt.to {
			t.Errorf("%s: %d to %q, want 301 to %q", tt.path, r.StatusCode, r.Header.Get("Location"), tt.to)
		}
	}
	// Over a real connection, since an http.Request cannot carry such a
	// path: "//host/" must not become a redirect to "//host".
	for _, p := range []string{"//evil.example/", "//evil.example/foo/", "/\\evil.example/"} {
		conn, err := net.Dial("tcp", s.addr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n", p)
		r, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d (Location %q), want a 404, never a redirect off the site", p, r.StatusCode, r.Header.Get("Location"))
		}
	}
	for range 3 {
		if r := s.get(t, "/wp-login.php"); r.StatusCode != http.StatusNotFound {
			t.Fatalf("unknown path: %d", r.StatusCode)
		}
	}
	page := doc(t, ac.get(t, "/admin/redirects"))
	row := page.Find(`[data-not-found="/wp-login.php"]`)
	if !strings.Contains(text(row), "3") || row.Find("[data-create-redirect]").AttrOr("href", "") != "/admin/redirects?from=%2Fwp-login.php#from" {
		t.Errorf("404 row = %q", text(row))
	}
	if v := doc(t, ac.get(t, "/admin/redirects?from=%2Fwp-login.php")).Find("#from").AttrOr("value", ""); v != "/wp-login.php" {
		t.Errorf("create-redirect form from = %q", v)
	}
	form := func(n int, from, to string) url.Values {
		return url.Values{"action_id": {testActionID("redirect", n)}, "from": {from}, "to": {to}, "status": {"302"}}
	}
	for i, bad := range []string{"//evil.example/", "https://evil.example/", "/\\evil", "/has space"} {
		if r := ac.post(t, "/admin/redirects", form(i, "/old", bad)); r.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("redirect to %q: status %d, want 422", bad, r.StatusCode)
		}
	}
	wantDone(t, ac.post(t, "/admin/redirects", form(7, "/wp-login.php", "/admin")), "/admin/redirects", "redirect-saved")
	if r := s.get(t, "/wp-login.php"); r.StatusCode != http.StatusFound || r.Header.Get("Location") != "/admin" {
		t.Errorf("operator redirect: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if doc(t, ac.get(t, "/admin/redirects")).Find(`[data-not-found="/wp-login.php"]`).Length() != 0 {
		t.Error("a redirected path stays in the 404 list")
	}
}
