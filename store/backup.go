package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to path with VACUUM
// INTO, while the shop keeps running: SQLite copies one snapshot, readers
// and the writer carry on. The file must not exist yet.
func (db *DB) Backup(ctx context.Context, path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Errorf(EINVALID, "backup path %q: %v", path, err)
	}
	// VACUUM INTO accepts an empty file: create it private first, so the
	// copy is never readable by others, not even for a moment. O_EXCL
	// refuses to overwrite an existing backup.
	f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateMode)
	if errors.Is(err, os.ErrExist) {
		return Errorf(ECONFLICT, "backup file %s already exists", abs)
	} else if err != nil {
		return Errorf(EINVALID, "backup path %q: %v", path, err)
	}
	f.Close()
	// The reader pool is query_only, which SQLite applies to VACUUM INTO as
	// well, and the writer must stay free for orders: use a connection of
	// its own (it only reads the shop's file).
	conn, err := sql.Open("sqlite", "file:"+escapePath(db.path)+"?_pragma=busy_timeout(10000)&_time_format=sqlite")
	if err != nil {
		os.Remove(abs)
		return err
	}
	defer conn.Close()
	if _, err = conn.ExecContext(ctx, `VACUUM INTO ?`, abs); err != nil {
		os.Remove(abs) // never leave a half-written or empty backup behind
	}
	return err
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.reader.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}
