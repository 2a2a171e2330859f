package store

import (
	"context"
	"database/sql"
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

func TestMigrationWithForeignKeysOffRefusesDanglingRows(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	w, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.SetMaxOpenConns(1)
	fsys := fstest.MapFS{
		"migrations/001_a.sql": {Data: []byte(`CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p_id INTEGER REFERENCES p (id));`)},
		"migrations/002_b.sql": {Data: []byte(foreignKeysOff + "\nINSERT INTO c (p_id) VALUES (5);")},
	}
	if err := migrate(ctx, w, fsys, -1); err == nil {
		t.Fatal("a migration leaving a dangling reference was committed")
	}
	var n int
	if err := w.QueryRow(`SELECT COUNT(*) FROM c`).Scan(&n); err != nil || n != 0 {
		t.Errorf("rows in c = %d, %v; want the migration rolled back", n, err)
	}
	var fk int
	if err := w.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v; want back on", fk, err)
	}
}
