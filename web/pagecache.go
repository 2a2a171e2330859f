package web

import (
	"bytes"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/httpx"
)

// publicPageCache lets a CDN keep a catalog page for a minute and serve it
// a little longer while it revalidates with the ETag; browsers revalidate
// every time (max-age=0), so a price change reaches a buyer within
// s-maxage at most. The page is the same for everyone who shares its Vary
// headers: it holds no CSRF token, nonce or session.
const publicPageCache = "public, max-age=0, s-maxage=60, stale-while-revalidate=30"

// servePage answers with the page for key from the snapshot's page cache,
// rendering comp on a miss. The key must hold everything the page depends
// on besides the snapshot cat (the one comp reads): the language, the path
// and its canonical query. It sets Cache-Control and ETag and answers 304
// to a matching If-None-Match.
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
	gz := p.Gzip != nil && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip")
	tag, body := p.ETag, p.Plain
	if gz {
		tag, body = p.ETagGzip, p.Gzip
	}
	if len(c.Response().Header.PeekCookie(httpx.LangCookie)) > 0 {
		// This answer sets the visitor's language cookie (?lang=): a
		// shared cache must not hand that cookie to someone else.
		c.Set(fiber.HeaderCacheControl, "private, no-store")
	} else {
		c.Set(fiber.HeaderCacheControl, publicPageCache)
	}
	c.Set(fiber.HeaderETag, tag)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), tag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if gz {
		c.Set(fiber.HeaderContentEncoding, "gzip")
	}
	return c.Send(body)
}

// etagMatches applies If-None-Match's weak comparison (RFC 9110 13.1.2):
// "*" or any listed tag equal to tag once a W/ prefix is dropped.
func etagMatches(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == tag {
			return true
		}
	}
	return false
}
