// Package devices is the shop's eSIM compatibility list: which phones can
// use an eSIM, searchable by model. The list is data (an embedded default,
// or the operator's file named by DEVICES_FILE), not code.
package devices

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/esimshop/esimshop/web/find"
)

//go:embed devices.txt
var defaultList string

// Brand is one maker with its eSIM-capable models, in list order.
type Brand struct {
	Name   string
	Models []string
}

// List is the compatibility list, brands in first-seen order.
type List struct {
	Brands []Brand
}

// Parse reads "Brand: model, model" lines; blank lines and lines starting
// with # are skipped. A line without a brand, or a brand without models,
// is an error naming its line, so a bad file is refused at start-up.
func Parse(r io.Reader) (List, error) {
	var l List
	index := map[string]int{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		brand, models, ok := strings.Cut(line, ":")
		brand = strings.TrimSpace(brand)
		if !ok || brand == "" {
			return List{}, fmt.Errorf("line %d: want \"Brand: model, model\", got %q", n, line)
		}
		i, seen := index[brand]
		if !seen {
			i = len(l.Brands)
			index[brand] = i
			l.Brands = append(l.Brands, Brand{Name: brand})
		}
		added := 0
		for _, m := range strings.Split(models, ",") {
			if m = strings.TrimSpace(m); m != "" {
				l.Brands[i].Models = append(l.Brands[i].Models, m)
				added++
			}
		}
		if added == 0 {
			return List{}, fmt.Errorf("line %d: brand %q has no models", n, brand)
		}
	}
	if err := sc.Err(); err != nil {
		return List{}, err
	}
	if len(l.Brands) == 0 {
		return List{}, fmt.Errorf("the list names no phones")
	}
	return l, nil
}

// Default is the built-in list.
func Default() List {
	l, err := Parse(strings.NewReader(defaultList))
	if err != nil {
		panic("devices: built-in list: " + err.Error()) // fixed at build time; tested
	}
	return l
}

// Load reads the operator's list from path; "" is the built-in list.
func Load(path string) (List, error) {
	if path == "" {
		return Default(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return List{}, err
	}
	defer f.Close()
	l, err := Parse(f)
	if err != nil {
		return List{}, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// Search returns the brands with the models matching q (case and accents
// ignored; "pixel 7", "galaxy s23", "iphone 13 mini"); a query naming a
// brand keeps all its models. Every word of q must appear.
func (l List) Search(q string) []Brand {
	words := strings.Fields(find.Fold(q))
	if len(words) == 0 {
		return nil
	}
	var out []Brand
	for _, b := range l.Brands {
		var hit Brand
		for _, m := range b.Models {
			if matchesAll(find.Fold(b.Name+" "+m), words) {
				hit.Models = append(hit.Models, m)
			}
		}
		if len(hit.Models) > 0 {
			hit.Name = b.Name
			out = append(out, hit)
		}
	}
	return out
}

// matchesAll reports whether every word occurs in s.
func matchesAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}
