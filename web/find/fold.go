// Package find is the destination search: it folds what travellers type
// (case, accents, punctuation), knows the names, aliases, cities, islands
// and regions they use for each country, and matches with typo tolerance,
// so a search never dead-ends. It is plain Go with no HTTP: the
// storefront builds one Index per catalog snapshot and language.
package find

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and removes diacritics and punctuation so that
// "México", "mexico" and "MEXICO " compare equal; "Cancún" is "cancun".
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	out = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return unicode.ToLower(r)
		case unicode.IsSpace(r) || r == '-' || r == '.' || r == '\'' || r == ',':
			return ' '
		}
		return -1
	}, out)
	return strings.Join(strings.Fields(out), " ")
}

// dist measures edit distances from one query, reusing its rows.
type dist struct {
	q                []rune
	prev2, prev, cur []int
}

// newDist prepares distances from q.
func newDist(q string) *dist {
	r := []rune(q)
	return &dist{q: r}
}

// distance is the edit distance between a and b; see dist.to.
func distance(a, b string, limit int) int { return newDist(a).to([]rune(b), limit) }

// to is the edit distance from the query to b where a swap of two
// neighbouring letters ("tokoy") is one edit, as are an insertion, a
// deletion and a substitution (optimal string alignment). It gives up
// once it exceeds limit (the result is then limit+1).
func (d *dist) to(rb []rune, limit int) int {
	ra := d.q
	if n := len(ra) - len(rb); n > limit || -n > limit {
		return limit + 1
	}
	if cap(d.prev) < len(rb)+1 {
		d.prev2, d.prev, d.cur = make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	}
	prev2, prev, cur := d.prev2[:len(rb)+1], d.prev[:len(rb)+1], d.cur[:len(rb)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			low = min(low, cur[j])
		}
		if low > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// MaxTypos is how many typing mistakes a query of n letters may hold and
// still match: none below 4 letters (too many short names are one letter
// apart), one up to 6, two beyond.
func MaxTypos(n int) int {
	switch {
	case n < 4:
		return 0
	case n <= 6:
		return 1
	}
	return 2
}
