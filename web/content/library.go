package content

import (
	"context"
	"html/template"
	"sort"
	"sync/atomic"

	"github.com/esimshop/esimshop/store"
)

// Item is a published version with its rendered, sanitised HTML.
type Item struct {
	store.Content
	HTML template.HTML
	FAQ  []QA // the questions, for a FAQ page's structured data
}

// Path is the item's URL path on the shop (language-neutral).
func (it *Item) Path() string { return ItemPath(it.Kind, it.Slug) }

// ItemPath is the URL path of a page or guide.
func ItemPath(kind, slug string) string {
	if kind == store.KindGuide {
		return "/guides/" + slug
	}
	return "/" + slug
}

// Link is a link to a page: its title in the language asked and its path.
type Link struct{ Title, Path string }

// key names one version.
type key struct{ kind, slug, lang string }

// snapshot is what is published at one moment, rendered once.
type snapshot struct {
	items   map[key]*Item
	byName  map[key][]*Item // kind+slug (lang "") → every language version
	missing []string        // Required pages with no published version
}

// Library is the published pages and guides in memory, rendered once per
// change, so a page view never runs the Markdown renderer or sanitiser.
// Reload after every change; Version then moves, which keys the page cache.
type Library struct {
	db       *store.DB
	defLang  string
	cur      atomic.Pointer[snapshot]
	versions atomic.Uint64
}

// Open seeds the essential pages on a fresh database (publishing sample
// versions when demo is set) and loads what is published. defLang is the
// shop's default language, served when a page has no version in the
// buyer's.
func Open(ctx context.Context, db *store.DB, defLang string, demo bool) (*Library, error) {
	if _, err := db.SeedContent(ctx, Essentials()); err != nil {
		return nil, err
	}
	if demo {
		if err := PublishDemo(ctx, db); err != nil {
			return nil, err
		}
	}
	l := &Library{db: db, defLang: defLang}
	return l, l.Reload(ctx)
}

// Reload reads the published content again.
func (l *Library) Reload(ctx context.Context) error {
	cs, err := l.db.Contents(ctx)
	if err != nil {
		return err
	}
	s := &snapshot{items: map[key]*Item{}, byName: map[key][]*Item{}}
	published := map[string]bool{}
	for _, c := range cs {
		if c.Status != store.StatusPublished {
			continue
		}
		it := &Item{Content: c, HTML: Render(c.Body)}
		if c.Kind == store.KindPage && c.Slug == SlugFAQ {
			it.FAQ = FAQ(c.Body)
		}
		s.items[key{c.Kind, c.Slug, c.Lang}] = it
		name := key{c.Kind, c.Slug, ""}
		s.byName[name] = append(s.byName[name], it)
		if c.Kind == store.KindPage {
			published[c.Slug] = true
		}
	}
	for _, slug := range Required {
		if !published[slug] {
			s.missing = append(s.missing, slug)
		}
	}
	l.cur.Store(s)
	l.versions.Add(1)
	return nil
}

// Version changes every time the library is reloaded.
func (l *Library) Version() uint64 { return l.versions.Load() }

// Lookup returns the published version of a page or guide for lang: the
// one in lang, else the default language's, else any; and every language
// version (for hreflang). ok is false when nothing is published.
func (l *Library) Lookup(kind, slug, lang string) (it *Item, all []*Item, ok bool) {
	s := l.cur.Load()
	all = s.byName[key{kind, slug, ""}]
	if len(all) == 0 {
		return nil, nil, false
	}
	if it = s.items[key{kind, slug, lang}]; it == nil {
		if it = s.items[key{kind, slug, l.defLang}]; it == nil {
			it = all[0]
		}
	}
	return it, all, true
}

// Footer links the published legal pages, FAQ and contact page in lang.
func (l *Library) Footer(lang string) []Link {
	var out []Link
	for _, slug := range footerSlugs {
		if it, _, ok := l.Lookup(store.KindPage, slug, lang); ok {
			out = append(out, Link{Title: it.Title, Path: it.Path()})
		}
	}
	return out
}

// Guides returns the guides to list in lang, newest first: the lang
// version of each guide, else its default-language one.
func (l *Library) Guides(lang string) []*Item {
	s := l.cur.Load()
	var out []*Item
	for name := range s.byName {
		if name.kind == store.KindGuide {
			it, _, _ := l.Lookup(name.kind, name.slug, lang)
			out = append(out, it)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].PublishedAt.Equal(out[j].PublishedAt) {
			return out[i].PublishedAt.After(out[j].PublishedAt)
		}
		return out[i].Slug < out[j].Slug
	})
	return out
}

// All returns every published page and guide, one entry per slug with all
// its language versions, for the sitemap.
func (l *Library) All() [][]*Item {
	s := l.cur.Load()
	out := make([][]*Item, 0, len(s.byName))
	for _, v := range s.byName {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0].Path() < out[j][0].Path() })
	return out
}

// Missing returns the required pages (terms, privacy, refund policy,
// contact) that have no published version, for the dashboard's warning.
func (l *Library) Missing() []string { return l.cur.Load().missing }
