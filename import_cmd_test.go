package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esimshop/esimshop/store"
)

// TestImportWPCommand runs "esimshop import-wp" on the realistic export
// twice: the first run imports and prints its summary, the second
// changes nothing; a missing file and a bad language are errors.
func TestImportWPCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	fixture := filepath.Join("web", "content", "testdata", "wordpress-export.xml")
	getenv := func(string) string { return "" }
	var out bytes.Buffer
	if err := run([]string{"import-wp", "-db", db, fixture}, getenv, &out, &out); err != nil {
		t.Fatalf("first run: %v\n%s", err, out.String())
	}
	first := out.String()
	for _, want := range []string{"imported: 3 created, 3 updated, 0 unchanged", "redirects: ", "skipped: 4", `unmatched: product 72 "Gift card"`} {
		if !strings.Contains(first, want) {
			t.Errorf("summary lacks %q:\n%s", want, first)
		}
	}
	out.Reset()
	if err := run([]string{"import-wp", "-db", db, fixture}, getenv, &out, &out); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if !strings.Contains(out.String(), "imported: 0 created, 0 updated, 6 unchanged") || !strings.Contains(out.String(), "redirects: 0 created") {
		t.Errorf("second run changed things:\n%s", out.String())
	}
	s, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if r, err := s.LookupRedirect(context.Background(), "/terms-and-conditions/"); err != nil || r.To != "/terms" {
		t.Errorf("terms redirect = %+v, %v", r, err)
	}
	for _, args := range [][]string{{"import-wp", "-db", db, "/nonexistent.xml"}, {"import-wp", "-db", db, "-lang", "fr", fixture}, {"import-wp", "-db", db}} {
		if err := run(args, getenv, &out, &out); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}
