package content

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/esimshop/esimshop/store"
)

// importFixture imports testdata/wordpress-export.xml into db, against a
// catalog selling plan JP-5GB-7D and the destinations Japan and Spain.
func importFixture(t *testing.T, db *store.DB) Report {
	t.Helper()
	f, err := os.Open("testdata/wordpress-export.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := ImportWordPress(context.Background(), db, f, ImportOptions{
		DefaultLang: "en", Languages: []string{"en", "es"}, Places: NewPlaces([]string{"JP-5GB-7D"}, []string{"JP", "ES"}),
	})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

// TestImportWordPress imports a realistic export (pages and posts in
// English and Spanish, WooCommerce pages and products, an attachment, a
// draft, a trashed post, shortcodes, block comments and hostile HTML):
// what should come in does, stripped of what must go, with the
// redirects; a second run changes nothing.
func TestImportWordPress(t *testing.T) {
	ctx := context.Background()
	db := openDB(t)
	if _, err := db.SeedContent(ctx, Essentials()); err != nil {
		t.Fatal(err)
	}
	rep := importFixture(t, db)

	// Terms (en, es) and contact replace the seeded placeholders; the two
	// guides and the draft are new.
	if rep.Created != 3 || rep.Updated != 3 || rep.Unchanged != 0 {
		t.Errorf("created/updated/unchanged = %d/%d/%d, want 3/3/0\n%s", rep.Created, rep.Updated, rep.Unchanged, rep)
	}
	if rep.ProductsMatched != 2 || len(rep.Unmatched) != 2 {
		t.Errorf("products matched %d, unmatched %v; want 2 and [gift card, Ofertas]", rep.ProductsMatched, rep.Unmatched)
	}
	skipped := map[string]bool{}
	for _, s := range rep.Skipped {
		skipped[s.Item] = true
	}
	for _, want := range []string{`page 6 "Cart"`, `page 8 "My account"`, `post 51 "Old news"`, `attachment 40 "tokyo"`} {
		if !skipped[want] {
			t.Errorf("%s not reported skipped: %v", want, rep.Skipped)
		}
	}

	cs, err := db.Contents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]store.Content{}
	for _, c := range cs {
		byKey[c.Kind+" "+c.Slug+" "+c.Lang] = c
	}
	terms := byKey["page terms en"]
	if terms.Source != "wp:3" || terms.Status != store.StatusPublished || terms.Placeholder || terms.Title != "Terms and Conditions" {
		t.Errorf("English terms = %+v", terms)
	}
	if !terms.UpdatedAt.Equal(mustTime("2023-11-20 09:30:00")) {
		t.Errorf("terms updated at %v, want the export's modification date", terms.UpdatedAt)
	}
	if es := byKey["page terms es"]; es.Source != "wp:4" || !strings.Contains(es.Body, "Los planes son válidos") {
		t.Errorf("Spanish terms = %+v", es)
	}
	if c := byKey["page contact en"]; c.Source != "wp:9" || !strings.Contains(c.Body, "mailto:hola@old-shop.example") {
		t.Errorf("contact = %+v", c)
	}
	guide := byKey["guide using-your-phone-in-japan en"]
	if guide.Source != "wp:41" {
		t.Fatalf("English guide missing: %v", keys(byKey))
	}
	if !strings.Contains(guide.Body, `<a href="https://old-shop.example/wp-content/uploads/2023/05/tokyo.jpg"`) ||
		!strings.Contains(guide.Body, "Tokyo at night") || strings.Contains(guide.Body, "<img") {
		t.Errorf("image not turned into a link: %s", guide.Body)
	}
	if !strings.Contains(guide.Body, `<a href="/shop/">See our plans</a>`) {
		t.Errorf("link to the old site's page not made local: %s", guide.Body)
	}
	if es := byKey["guide como-usar-el-movil-en-japon es"]; es.Source != "wp:42" {
		t.Errorf("Spanish guide (accented, escaped slug) missing: %v", keys(byKey))
	}
	if d := byKey["guide roaming-in-thailand-draft en"]; d.Status != store.StatusDraft {
		t.Errorf("draft = %+v (keys %v)", d, keys(byKey))
	}
	for _, c := range cs {
		if c.Source == "" {
			continue
		}
		low := strings.ToLower(c.Body)
		for _, bad := range []string{"<script", "onclick", "onerror", "onmouseover", "onload", "javascript:", "<svg", "<iframe",
			"<!--", "[contact-form-7", "[caption", "[/caption]", "[woocommerce", "alert("} {
			if strings.Contains(low, bad) {
				t.Errorf("%s %s %s still holds %q: %s", c.Kind, c.Slug, c.Lang, bad, c.Body)
			}
		}
	}

	wantRedirects := map[string]string{
		"/terms-and-conditions/":                   "/terms",
		"/?page_id=3":                              "/terms",
		"/es/terminos-y-condiciones/":              "/terms?lang=es",
		"/contact-us/":                             "/contact",
		"/2023/05/using-your-phone-in-japan/":      "/guides/using-your-phone-in-japan",
		"/?p=41":                                   "/guides/using-your-phone-in-japan",
		"/es/2023/05/como-usar-el-movil-en-japon/": "/guides/como-usar-el-movil-en-japon?lang=es",
		"/product/japan-esim-5gb/":                 "/plans/JP-5GB-7D",
		"/?post_type=product&p=70":                 "/plans/JP-5GB-7D",
		"/product/esim-espana-10gb/":               "/destinations/es",
		"/product-category/japan/":                 "/destinations/jp",
		"/product-category/espana/":                "/destinations/es",
	}
	for from, to := range wantRedirects {
		r, err := db.LookupRedirect(ctx, from)
		if err != nil || r.To != to || r.Status != 301 {
			t.Errorf("redirect %s = %+v, %v; want 301 to %s", from, r, err, to)
		}
	}
	for _, from := range []string{"/?p=50", "/product/gift-card/", "/old-news/"} {
		if _, err := db.LookupRedirect(ctx, from); store.ErrorCode(err) != store.ENOTFOUND {
			t.Errorf("redirect from %s exists (err %v); a draft, an unmatched product or trash gets none", from, err)
		}
	}
	all, _ := db.Redirects(ctx)
	if rep.RedirectsCreated != len(all) {
		t.Errorf("reported %d redirects created, %d stored", rep.RedirectsCreated, len(all))
	}

	// The second run changes nothing.
	again := importFixture(t, db)
	if again.Created != 0 || again.Updated != 0 || again.RedirectsCreated != 0 || again.Unchanged != rep.Created+rep.Updated {
		t.Errorf("second run changed things:\n%s", again)
	}
	cs2, _ := db.Contents(ctx)
	all2, _ := db.Redirects(ctx)
	if len(cs2) != len(cs) || len(all2) != len(all) {
		t.Errorf("second run: %d→%d pages, %d→%d redirects", len(cs), len(cs2), len(all), len(all2))
	}
}

// TestImportRefusesNonWXR: a file that is not an export is an error and
// stores nothing.
func TestImportRefusesNonWXR(t *testing.T) {
	db := openDB(t)
	for _, src := range []string{"", "not xml", "<rss><channel></channel></rss>", "<html><body>hi</body></html>", "<rss><channel><item>"} {
		_, err := ImportWordPress(context.Background(), db, strings.NewReader(src), ImportOptions{DefaultLang: "en", Languages: []string{"en"}, Places: NewPlaces(nil, nil)})
		if err == nil {
			t.Errorf("%q imported without error", src)
		}
	}
	if cs, _ := db.Contents(context.Background()); len(cs) != 0 {
		t.Errorf("stored %d pages from bad files", len(cs))
	}
}

// mustTime parses a WXR GMT date.
func mustTime(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

// keys lists a map's keys for messages.
func keys(m map[string]store.Content) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
