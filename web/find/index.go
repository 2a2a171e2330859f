package find

import (
	"sort"
	"strings"
)

// Entry is one searchable destination: its ISO code and every name a
// traveller may type for it (localised names, aliases, places).
type Entry struct {
	Code  string
	Terms []string
}

// Index holds entries with their terms folded once, so a search folds
// only the query.
type Index struct {
	entries []indexed
}

type indexed struct {
	code  string
	terms []string // folded, distinct
	runes [][]rune // terms as runes, for edit distances without allocating
}

// Match kinds, best first.
const (
	KindExact    = 0 // the whole name, or the ISO code
	KindPrefix   = 1 // a name or one of its words starts with the query
	KindContains = 2 // a name contains the query (3+ letters)
	KindTypo     = 3 // a name within MaxTypos edits of the query
)

// Match is one destination found, with how well and by which term.
type Match struct {
	Code string
	Kind int
	Dist int    // edits, for typo matches
	Term string // the folded term that matched
}

// NewIndex folds the entries' terms; the order of entries is the order
// of equally good matches.
func NewIndex(entries []Entry) *Index {
	ix := &Index{entries: make([]indexed, 0, len(entries))}
	for _, e := range entries {
		seen := map[string]bool{}
		in := indexed{code: e.Code}
		for _, t := range append([]string{e.Code}, e.Terms...) {
			if f := Fold(t); f != "" && !seen[f] {
				seen[f] = true
				in.terms = append(in.terms, f)
				in.runes = append(in.runes, []rune(f))
			}
		}
		ix.entries = append(ix.entries, in)
	}
	return ix
}

// Search returns the destinations matching q, best first: exact, then
// prefix, then contains; only when none of those match, the names within
// MaxTypos edits (fewest first).
func (ix *Index) Search(q string) []Match {
	q = Fold(q)
	if q == "" {
		return nil
	}
	var out []Match
	d := newDist(q)
	// Typos are the fallback: a query that names something as typed
	// lists just that, and costs no edit distances.
	for _, typos := range []int{0, MaxTypos(len(d.q))} {
		for _, e := range ix.entries {
			if m, ok := matchEntry(e, q, d, typos); ok {
				out = append(out, m)
			}
		}
		if len(out) > 0 || typos == 0 && MaxTypos(len(d.q)) == 0 {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Dist < out[j].Dist
	})
	return out
}

// Suggest returns up to n destinations closest to q by edit distance,
// for a search that found nothing: "Did you mean…?". Only names within
// half the query's length in edits count, so nonsense suggests nothing.
func (ix *Index) Suggest(q string, n int) []Match {
	q = Fold(q)
	d := newDist(q)
	limit := len(d.q) / 2
	if limit < 1 {
		return nil
	}
	var out []Match
	for _, e := range ix.entries {
		if m, ok := matchEntry(e, q, d, limit); ok {
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Dist < out[j].Dist })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// matchEntry is the best match of q (folded) against one entry's terms,
// allowing typos edits.
func matchEntry(e indexed, q string, dq *dist, typos int) (Match, bool) {
	best := Match{Code: e.code, Kind: -1}
	better := func(kind, dist int, term string) {
		if best.Kind < 0 || kind < best.Kind || (kind == best.Kind && dist < best.Dist) {
			best.Kind, best.Dist, best.Term = kind, dist, term
		}
	}
	qlen := len(dq.q)
	for i, t := range e.terms {
		switch {
		case t == q:
			better(KindExact, 0, t)
		case strings.HasPrefix(t, q) || (qlen >= 3 && wordPrefix(t, q)):
			better(KindPrefix, 0, t)
		case qlen >= 3 && strings.Contains(t, q):
			better(KindContains, 0, t)
		case typos > 0:
			r := e.runes[i]
			d := dq.to(r, typos)
			// "tailan" for "tailandia": a typo in what was typed so far.
			if len(r) > qlen {
				d = min(d, dq.to(r[:qlen], typos))
			}
			if d <= typos {
				better(KindTypo, d, t)
			}
		}
	}
	return best, best.Kind >= 0
}

// wordPrefix reports whether a word of t after the first starts with q:
// "york" finds "new york".
func wordPrefix(t, q string) bool {
	for i := 0; i < len(t); i++ {
		if t[i] == ' ' && strings.HasPrefix(t[i+1:], q) {
			return true
		}
	}
	return false
}
