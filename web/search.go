package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/find"
	"github.com/esimshop/esimshop/web/httpx"
)

// aliasesOf returns the search words of code beyond its names (aliases,
// cities, islands, regions), folded and space separated, for the home
// page's client-side filter.
func aliasesOf(code string) string { return foldedAliases[code] }

// foldedAliases is find.Aliases folded once, at start-up.
var foldedAliases = func() map[string]string {
	m := make(map[string]string, len(find.Aliases))
	for code, list := range find.Aliases {
		out := make([]string, 0, len(list))
		for _, a := range list {
			out = append(out, find.Fold(a))
		}
		m[code] = strings.Join(out, " | ")
	}
	return m
}()

// searchIndex is the destination index of a snapshot: every country with
// plans under its names in every shop language and its aliases, in the
// order of lang's destination list. Built once per language per snapshot,
// so a search folds only the query.
func searchIndex(cat *catalog.Snapshot, lang string) *find.Index {
	// The links come first: Memo's build must not call Memo.
	links := destinationLinks(cat, lang)
	return cat.Memo("search|"+lang, func() any {
		entries := make([]find.Entry, 0, len(links))
		for _, l := range links {
			e := find.Entry{Code: l.Code}
			for _, other := range views.Languages {
				e.Terms = append(e.Terms, views.CountryName(other, l.Code))
			}
			e.Terms = append(e.Terms, find.Aliases[l.Code]...)
			entries = append(entries, e)
		}
		return find.NewIndex(entries)
	}).(*find.Index)
}

// searchDestinations finds the countries with plans that match q (see
// find.Index.Search); exact counts the exact matches, which come first.
func searchDestinations(cat *catalog.Snapshot, lang, q string) (results []views.DestinationLink, exact int) {
	for _, m := range searchIndex(cat, lang).Search(q) {
		results = append(results, destinationLink(cat, lang, m.Code))
		if m.Kind == find.KindExact {
			exact++
		}
	}
	return results, exact
}

// maxQueryLen bounds the search text; longer input is a malformed request.
const maxQueryLen = 100

// handleSearch serves /search?q= for buyers without JavaScript: a single
// match, or a single exact one, goes straight to its country page; several
// are listed; none offers the nearest names and the popular destinations,
// so a search never dead-ends.
func (a *App) handleSearch(c *fiber.Ctx) error {
	lang := httpx.LangOf(c)
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > maxQueryLen {
		return httpx.BadRequest("error.query_too_long")
	}
	cat := a.snapshot()
	results, exact := searchDestinations(cat, lang, q)
	if len(results) == 1 || exact == 1 {
		return c.Redirect(results[0].URL, fiber.StatusSeeOther)
	}
	p := a.page(c, "/search", views.T(lang, "search.title"), views.T(lang, "search.description"), nil)
	p.NoIndex = true
	d := views.SearchData{Page: p, Query: q, Results: results}
	if len(results) == 0 {
		for _, m := range searchIndex(cat, lang).Suggest(q, 3) {
			d.Suggestions = append(d.Suggestions, destinationLink(cat, lang, m.Code))
		}
		d.Popular = popularLinks(cat, lang)
	}
	return httpx.Render(c, fiber.StatusOK, views.Search(d))
}
