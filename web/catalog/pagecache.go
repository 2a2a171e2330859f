package catalog

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"sync"
)

// pageCacheBudget bounds the bytes (plain + gzip) one snapshot's page
// cache may hold; past it, pages are rendered per request as before.
const pageCacheBudget = 24 << 20

// PageCache holds the rendered public catalog pages of one snapshot.
// Those pages depend only on the snapshot, the language and the page's
// own URL — never on the visitor (no form tokens, no nonces) — so each is
// rendered once and then served as bytes, plain or gzipped. A new snapshot
// (sync, pricing change) starts with an empty cache.
type PageCache struct {
	mu    sync.RWMutex
	pages map[string]*Page
	size  int
}

// Page is one rendered page, plain and gzipped (Gzip is nil if
// compressing failed).
type Page struct {
	Plain, Gzip []byte
	// ETag and ETagGzip are strong validators of the two bodies (the
	// bytes differ, so the tags do): a hash of the rendered page, quoted.
	ETag, ETagGzip string
}

// Get returns the page cached under key, or nil.
func (pc *PageCache) Get(key string) *Page {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	return pc.pages[key]
}

// Put compresses a rendered page and keeps it under key unless the budget
// is spent; it returns the page either way.
func (pc *PageCache) Put(key string, plain []byte) *Page {
	sum := sha256.Sum256(plain)
	tag := hex.EncodeToString(sum[:12])
	p := &Page{Plain: plain, ETag: `"` + tag + `"`, ETagGzip: `"` + tag + `-gz"`}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = w.Write(plain)
	if err := w.Close(); err == nil {
		p.Gzip = gz.Bytes()
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.pages == nil {
		pc.pages = map[string]*Page{}
	}
	if _, ok := pc.pages[key]; ok || pc.size+len(p.Plain)+len(p.Gzip) > pageCacheBudget {
		return p
	}
	pc.pages[key] = p
	pc.size += len(p.Plain) + len(p.Gzip)
	return p
}

// Len is the number of pages cached.
func (pc *PageCache) Len() int {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	return len(pc.pages)
}
