package web

import (
	"bytes"
	"encoding/xml"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/static"
	"github.com/esimshop/esimshop/views"
)

// handleRobots serves robots.txt: everything public may be crawled; private
// and transactional paths may not.
func (a *App) handleRobots(c *fiber.Ctx) error {
	c.Type("txt", "utf-8")
	return c.SendString("User-agent: *\nDisallow: /admin\nDisallow: /orders/\nDisallow: /checkout\nDisallow: /search\n\nSitemap: " + a.cfg.BaseURL + "/sitemap.xml\n")
}

// handleSitemap lists every public page in every language, each with its
// hreflang alternates; a content page or guide lists the languages it is
// written in.
func (a *App) handleSitemap(c *fiber.Ctx) error {
	cat := a.snapshot()
	type entry struct {
		path  string
		langs []string
	}
	entries := []entry{{"/", views.Languages}, {"/help/install", views.Languages}}
	add := func(p string) { entries = append(entries, entry{p, views.Languages}) }
	for _, code := range cat.Countries() {
		add("/destinations/" + strings.ToLower(code))
	}
	for _, slug := range cat.Regions() {
		add("/regions/" + slug)
	}
	for _, sku := range cat.SKUs() {
		add("/plans/" + sku)
	}
	if len(a.site.lib.Guides(views.DefaultLang)) > 0 {
		add("/guides")
	}
	for _, versions := range a.site.lib.All() {
		e := entry{path: versions[0].Path()}
		for _, v := range versions {
			e.langs = append(e.langs, v.Lang)
		}
		entries = append(entries, e)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n")
	for _, e := range entries {
		for _, lang := range e.langs {
			b.WriteString("<url><loc>")
			_ = xml.EscapeText(&b, []byte(a.cfg.BaseURL+e.path+"?lang="+lang))
			b.WriteString("</loc>")
			for _, alt := range e.langs {
				b.WriteString(`<xhtml:link rel="alternate" hreflang="` + alt + `" href="`)
				_ = xml.EscapeText(&b, []byte(a.cfg.BaseURL+e.path+"?lang="+alt))
				b.WriteString(`"/>`)
			}
			b.WriteString("</url>\n")
		}
	}
	b.WriteString("</urlset>\n")
	c.Type("xml", "utf-8")
	return c.Send(b.Bytes())
}

// handleStatic serves embedded assets at their content-hashed names, with a
// cache lifetime of a year: a changed file gets a new name.
func handleStatic(c *fiber.Ctx) error {
	body, ctype, ok := static.Lookup(c.Params("name"))
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	return c.Send(body)
}

// handleHealth answers when the process is up.
func handleHealth(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}
