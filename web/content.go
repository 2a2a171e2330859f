package web

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/content"
	"github.com/esimshop/esimshop/web/httpx"
)

// site serves the content pages and guides, and answers the paths nothing
// else does: an old URL with a redirect, else a 404 that is counted for
// the operator's "top 404s".
type site struct {
	a   *App
	lib *content.Library
}

// legal is the layout's links to the published legal pages in lang.
func (s *site) legal(lang string) views.Legal {
	l := views.Legal{HasGuides: len(s.lib.Guides(lang)) > 0}
	for _, f := range s.lib.Footer(lang) {
		l.Footer = append(l.Footer, views.FooterLink{Title: f.Title, URL: f.Path})
	}
	if it, _, ok := s.lib.Lookup(store.KindPage, content.SlugTerms, lang); ok {
		l.TermsURL = it.Path()
	}
	if it, _, ok := s.lib.Lookup(store.KindPage, content.SlugRefund, lang); ok {
		l.RefundURL = it.Path()
	}
	if it, _, ok := s.lib.Lookup(store.KindPage, content.SlugContact, lang); ok {
		l.ContactURL, l.ContactTitle = it.Path(), it.Title
	}
	return l
}

// handlePage serves /{slug}: a published page, else whatever the
// fallback makes of the path.
func (s *site) handlePage(c *fiber.Ctx) error {
	return s.serve(c, store.KindPage, c.Params("slug"))
}

// handleGuide serves /guides/{slug}.
func (s *site) handleGuide(c *fiber.Ctx) error {
	return s.serve(c, store.KindGuide, c.Params("slug"))
}

// serve renders one page or guide in the buyer's language (or the one it
// exists in).
func (s *site) serve(c *fiber.Ctx, kind, slug string) error {
	lang := httpx.LangOf(c)
	it, all, ok := s.lib.Lookup(kind, slug, lang)
	if !ok {
		return s.fallback(c)
	}
	path := it.Path()
	return servePage(c, s.a.snapshot(), lang+"|"+path, func() (templ.Component, error) {
		p := s.a.page(c, path, it.Title, it.Description, nil)
		p.Alternates = map[string]string{}
		for _, v := range all {
			p.Alternates[v.Lang] = s.a.cfg.BaseURL + path + "?lang=" + v.Lang
		}
		p.Canonical = s.a.cfg.BaseURL + path + "?lang=" + it.Lang
		d := views.ContentData{
			Page: p, Kind: kind, Heading: it.Title, ContentLang: it.Lang, Body: string(it.HTML),
			Updated: views.FormatDate(lang, it.UpdatedAt),
		}
		switch {
		case kind == store.KindGuide:
			d.JSONLD = articleJSONLD(it, p.Canonical, s.a.cfg.BaseURL)
		case len(it.FAQ) > 0:
			d.JSONLD = faqJSONLD(it.FAQ)
		}
		return views.ContentPage(d), nil
	})
}

// handleGuides serves /guides.
func (s *site) handleGuides(c *fiber.Ctx) error {
	lang := httpx.LangOf(c)
	return servePage(c, s.a.snapshot(), lang+"|/guides", func() (templ.Component, error) {
		p := s.a.page(c, "/guides", views.T(lang, "guides.title"), views.T(lang, "guides.description"), nil)
		d := views.GuideListData{Page: p}
		var items []map[string]any
		for i, g := range s.lib.Guides(lang) {
			d.Guides = append(d.Guides, views.GuideLink{Title: g.Title, Description: g.Description, URL: g.Path()})
			items = append(items, map[string]any{"@type": "ListItem", "position": i + 1,
				"url": s.a.cfg.BaseURL + g.Path() + "?lang=" + g.Lang, "name": g.Title})
		}
		if len(items) > 0 {
			d.JSONLD = mustJSON(map[string]any{"@context": "https://schema.org", "@type": "ItemList", "itemListElement": items})
		}
		return views.GuideList(d), nil
	})
}

// faqJSONLD is schema.org FAQPage data for the questions of a FAQ page.
func faqJSONLD(qas []content.QA) string {
	var qs []map[string]any
	for _, q := range qas {
		qs = append(qs, map[string]any{"@type": "Question", "name": q.Question,
			"acceptedAnswer": map[string]any{"@type": "Answer", "text": q.Answer}})
	}
	return mustJSON(map[string]any{"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": qs})
}

// articleJSONLD is schema.org Article data for a guide.
func articleJSONLD(it *content.Item, pageURL, base string) string {
	a := map[string]any{
		"@context": "https://schema.org", "@type": "Article", "headline": it.Title, "inLanguage": it.Lang,
		"mainEntityOfPage": pageURL, "dateModified": it.UpdatedAt.Format("2006-01-02T15:04:05Z"),
		"publisher": map[string]any{"@type": "Organization", "name": "esimshop", "url": base + "/"},
	}
	if !it.PublishedAt.IsZero() {
		a["datePublished"] = it.PublishedAt.Format("2006-01-02T15:04:05Z")
	}
	if it.Description != "" {
		a["description"] = it.Description
	}
	return mustJSON(a)
}

// mustJSON marshals structured data built from maps of plain values,
// which cannot fail.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// fallback answers a path no route serves: a stored redirect (old URLs,
// including WordPress's ?p= and ?page_id= links), else a built-in one for
// WordPress's and WooCommerce's usual paths, else a 404 that is counted.
func (s *site) fallback(c *fiber.Ctx) error {
	ctx := c.UserContext()
	path := c.Path()
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return fiber.ErrNotFound
	}
	for _, from := range s.candidates(c, path) {
		if r, err := s.a.db.LookupRedirect(ctx, from); err == nil {
			return c.Redirect(r.To, r.Status)
		} else if store.ErrorCode(err) != store.ENOTFOUND {
			return err
		}
	}
	if to, ok := content.WordPressPath(path, s.places()); ok {
		return c.Redirect(to, fiber.StatusMovedPermanently)
	}
	// "/about/" → "/about"; never "//host/" → "//host", which a browser
	// reads as another site.
	if to := strings.TrimRight(path, "/"); to != path && to != "" && !strings.HasPrefix(to, "//") && !strings.Contains(to, "\\") {
		return c.Redirect(to+httpx.QueryString(c), fiber.StatusMovedPermanently)
	}
	s.recordNotFound(ctx, path)
	return fiber.ErrNotFound
}

// candidates are the stored-redirect keys a request may match: the path
// with WordPress's id query (?p=, ?page_id=, ?product=), the path itself,
// and the path with or without its trailing slash.
func (s *site) candidates(c *fiber.Ctx, path string) []string {
	var out []string
	for _, k := range []string{"p", "page_id", "product"} {
		if v := c.Query(k); v != "" {
			out = append(out, path+"?"+k+"="+url.QueryEscape(v))
		}
	}
	out = append(out, path)
	if len(path) > 1 && strings.HasSuffix(path, "/") {
		out = append(out, strings.TrimRight(path, "/"))
	} else {
		out = append(out, path+"/")
	}
	return out
}

// handleHomeQuery sends WordPress's /?p=ID and /?page_id=ID links on to
// their redirect before the home page answers them.
func (s *site) handleHomeQuery(c *fiber.Ctx) error {
	if c.Path() != "/" || (c.Query("p") == "" && c.Query("page_id") == "" && c.Query("product") == "") {
		return c.Next()
	}
	// The first candidate is "/?<key>=<id>"; without a redirect for it,
	// the home page answers.
	if r, err := s.a.db.LookupRedirect(c.UserContext(), s.candidates(c, "/")[0]); err == nil {
		return c.Redirect(r.To, r.Status)
	}
	return c.Next()
}

// places matches old product slugs to destinations, built once per
// catalog snapshot.
func (s *site) places() *content.Places {
	cat := s.a.snapshot()
	return cat.Memo("content.places", func() any { return content.NewPlaces(cat.SKUs(), cat.Countries()) }).(*content.Places)
}

// recordNotFound counts a 404 for the operator. The write waits behind
// the orders' (store.Bulk), so a crawler's flood of 404s cannot slow a
// payment down; when the writer is that busy the 404 goes uncounted, and
// failing to count it never turns the 404 into an error page.
func (s *site) recordNotFound(ctx context.Context, path string) {
	err := s.a.db.RecordNotFound(store.Bulk(ctx), path)
	if err != nil && store.ErrorCode(err) != store.EUNAVAILABLE {
		s.a.log.WarnContext(ctx, "could not record a 404", "err", err)
	}
}

// contactURL is the absolute URL of the published contact page in a
// language, for emails; "" while it is unpublished.
func contactURL(lib *content.Library, base string) func(lang string) string {
	return func(lang string) string {
		it, _, ok := lib.Lookup(store.KindPage, content.SlugContact, lang)
		if !ok {
			return ""
		}
		return base + it.Path() + "?lang=" + lang
	}
}
