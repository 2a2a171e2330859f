package devices

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultListParses(t *testing.T) {
	l := Default()
	if len(l.Brands) < 5 {
		t.Fatalf("%d brands", len(l.Brands))
	}
}

func TestSearch(t *testing.T) {
	l := Default()
	tests := []struct {
		q     string
		brand string // "" = nothing found
		model string // a model that must be among the results
		not   string // a model that must not
	}{
		{"pixel 7", "Google", "Pixel 7a", "Pixel 6"},
		{"PIXEL 7 PRO", "Google", "Pixel 7 Pro", "Pixel 7a"},
		{"iphone 13 mini", "Apple", "iPhone 13 mini", "iPhone 13 Pro"},
		{"galaxy s23", "Samsung", "Galaxy S23 FE", "Galaxy S22"},
		{"samsung s24", "Samsung", "Galaxy S24 Ultra", ""},
		{"fairphone", "Fairphone", "Fairphone 5", ""},
		{"nokia 3310", "", "", ""},
		{"   ", "", "", ""},
	}
	for _, tt := range tests {
		got := l.Search(tt.q)
		if tt.brand == "" {
			if len(got) != 0 {
				t.Errorf("%q: found %v", tt.q, got)
			}
			continue
		}
		if len(got) != 1 || got[0].Name != tt.brand {
			t.Errorf("%q: got %v, want %s", tt.q, got, tt.brand)
			continue
		}
		all := "|" + strings.Join(got[0].Models, "|") + "|"
		if !strings.Contains(all, "|"+tt.model+"|") || (tt.not != "" && strings.Contains(all, "|"+tt.not+"|")) {
			t.Errorf("%q: models %v (want %q, not %q)", tt.q, got[0].Models, tt.model, tt.not)
		}
	}
}

func TestLoadRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"no brand":  "iPhone 15\n",
		"no models": "Apple: , ,\n",
		"empty":     "# nothing\n\n",
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(p); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	good := filepath.Join(dir, "good")
	os.WriteFile(good, []byte("Acme: Phone 1, Phone 2\nAcme: Phone 3\n"), 0o600)
	l, err := Load(good)
	if err != nil || len(l.Brands) != 1 || len(l.Brands[0].Models) != 3 {
		t.Errorf("good file: %+v, %v", l, err)
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file was accepted")
	}
}
