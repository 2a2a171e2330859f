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

// handleSitemap lists every public page in every language.
func (a *App) handleSitemap(c *fiber.Ctx) error {
	cat := a.snapshot()
	paths := []string{"/", "/help/install"}
	for _, code := range cat.Countries() {
		paths = append(paths, "/destinations/"+strings.ToLower(code))
	}
	for _, slug := range cat.Regions() {
		paths = append(paths, "/regions/"+slug)
	}
	for _, sku := range cat.SKUs() {
		paths = append(paths, "/plans/"+sku)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range paths {
		for _, lang := range views.Languages {
			b.WriteString("<url><loc>")
			_ = xml.EscapeText(&b, []byte(a.cfg.BaseURL+p+"?lang="+lang))
			b.WriteString("</loc></url>\n")
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
