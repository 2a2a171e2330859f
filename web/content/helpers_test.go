package content

import (
	"path/filepath"
	"testing"

	"github.com/esimshop/esimshop/store"
)

// openDB opens a fresh database in t.TempDir().
func openDB(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
