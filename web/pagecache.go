package web

import (
	"bytes"
	"compress/gzip"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"
)

// pageCacheBudget bounds the bytes (plain + gzip) one snapshot's page
// cache may hold; past it, pages are rendered per request as before.
const pageCacheBudget = 24 << 20

// pageCache holds the rendered public catalog pages of one catalog
// snapshot. Those pages depend only on the snapshot, the language and the
// page's own URL — never on the visitor (no form tokens, no nonces) — so
// each is rendered once and then served as bytes, plain or gzipped. A new
// snapshot (sync, pricing change) starts with an empty cache.
type pageCache struct {
	mu    sync.RWMutex
	pages map[string]*cachedPage
	size  int
}

// cachedPage is one rendered page.
type cachedPage struct {
	plain, gz []byte
}

// servePage answers with the page for key, rendering comp on a miss. The
// key must hold everything the page depends on besides the snapshot cat
// (the one comp reads): the language, the path and its canonical query.
func servePage(c *fiber.Ctx, cat *catalog, key string, comp func() (templ.Component, error)) error {
	pc := &cat.pages
	pc.mu.RLock()
	p := pc.pages[key]
	pc.mu.RUnlock()
	if p == nil {
		cm, err := comp()
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := cm.Render(c.UserContext(), &buf); err != nil {
			return err
		}
		p = &cachedPage{plain: buf.Bytes()}
		var gz bytes.Buffer
		w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		_, _ = w.Write(p.plain)
		if err := w.Close(); err == nil {
			p.gz = gz.Bytes()
		}
		pc.store(key, p)
	}
	c.Type("html", "utf-8")
	c.Vary(fiber.HeaderAcceptEncoding)
	if p.gz != nil && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(p.gz)
	}
	return c.Send(p.plain)
}

// store keeps p unless the budget is spent.
func (pc *pageCache) store(key string, p *cachedPage) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.pages == nil {
		pc.pages = map[string]*cachedPage{}
	}
	if _, ok := pc.pages[key]; ok || pc.size+len(p.plain)+len(p.gz) > pageCacheBudget {
		return
	}
	pc.pages[key] = p
	pc.size += len(p.plain) + len(p.gz)
}
