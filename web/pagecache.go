package web

import (
	"bytes"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/web/catalog"
)

// servePage answers with the page for key from the snapshot's page cache,
// rendering comp on a miss. The key must hold everything the page depends
// on besides the snapshot cat (the one comp reads): the language, the path
// and its canonical query.
func servePage(c *fiber.Ctx, cat *catalog.Snapshot, key string, comp func() (templ.Component, error)) error {
	p := cat.Pages.Get(key)
	if p == nil {
		cm, err := comp()
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := cm.Render(c.UserContext(), &buf); err != nil {
			return err
		}
		p = cat.Pages.Put(key, buf.Bytes())
	}
	c.Type("html", "utf-8")
	c.Vary(fiber.HeaderAcceptEncoding)
	if p.Gzip != nil && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(p.Gzip)
	}
	return c.Send(p.Plain)
}
