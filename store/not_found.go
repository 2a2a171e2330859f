package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// MaxNotFound bounds the 404 log: past it, the rows seen longest ago go
// first, so a crawler walking random URLs cannot grow the database.
const MaxNotFound = 500

// NotFound is one path that answered 404, with how often and when.
type NotFound struct {
	Path      string
	Hits      int
	FirstSeen time.Time
	LastSeen  time.Time
}

// RecordNotFound counts one 404 for path (cut to a sane length).
func (db *DB) RecordNotFound(ctx context.Context, path string) error {
	path = truncateUTF8(path, maxRedirectPathLen)
	return db.withTx(ctx, func(tx *sql.Tx) error {
		now := db.now().UTC()
		_, err := tx.ExecContext(ctx, `INSERT INTO not_found (path, hits, first_seen, last_seen) VALUES (?, 1, ?, ?)
			ON CONFLICT (path) DO UPDATE SET hits = hits + 1, last_seen = excluded.last_seen`, path, now, now)
		if err != nil {
			return fmt.Errorf("store: record 404: %w", err)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM not_found`).Scan(&n); err != nil || n <= MaxNotFound {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM not_found WHERE path IN (
			SELECT path FROM not_found ORDER BY last_seen DESC, hits DESC LIMIT -1 OFFSET ?)`, MaxNotFound)
		return err
	})
}

// TopNotFound returns up to limit 404 paths, most hit first.
func (db *DB) TopNotFound(ctx context.Context, limit int) ([]NotFound, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT path, hits, first_seen, last_seen FROM not_found
		ORDER BY hits DESC, last_seen DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: query 404s: %w", err)
	}
	defer rows.Close()
	var out []NotFound
	for rows.Next() {
		var n NotFound
		if err := rows.Scan(&n.Path, &n.Hits, &n.FirstSeen, &n.LastSeen); err != nil {
			return nil, fmt.Errorf("store: scan 404: %w", err)
		}
		n.FirstSeen, n.LastSeen = n.FirstSeen.UTC(), n.LastSeen.UTC()
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query 404s: %w", err)
	}
	return out, nil
}
