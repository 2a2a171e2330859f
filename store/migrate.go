package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrationsFS holds the schema, one numbered file per change. Files are
// never edited once released: a schema change is a new file.
//
//go:embed migrations/*.sql
var migrationsFS embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads migrations/NNN_name.sql files from fsys, sorted by
// version. A malformed name or a duplicate version is an error: silently
// skipping a file would leave the schema half-built.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("store: list migrations: %w", err)
	}
	seen := map[int]string{}
	var ms []migration
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".sql")
		num, label, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 || label == "" {
			return nil, fmt.Errorf("store: migration %q: name must be NNN_name.sql", n)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("store: migrations %q and %q share version %d", prev, n, v)
		}
		seen[v] = n
		body, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("store: read migration %q: %w", n, err)
		}
		ms = append(ms, migration{version: v, name: label, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies, in order, every migration in fsys not yet recorded in
// schema_migrations, up to and including version upTo (-1 for all). Each
// runs in its own transaction together with its record, so a failing
// migration leaves the database at the previous version. Tests use upTo to
// build a database as an older release would have left it.
func migrate(ctx context.Context, w *sql.DB, fsys fs.FS, upTo int) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	if _, err := w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at DATETIME NOT NULL
	)`); err != nil {
		return fmt.Errorf("store: create schema_migrations: %w", err)
	}
	for _, m := range ms {
		if upTo >= 0 && m.version > upTo {
			break
		}
		if err := applyMigration(ctx, w, m); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration runs one migration unless it is already recorded. The
// check happens inside the (IMMEDIATE) transaction, so two processes
// opening the same file at once cannot both apply it.
func applyMigration(ctx context.Context, w *sql.DB, m migration) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %03d: begin: %w", m.version, err)
	}
	defer tx.Rollback() // no-op after Commit

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return fmt.Errorf("store: migration %03d: check: %w", m.version, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("store: migration %03d_%s: %w", m.version, m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UTC()); err != nil {
		return fmt.Errorf("store: migration %03d: record: %w", m.version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migration %03d: commit: %w", m.version, err)
	}
	return nil
}
