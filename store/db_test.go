package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenFreshAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	db, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	first := appliedMigrations(t, db.writer)
	want, err := loadMigrations(migrationsFS)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != len(want) || len(want) < 2 {
		t.Fatalf("applied %d migrations, want %d (>= 2)", len(first), len(want))
	}
	for i, m := range want {
		if first[i].version != m.version || first[i].name != m.name {
			t.Errorf("migration %d: got %d_%s, want %d_%s", i, first[i].version, first[i].name, m.version, m.name)
		}
	}
	for _, table := range []string{"countries", "products", "price_tiers", "coverage", "sync_runs"} {
		if !tableExists(t, db.writer, table) {
			t.Errorf("table %s missing", table)
		}
	}
	var mode string
	if err := db.reader.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	var fk int
	if err := db.writer.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v; want 1", fk, err)
	}
	mustReplace(t, db, catalogOf(product("A", "1")))
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	db, err = Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	again := appliedMigrations(t, db.writer)
	if len(again) != len(first) {
		t.Fatalf("after reopen %d migration rows, want %d", len(again), len(first))
	}
	for i := range first {
		if !again[i].appliedAt.Equal(first[i].appliedAt) {
			t.Errorf("migration %d re-applied: applied_at %v -> %v", first[i].version, first[i].appliedAt, again[i].appliedAt)
		}
	}
	if n, err := db.CountActiveProducts(context.Background()); err != nil || n != 1 {
		t.Errorf("data after reopen: %d products, %v; want 1", n, err)
	}
}

func TestReaderPoolIsReadOnly(t *testing.T) {
	db, _ := openTestDB(t)
	if _, err := db.reader.Exec(`INSERT INTO countries (code) VALUES ('DE')`); err == nil {
		t.Fatal("write through the reader pool succeeded")
	}
	if got := db.writer.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("writer MaxOpenConnections = %d, want 1", got)
	}
}

func TestOpenPaths(t *testing.T) {
	odd := filepath.Join(t.TempDir(), "a?b#c %20d")
	if err := os.Mkdir(odd, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		wantErr bool
	}{
		{"empty", "", true},
		{"memory", ":memory:", true},
		{"uri", "file:x.db", true},
		{"special characters in directory", filepath.Join(odd, "shop.db"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := Open(tt.path)
			if tt.wantErr {
				if ErrorCode(err) != EINVALID {
					db.Close()
					t.Fatalf("Open(%q) error = %v, want EINVALID", tt.path, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open(%q): %v", tt.path, err)
			}
			defer db.Close()
			if _, err := os.Stat(tt.path); err != nil {
				t.Errorf("database not created at the given path: %v", err)
			}
		})
	}
}

func TestTruncateUTF8(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"aé", 2, "a"},
		{"aé", 3, "aé"},
		{"日本", 4, "日"},
	}
	for _, tt := range tests {
		if got := truncateUTF8(tt.in, tt.n); got != tt.want {
			t.Errorf("truncateUTF8(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
