package store

import (
	"context"
	"database/sql"
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
	if _, err := os.Stat(abs); err == nil {
		return Errorf(ECONFLICT, "backup file %s already exists", abs)
	}
	// The reader pool is query_only, which SQLite applies to VACUUM INTO as
	// well, and the writer must stay free for orders: use a connection of
	// its own (it only reads the shop's file).
	conn, err := sql.Open("sqlite", "file:"+escapePath(db.path)+"?_pragma=busy_timeout(10000)&_time_format=sqlite")
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.ExecContext(ctx, `VACUUM INTO ?`, abs)
	return err
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.reader.QueryRowContext(ctx, `SELECT 1`).Scan(&one)
}
