// Package store holds the shop's domain types and their SQLite persistence:
// the catalog (products, price tiers, coverage), sync runs, orders with
// their payment events and state machine, fulfilment records (eSIMs,
// vendor notices, mail log) and the durable job queue.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// readerConns is the size of the read-only pool. WAL lets readers run
// alongside the single writer; a handful is plenty for one shop process and
// keeps memory (each connection has its own page cache) bounded.
const readerConns = 4

// DB is the shop's SQLite database. Writes go through one connection so they
// never contend for SQLite's single write lock inside the process; reads use
// a separate read-only pool so a long catalog sync never blocks page views.
type DB struct {
	path   string
	writer *sql.DB
	reader *sql.DB
	gate   gate // orders the writer's waiters (see gate.go)

	// now is the clock; tests replace it to get deterministic durations.
	now func() time.Time
}

// Open opens (creating if needed) the SQLite database file at path and brings
// its schema up to date. path must be a file path, not ":memory:": the writer
// and the reader pool are separate connections that must see the same data.
func Open(path string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, Errorf(EINVALID, "database path must be a plain file path, got %q", path)
	}
	db := &DB{path: path, now: time.Now}
	if err := createPrivate(path); err != nil {
		return nil, err
	}

	w, err := sql.Open("sqlite", writerDSN(path))
	if err != nil {
		return nil, fmt.Errorf("store: open writer: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	db.writer = w

	// Migrate before the reader pool exists: the writer's first connection
	// switches the file to WAL, which the read-only connections cannot do.
	if err := migrate(context.Background(), w, migrationsFS, -1); err != nil {
		w.Close()
		return nil, err
	}

	r, err := sql.Open("sqlite", readerDSN(path))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open reader: %w", err)
	}
	r.SetMaxOpenConns(readerConns)
	r.SetMaxIdleConns(readerConns)
	if err := r.PingContext(context.Background()); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("store: ping reader: %w", err)
	}
	db.reader = r
	return db, nil
}

// writerDSN is the DSN from DESIGN.md: a busy timeout so a second process
// (a backup, the sqlite3 shell) waits instead of failing, WAL for concurrent
// readers, enforced foreign keys, NORMAL sync (safe in WAL mode), BEGIN
// IMMEDIATE so a write transaction takes the lock up front instead of failing
// half-way with SQLITE_BUSY, and times written in SQLite's own text format.
func writerDSN(path string) string {
	return "file:" + escapePath(path) + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"
}

// readerDSN differs from writerDSN on purpose: query_only makes any write
// through the pool an error, and transactions stay DEFERRED because an
// IMMEDIATE read transaction would take the write lock. journal_mode is not
// set: the file is already WAL (set by the writer) and changing it is a write.
// Each reader keeps a 1 MB page cache (SQLite's default is 2 MB): the
// catalog is read once per sync into memory, so a large cache buys little.
func readerDSN(path string) string {
	return "file:" + escapePath(path) + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)" +
		"&_pragma=query_only(1)&_pragma=cache_size(-1024)&_time_format=sqlite"
}

// escapePath percent-encodes path for a file: URI, which SQLite decodes;
// without it a '?', '#' or '%' in a directory name would corrupt the DSN.
func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}

// Close closes both connection pools. It is safe to call on a nil *DB.
func (db *DB) Close() error {
	if db == nil {
		return nil
	}
	var errs []error
	if db.reader != nil {
		errs = append(errs, db.reader.Close())
	}
	if db.writer != nil {
		errs = append(errs, db.writer.Close())
	}
	return errors.Join(errs...)
}

// withTx runs fn in a write transaction (BEGIN IMMEDIATE on the single
// writer connection) and commits when fn returns nil. fn must not make
// network calls: it holds the database's only write lock.
func (db *DB) withTx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	if err := db.gate.acquire(ctx); err != nil {
		return err
	}
	defer db.gate.release()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// withReadTx runs fn in a read transaction on the reader pool, so that
// several queries see one consistent snapshot even while a sync commits.
func (db *DB) withReadTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("store: begin read: %w", err)
	}
	defer tx.Rollback() // read-only: nothing to commit
	return fn(tx)
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// querier is what both *sql.DB and *sql.Tx offer, so read helpers serve a
// transaction and the reader pool alike.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// boolInt stores a bool as SQLite's conventional 0/1 integer.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// nullID stores an unknown order (0) as NULL.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// nullTime stores a zero time as NULL and any other in UTC. UTC matters
// beyond tidiness: times are stored as text, and only same-zone texts
// compare in time order.
func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

// fromNullTime is the inverse of nullTime: NULL reads as the zero time.
func fromNullTime(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}

// truncateUTF8 shortens s to at most n bytes without splitting a rune.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// privateMode is the permission of the database and its backups: they hold
// activation codes, order tokens, password and session hashes, so only the
// shop's own user may read them. SQLite gives the -wal and -shm files the
// mode of the database file.
const privateMode = 0o600

// createPrivate creates the file at path with privateMode if it does not
// exist, and takes group and other permissions away from one that does
// (a database created by an earlier release with 0644).
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, privateMode)
	if err != nil {
		return fmt.Errorf("store: create database file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("store: database file: %w", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		if err := f.Chmod(st.Mode().Perm() &^ 0o077); err != nil {
			return fmt.Errorf("store: make the database private: %w", err)
		}
	}
	return nil
}
