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

// foreignKeysOff is the directive a migration's first line carries when it
// rebuilds a table that others reference (SQLite cannot change a CHECK
// constraint in place). Dropping the old table with foreign keys enforced
// would fail or cascade, so, following SQLite's documented 12-step
// procedure, enforcement is switched off on the connection for that one
// migration and PRAGMA foreign_key_check must find nothing before commit.
const foreignKeysOff = "-- store:foreign_keys=off"

// applyMigration runs one migration unless it is already recorded. The
// check happens inside the (IMMEDIATE) transaction, so two processes
// opening the same file at once cannot both apply it.
func applyMigration(ctx context.Context, w *sql.DB, m migration) error {
	// A pinned connection: PRAGMA foreign_keys is per connection and a
	// no-op inside a transaction, so it must be set on the very connection
	// that then runs the transaction.
	conn, err := w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migration %03d: connect: %w", m.version, err)
	}
	defer conn.Close()
	fkOff := strings.HasPrefix(m.sql, foreignKeysOff)
	if fkOff {
		if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
			return fmt.Errorf("store: migration %03d: foreign keys off: %w", m.version, err)
		}
		// Restored whatever happens: the connection goes back to the pool.
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`)
	}
	tx, err := conn.BeginTx(ctx, nil)
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
	if fkOff {
		if err := foreignKeyCheck(ctx, tx); err != nil {
			return fmt.Errorf("store: migration %03d_%s: %w", m.version, m.name, err)
		}
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

// foreignKeyCheck fails when any row references a missing parent, which a
// migration run with foreign keys off could otherwise leave behind.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return fmt.Errorf("foreign key check: %w", err)
		}
		return fmt.Errorf("foreign key violation: %s row %d references a missing %s", table, rowid.Int64, parent)
	}
	return rows.Err()
}
