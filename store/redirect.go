package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Redirect sources: who made a redirect.
const (
	RedirectOperator = "operator" // added in the admin
	RedirectImport   = "import"   // made by esimshop import-wp
)

// maxRedirectPathLen bounds both sides of a redirect.
const maxRedirectPathLen = 1000

// Redirect sends an old URL to a page of this shop.
type Redirect struct {
	From      string // a path, with a query only for ?p= / ?page_id= style links
	To        string // a path on this shop (never another site)
	Status    int    // 301 or 302
	Source    string // RedirectOperator or RedirectImport
	CreatedAt time.Time
}

// localPath reports whether p is a path on this site: it starts with one
// "/" (a "//host" is another site to a browser) and holds no backslash,
// control character or space.
func localPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || len(p) > maxRedirectPathLen || !utf8.ValidString(p) {
		return false
	}
	for _, r := range p {
		if r <= ' ' || r == '\\' || r == 0x7f {
			return false
		}
	}
	return true
}

// validate checks a redirect's fields.
func (r Redirect) validate() error {
	switch {
	case !localPath(r.From):
		return Errorf(EINVALID, "the old path must start with / and hold no spaces")
	case !localPath(r.To):
		return Errorf(EINVALID, "the new path must be a path on this shop, starting with / (not another site)")
	case r.From == r.To:
		return Errorf(EINVALID, "a redirect cannot point to itself")
	case r.Status != 301 && r.Status != 302:
		return Errorf(EINVALID, "the status must be 301 (permanent) or 302 (temporary)")
	}
	return nil
}

// Redirects returns every redirect, by old path.
func (db *DB) Redirects(ctx context.Context) ([]Redirect, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT from_path, to_path, status, source, created_at FROM redirects ORDER BY from_path`)
	if err != nil {
		return nil, fmt.Errorf("store: query redirects: %w", err)
	}
	defer rows.Close()
	var out []Redirect
	for rows.Next() {
		var r Redirect
		if err := rows.Scan(&r.From, &r.To, &r.Status, &r.Source, &r.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: scan redirect: %w", err)
		}
		r.CreatedAt = r.CreatedAt.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query redirects: %w", err)
	}
	return out, nil
}

// LookupRedirect returns the redirect for the old path from; ENOTFOUND
// when there is none.
func (db *DB) LookupRedirect(ctx context.Context, from string) (Redirect, error) {
	r := Redirect{From: from}
	err := db.reader.QueryRowContext(ctx, `SELECT to_path, status, source, created_at FROM redirects WHERE from_path = ?`, from).
		Scan(&r.To, &r.Status, &r.Source, &r.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Redirect{}, Errorf(ENOTFOUND, "no redirect for that path")
	}
	if err != nil {
		return Redirect{}, fmt.Errorf("store: read redirect: %w", err)
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, nil
}

// SetRedirect adds or replaces the redirect from r.From and forgets that
// path's 404s. Bad paths or status are EINVALID and store nothing.
func (db *DB) SetRedirect(ctx context.Context, r Redirect) error {
	if err := r.validate(); err != nil {
		return err
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO redirects (from_path, to_path, status, source, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path, status = excluded.status, source = excluded.source`,
			r.From, r.To, r.Status, r.Source, db.now().UTC()); err != nil {
			return fmt.Errorf("store: set redirect: %w", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM not_found WHERE path = ?`, r.From)
		return err
	})
}

// AddRedirect adds r unless its old path already has a redirect (which is
// kept, so an import never overrides the operator) and reports whether it
// added one.
func (db *DB) AddRedirect(ctx context.Context, r Redirect) (bool, error) {
	if err := r.validate(); err != nil {
		return false, err
	}
	var added bool
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO redirects (from_path, to_path, status, source, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (from_path) DO NOTHING`, r.From, r.To, r.Status, r.Source, db.now().UTC())
		if err != nil {
			return fmt.Errorf("store: add redirect: %w", err)
		}
		n, _ := res.RowsAffected()
		added = n > 0
		_, err = tx.ExecContext(ctx, `DELETE FROM not_found WHERE path = ?`, r.From)
		return err
	})
	return added, err
}

// DeleteRedirect removes the redirect from the old path from; ENOTFOUND
// when there is none.
func (db *DB) DeleteRedirect(ctx context.Context, from string) error {
	return db.deleteOne(ctx, `DELETE FROM redirects WHERE from_path = ?`, from, "no redirect for that path")
}
