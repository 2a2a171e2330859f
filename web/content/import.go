package content

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/esimshop/esimshop/store"
)

// ImportOptions tune a WordPress import.
type ImportOptions struct {
	DefaultLang string   // language of items that name none
	Languages   []string // the shop's languages; items in others are skipped
	Places      *Places  // matches products to plans and destinations
}

// Skip is an item the import left out, and why.
type Skip struct{ Item, Reason string }

// Report is what an import did. A second run of the same file reports
// nothing created, updated or redirected.
type Report struct {
	Created, Updated, Unchanged int
	Skipped                     []Skip
	RedirectsCreated            int
	RedirectsKept               int // old paths that already had a redirect
	ProductsMatched             int
	Unmatched                   []string // products and categories with no plan or destination
}

// String is the summary the import-wp command prints.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "imported: %d created, %d updated, %d unchanged\n", r.Created, r.Updated, r.Unchanged)
	fmt.Fprintf(&b, "redirects: %d created, %d already there\n", r.RedirectsCreated, r.RedirectsKept)
	fmt.Fprintf(&b, "products: %d matched, %d unmatched\n", r.ProductsMatched, len(r.Unmatched))
	for _, u := range r.Unmatched {
		fmt.Fprintf(&b, "  unmatched: %s\n", u)
	}
	fmt.Fprintf(&b, "skipped: %d\n", len(r.Skipped))
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "  %s: %s\n", s.Item, s.Reason)
	}
	return b.String()
}

// Reserved are the one-segment paths the shop itself serves, which a page
// may not take.
var Reserved = []string{"admin", "checkout", "demo", "destinations", "guides", "healthz", "help", "my-esims", "orders",
	"plans", "readyz", "regions", "robots-txt", "search", "sitemap-xml", "static", "webhooks", "wp-json"}

// wooPages are WooCommerce's own pages: the shop replaces them, and the
// old paths have built-in redirects (see WordPressPath).
var wooPages = []string{"shop", "cart", "checkout", "my-account", "basket", "carrito", "finalizar-compra", "mi-cuenta", "tienda"}

// slugAliases put the usual WordPress and WooCommerce names of the legal
// pages (English and Spanish) on the shop's essential pages, so that an
// import fills the seeded placeholders instead of adding a second terms
// page beside them.
var slugAliases = map[string]string{
	"terms-and-conditions": SlugTerms, "terms-of-service": SlugTerms, "terms-conditions": SlugTerms, "terms-of-use": SlugTerms,
	"terminos-y-condiciones": SlugTerms, "condiciones": SlugTerms, "terminos": SlugTerms, "condiciones-generales": SlugTerms,
	"privacy-policy": SlugPrivacy, "politica-de-privacidad": SlugPrivacy, "privacidad": SlugPrivacy,
	"refund-returns": SlugRefund, "refunds": SlugRefund, "returns": SlugRefund, "refund-and-returns-policy": SlugRefund,
	"politica-de-reembolso": SlugRefund, "devoluciones": SlugRefund, "reembolsos": SlugRefund,
	"contact-us": SlugContact, "contacto": SlugContact, "contactanos": SlugContact,
	"faqs": SlugFAQ, "preguntas-frecuentes": SlugFAQ,
	"about-us": SlugAbout, "sobre-nosotros": SlugAbout, "quienes-somos": SlugAbout,
}

// ImportWordPress imports a WXR export into db: pages become pages, posts
// guides, products redirects to their plan or destination; every imported
// item's old URLs get a 301. Running it again with the same file changes
// nothing. A malformed file is an error before anything is stored.
func ImportWordPress(ctx context.Context, db *store.DB, r io.Reader, opt ImportOptions) (Report, error) {
	w, err := parseWXR(r)
	if err != nil {
		return Report{}, err
	}
	base := w.Channel.Base
	if base == "" {
		base = w.Channel.Link
	}
	im := importer{db: db, opt: opt, base: base}
	for _, it := range w.Channel.Items {
		if err := im.item(ctx, it); err != nil {
			return im.rep, err
		}
	}
	for _, t := range w.Channel.Terms {
		if err := im.term(ctx, t); err != nil {
			return im.rep, err
		}
	}
	return im.rep, nil
}

// importer carries one import's state.
type importer struct {
	db   *store.DB
	opt  ImportOptions
	base string // the old site's URL, whose links are made local
	rep  Report
}

// label names an item in the report.
func label(it wxrItem) string {
	return fmt.Sprintf("%s %d %q", it.Type, it.ID, strings.TrimSpace(it.Title))
}

// item imports one export item.
func (im *importer) item(ctx context.Context, it wxrItem) error {
	switch it.Type {
	case "page", "post":
		return im.post(ctx, it)
	case "product":
		return im.product(ctx, it)
	case "attachment":
		im.skip(it, "media file: it stays at its old URL, and imported pages link to it there")
	case "nav_menu_item", "revision", "wp_block", "wp_template", "wp_template_part", "wp_navigation", "wp_global_styles",
		"customize_changeset", "custom_css", "oembed_cache", "user_request", "product_variation", "shop_order", "shop_coupon":
		// WordPress's own machinery: nothing a visitor reads.
	default:
		im.skip(it, "post type "+strconv.Quote(it.Type)+" is not imported")
	}
	return nil
}

// skip records a skipped item.
func (im *importer) skip(it wxrItem, reason string) {
	im.rep.Skipped = append(im.rep.Skipped, Skip{label(it), reason})
}

// post imports a page or a post.
func (im *importer) post(ctx context.Context, it wxrItem) error {
	var status string
	switch it.Status {
	case "publish":
		status = store.StatusPublished
	case "draft", "pending", "private", "future":
		status = store.StatusDraft
	default: // trash, auto-draft, inherit
		im.skip(it, "status "+strconv.Quote(it.Status))
		return nil
	}
	lang := it.language()
	if lang == "" {
		lang = im.opt.DefaultLang
	}
	if !slices.Contains(im.opt.Languages, lang) {
		im.skip(it, "language "+strconv.Quote(lang)+" is not one of the shop's")
		return nil
	}
	kind := store.KindGuide
	if it.Type == "page" {
		kind = store.KindPage
	}
	slug := it.Name
	if u, err := url.PathUnescape(slug); err == nil {
		slug = u
	}
	if slug = Slugify(slug); slug == "" {
		slug = Slugify(it.Title)
	}
	if slug == "" {
		im.skip(it, "no slug and no title to make one from")
		return nil
	}
	if kind == store.KindPage {
		if slices.Contains(wooPages, slug) {
			im.skip(it, "WooCommerce page: the shop replaces it, and its old URL has a built-in redirect")
			return nil
		}
		if alias, ok := slugAliases[slug]; ok {
			slug = alias
		}
		if slices.Contains(Reserved, slug) {
			im.skip(it, "its slug "+strconv.Quote(slug)+" is a path the shop itself uses")
			return nil
		}
	}
	body := CleanWordPress(localLinks(it.Body, im.base))
	title := strings.TrimSpace(it.Title)
	if title == "" {
		title = slug
	}
	pub, mod := it.times()
	c := store.Content{
		Kind: kind, Slug: slug, Lang: lang, Title: title, Body: body, Status: status,
		Description: description(body), Source: "wp:" + strconv.FormatInt(it.ID, 10), UpdatedAt: mod, PublishedAt: pub,
	}
	outcome, err := im.db.ImportContent(ctx, c)
	switch {
	case store.ErrorCode(err) == store.ECONFLICT || store.ErrorCode(err) == store.EINVALID:
		im.skip(it, store.ErrorMessage(err))
		return nil
	case err != nil:
		return err
	}
	switch outcome {
	case store.ImportCreated:
		im.rep.Created++
	case store.ImportUpdated:
		im.rep.Updated++
	default:
		im.rep.Unchanged++
	}
	if status != store.StatusPublished {
		return nil // a draft's old URL was never public
	}
	to := ItemPath(kind, slug)
	if lang != im.opt.DefaultLang {
		to += "?lang=" + lang
	}
	return im.redirects(ctx, it, to)
}

// redirects sends the item's old permalink and its ?p= / ?page_id= links
// to its new path.
func (im *importer) redirects(ctx context.Context, it wxrItem, to string) error {
	froms := []string{oldPath(it.Link), "/?p=" + strconv.FormatInt(it.ID, 10)}
	if it.Type == "page" {
		froms = append(froms, "/?page_id="+strconv.FormatInt(it.ID, 10))
	}
	if it.Type == "product" {
		froms = append(froms, "/?product="+url.QueryEscape(it.Name), "/?post_type=product&p="+strconv.FormatInt(it.ID, 10))
	}
	if g := oldPath(it.GUID); strings.HasPrefix(g, "/?") {
		froms = append(froms, g)
	}
	return im.redirectAll(ctx, froms, to)
}

// redirectAll adds a 301 from each old path (skipping blanks, duplicates
// and the target itself).
func (im *importer) redirectAll(ctx context.Context, froms []string, to string) error {
	seen := map[string]bool{}
	for _, from := range froms {
		if from == "" || from == "/" || from == to || seen[from] {
			continue
		}
		seen[from] = true
		added, err := im.db.AddRedirect(ctx, store.Redirect{From: from, To: to, Status: 301, Source: store.RedirectImport})
		switch {
		case store.ErrorCode(err) == store.EINVALID:
			continue // an old URL the shop cannot serve anyway
		case err != nil:
			return err
		case added:
			im.rep.RedirectsCreated++
		default:
			im.rep.RedirectsKept++
		}
	}
	return nil
}

// product redirects a WooCommerce product to the plan (by SKU) or the
// destination (by country in its title or slug) it sells now.
func (im *importer) product(ctx context.Context, it wxrItem) error {
	if it.Status != "publish" {
		im.skip(it, "product not published ("+it.Status+")")
		return nil
	}
	to, ok := im.opt.Places.Match(it.meta("_sku"), it.Title, it.Name)
	if !ok {
		im.rep.Unmatched = append(im.rep.Unmatched, label(it))
		return nil
	}
	im.rep.ProductsMatched++
	return im.redirects(ctx, it, to)
}

// term redirects a WooCommerce product category to the destination it
// names.
func (im *importer) term(ctx context.Context, t wxrTerm) error {
	if t.Taxonomy != "product_cat" || t.Slug == "" || t.Slug == "uncategorized" {
		return nil
	}
	to, ok := im.opt.Places.Match("", t.Name, t.Slug)
	if !ok {
		im.rep.Unmatched = append(im.rep.Unmatched, fmt.Sprintf("product category %q", t.Name))
		return nil
	}
	return im.redirectAll(ctx, []string{"/product-category/" + t.Slug + "/", "/product-category/" + t.Slug}, to)
}

// oldPath is the path (and query) of an old absolute URL; "" if none.
func oldPath(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Path == "" && u.RawQuery == "" {
		return ""
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// description is the meta description of an imported page: the start of
// its text.
func description(body string) string {
	t := plainText(string(Render(body)))
	if r := []rune(t); len(r) > 155 {
		t = strings.TrimSpace(string(r[:155])) + "…"
	}
	return t
}
