package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// appliedMigration is a schema_migrations row.
type appliedMigration struct {
	version   int
	name      string
	appliedAt time.Time
}

func appliedMigrations(t *testing.T, q interface {
	Query(string, ...any) (*sql.Rows, error)
}) []appliedMigration {
	t.Helper()
	rows, err := q.Query(`SELECT version, name, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("query schema_migrations: %v", err)
	}
	defer rows.Close()
	var out []appliedMigration
	for rows.Next() {
		var m appliedMigration
		if err := rows.Scan(&m.version, &m.name, &m.appliedAt); err != nil {
			t.Fatalf("scan: %v", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func tableExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, name).Scan(&n); err != nil {
		t.Fatalf("sqlite_schema: %v", err)
	}
	return n == 1
}

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

func TestOpenUpgradesOlderDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	old, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(context.Background(), old, migrationsFS, 1); err != nil {
		t.Fatalf("migrate to 1: %v", err)
	}
	if _, err := old.Exec(`INSERT INTO countries (code, continent, flag_url) VALUES ('FR', 'Europe', '')`); err != nil {
		t.Fatal(err)
	}
	before := appliedMigrations(t, old)
	if len(before) != 1 || before[0].version != 1 {
		t.Fatalf("old build state: %+v, want only version 1", before)
	}
	if tableExists(t, old, "sync_runs") {
		t.Fatal("sync_runs exists before the upgrade")
	}
	old.Close()

	db, err := Open(path)
	if err != nil {
		t.Fatalf("Open upgraded: %v", err)
	}
	defer db.Close()
	after := appliedMigrations(t, db.writer)
	if len(after) < 2 || after[1].version != 2 || !after[0].appliedAt.Equal(before[0].appliedAt) {
		t.Fatalf("after upgrade: %+v", after)
	}
	if _, err := db.RecordSyncFailure(context.Background(), t0, os.ErrDeadlineExceeded); err != nil {
		t.Errorf("sync_runs unusable after upgrade: %v", err)
	}
	cs, err := db.Countries(context.Background())
	if err != nil || len(cs) != 1 || cs[0].Code != "FR" {
		t.Errorf("data lost in upgrade: %+v, %v", cs, err)
	}
}

func TestMigrateFailureKeepsPreviousVersion(t *testing.T) {
	fsys := fstest.MapFS{
		"migrations/001_one.sql": {Data: []byte(`CREATE TABLE one (x INTEGER);`)},
		"migrations/002_two.sql": {Data: []byte(`CREATE TABLE two (x INTEGER); INSERT INTO nowhere VALUES (1);`)},
	}
	w, err := sql.Open("sqlite", writerDSN(filepath.Join(t.TempDir(), "m.db")))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	err = migrate(context.Background(), w, fsys, -1)
	if err == nil || !strings.Contains(err.Error(), "002_two") {
		t.Fatalf("migrate error = %v, want one naming 002_two", err)
	}
	got := appliedMigrations(t, w)
	if len(got) != 1 || got[0].version != 1 {
		t.Errorf("recorded %+v, want only version 1", got)
	}
	if !tableExists(t, w, "one") || tableExists(t, w, "two") {
		t.Error("failed migration was not rolled back as a whole")
	}
}

func TestLoadMigrationsRejectsBadFiles(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"no number", []string{"migrations/init.sql"}, "NNN_name"},
		{"no label", []string{"migrations/003_.sql"}, "NNN_name"},
		{"zero", []string{"migrations/000_zero.sql"}, "NNN_name"},
		{"duplicate version", []string{"migrations/001_a.sql", "migrations/01_b.sql"}, "share version 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys[f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			_, err := loadMigrations(fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
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
