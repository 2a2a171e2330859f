package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Content kinds and statuses.
const (
	KindPage        = "page"  // a page at /<slug>: terms, privacy, FAQ, ...
	KindGuide       = "guide" // an article at /guides/<slug>
	StatusDraft     = "draft"
	StatusPublished = "published"
)

// Bounds on content: generous for a long legal text, small enough that a
// runaway paste or import cannot bloat every page render.
const (
	maxSlugLen         = 100
	maxContentTitleLen = 200
	maxDescriptionLen  = 320
	maxBodyLen         = 512 << 10
)

// slugPattern is a URL slug: lower-case letters and digits in
// hyphen-separated words.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Content is one language version of a page or a guide. Body is Markdown;
// HTML inside it is allowed and sanitised when rendered.
type Content struct {
	ID          int64
	Kind        string // KindPage or KindGuide
	Slug        string
	Lang        string // "en", "es"
	Title       string
	Description string // meta description
	Body        string
	Status      string // StatusDraft or StatusPublished
	// Placeholder marks seeded text the operator has not replaced yet.
	Placeholder bool
	// Source names where an imported version came from ("wp:123"); "" for
	// content written in the admin.
	Source      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt time.Time // first publication; zero for a draft never published
}

// ValidSlug reports whether s is a well-formed slug.
func ValidSlug(s string) bool { return len(s) <= maxSlugLen && slugPattern.MatchString(s) }

// validate checks c's fields (not its uniqueness).
func (c Content) validate() error {
	switch {
	case c.Kind != KindPage && c.Kind != KindGuide:
		return Errorf(EINVALID, "unknown content kind %q", truncateUTF8(c.Kind, 20))
	case !ValidSlug(c.Slug):
		return Errorf(EINVALID, "the slug must be lower-case letters, digits and hyphens (at most %d)", maxSlugLen)
	case len(c.Lang) != 2 || strings.ToLower(c.Lang) != c.Lang:
		return Errorf(EINVALID, "the language must be a two-letter code")
	case strings.TrimSpace(c.Title) == "" || utf8.RuneCountInString(c.Title) > maxContentTitleLen:
		return Errorf(EINVALID, "the title must be 1 to %d characters", maxContentTitleLen)
	case utf8.RuneCountInString(c.Description) > maxDescriptionLen:
		return Errorf(EINVALID, "the description must be at most %d characters", maxDescriptionLen)
	case len(c.Body) > maxBodyLen:
		return Errorf(EINVALID, "the text is longer than %d KB", maxBodyLen>>10)
	case c.Status != StatusDraft && c.Status != StatusPublished:
		return Errorf(EINVALID, "the status must be draft or published")
	case !utf8.ValidString(c.Title + c.Description + c.Body + c.Source):
		return Errorf(EINVALID, "the text is not valid UTF-8")
	}
	return nil
}

const contentColumns = `id, kind, slug, lang, title, description, body, status, placeholder, source, created_at, updated_at, published_at`

// scanContent reads one row of contentColumns.
func scanContent(s scanner) (Content, error) {
	var c Content
	var pub sql.NullTime
	err := s.Scan(&c.ID, &c.Kind, &c.Slug, &c.Lang, &c.Title, &c.Description, &c.Body, &c.Status,
		&c.Placeholder, &c.Source, &c.CreatedAt, &c.UpdatedAt, &pub)
	c.CreatedAt, c.UpdatedAt, c.PublishedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC(), fromNullTime(pub)
	return c, err
}

// Contents returns every page and guide version (drafts too), pages first,
// then by slug and language.
func (db *DB) Contents(ctx context.Context) ([]Content, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT `+contentColumns+` FROM content ORDER BY kind DESC, slug, lang`)
	if err != nil {
		return nil, fmt.Errorf("store: query content: %w", err)
	}
	defer rows.Close()
	var out []Content
	for rows.Next() {
		c, err := scanContent(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan content: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query content: %w", err)
	}
	return out, nil
}

// ContentByID returns one version; ENOTFOUND when there is none.
func (db *DB) ContentByID(ctx context.Context, id int64) (Content, error) {
	return contentWhere(ctx, db.reader, `id = ?`, id)
}

// contentWhere reads the one row matching cond.
func contentWhere(ctx context.Context, q querier, cond string, args ...any) (Content, error) {
	c, err := scanContent(q.QueryRowContext(ctx, `SELECT `+contentColumns+` FROM content WHERE `+cond, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Content{}, Errorf(ENOTFOUND, "no such page or guide")
	}
	if err != nil {
		return Content{}, fmt.Errorf("store: read content: %w", err)
	}
	return c, nil
}

// SaveContent creates c (ID 0) or updates the version with c.ID, and
// returns it as stored. Invalid fields are EINVALID; a slug already used by
// another version of the same kind and language is ECONFLICT; an unknown
// ID is ENOTFOUND. Nothing is stored on error. The store keeps the times:
// PublishedAt is set the first time the version is published.
func (db *DB) SaveContent(ctx context.Context, c Content) (Content, error) {
	if err := c.validate(); err != nil {
		return Content{}, err
	}
	var out Content
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = saveContent(ctx, tx, c, db.now().UTC())
		return err
	})
	return out, err
}

// saveContent is SaveContent inside tx.
func saveContent(ctx context.Context, tx *sql.Tx, c Content, now time.Time) (Content, error) {
	if other, err := contentWhere(ctx, tx, `kind = ? AND slug = ? AND lang = ?`, c.Kind, c.Slug, c.Lang); err == nil && other.ID != c.ID {
		return Content{}, Errorf(ECONFLICT, "another %s in %s already uses the slug %q", c.Kind, c.Lang, c.Slug)
	} else if err != nil && ErrorCode(err) != ENOTFOUND {
		return Content{}, err
	}
	var pub sql.NullTime
	if c.Status == StatusPublished {
		pub = nullTime(now)
	}
	if c.ID == 0 {
		res, err := tx.ExecContext(ctx, `INSERT INTO content (kind, slug, lang, title, description, body, status, placeholder, source, created_at, updated_at, published_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Kind, c.Slug, c.Lang, c.Title, c.Description, c.Body, c.Status, boolInt(c.Placeholder), c.Source, now, now, pub)
		if err != nil {
			return Content{}, fmt.Errorf("store: insert content: %w", err)
		}
		if c.ID, err = res.LastInsertId(); err != nil {
			return Content{}, fmt.Errorf("store: insert content: %w", err)
		}
	} else {
		res, err := tx.ExecContext(ctx, `UPDATE content SET kind = ?, slug = ?, lang = ?, title = ?, description = ?, body = ?,
			status = ?, placeholder = ?, source = ?, updated_at = ?, published_at = COALESCE(published_at, ?) WHERE id = ?`,
			c.Kind, c.Slug, c.Lang, c.Title, c.Description, c.Body, c.Status, boolInt(c.Placeholder), c.Source, now, pub, c.ID)
		if err != nil {
			return Content{}, fmt.Errorf("store: update content: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Content{}, Errorf(ENOTFOUND, "no such page or guide")
		}
	}
	return contentWhere(ctx, tx, `id = ?`, c.ID)
}

// DeleteContent removes one version; ENOTFOUND when there is none.
func (db *DB) DeleteContent(ctx context.Context, id int64) error {
	return db.deleteOne(ctx, `DELETE FROM content WHERE id = ?`, id, "no such page or guide")
}

// deleteOne runs a DELETE of one row by key; deleting nothing is
// ENOTFOUND with the message missing.
func (db *DB) deleteOne(ctx context.Context, query string, key any, missing string) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, key)
		if err != nil {
			return fmt.Errorf("store: delete: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return Errorf(ENOTFOUND, "%s", missing)
		}
		return nil
	})
}

// contentSeededKey is the setting that records that the essential pages
// were seeded, so a page the operator deletes is not seeded again.
const contentSeededKey = "content.seeded"

// SeedContent stores cs (the essential pages) the first time it is called
// on a database and reports how many it added; later calls add nothing,
// even if the operator deleted some since. A version whose kind, slug and
// language exist already is left alone.
func (db *DB) SeedContent(ctx context.Context, cs []Content) (int, error) {
	for _, c := range cs {
		if err := c.validate(); err != nil {
			return 0, err
		}
	}
	added := 0
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		var done int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM settings WHERE key = ?`, contentSeededKey).Scan(&done); err != nil {
			return fmt.Errorf("store: read seed flag: %w", err)
		}
		if done > 0 {
			return nil
		}
		now := db.now().UTC()
		for _, c := range cs {
			c.ID = 0
			if _, err := saveContent(ctx, tx, c, now); ErrorCode(err) == ECONFLICT {
				continue
			} else if err != nil {
				return err
			}
			added++
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)`, contentSeededKey, "1", now)
		return err
	})
	return added, err
}

// Import outcomes of ImportContent.
const (
	ImportCreated   = "created"
	ImportUpdated   = "updated"
	ImportUnchanged = "unchanged"
)

// ImportContent stores an imported version keyed by c.Source and c.Lang:
// the first import creates it, a later one updates it when a field
// differs (the import is the source of truth for what it imports).
// Non-zero c.UpdatedAt and c.PublishedAt are kept as the version's dates.
// It returns ImportCreated, ImportUpdated or ImportUnchanged. A seeded
// placeholder with the same slug is replaced; a slug taken by any other
// version is ECONFLICT and stores nothing.
func (db *DB) ImportContent(ctx context.Context, c Content) (string, error) {
	if c.Source == "" {
		return "", Errorf(EINVALID, "an imported page needs its source")
	}
	if err := c.validate(); err != nil {
		return "", err
	}
	outcome := ImportCreated
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		old, err := contentWhere(ctx, tx, `source = ? AND lang = ?`, c.Source, c.Lang)
		switch {
		case err == nil:
			if old.Kind == c.Kind && old.Slug == c.Slug && old.Title == c.Title && old.Description == c.Description &&
				old.Body == c.Body && old.Status == c.Status {
				outcome = ImportUnchanged
				return nil
			}
			c.ID, outcome = old.ID, ImportUpdated
		case ErrorCode(err) != ENOTFOUND:
			return err
		default:
			// An imported terms page replaces the seeded placeholder of
			// the same slug rather than clashing with it.
			if seed, err := contentWhere(ctx, tx, `kind = ? AND slug = ? AND lang = ? AND placeholder = 1 AND source = ''`,
				c.Kind, c.Slug, c.Lang); err == nil {
				c.ID, outcome = seed.ID, ImportUpdated
			}
		}
		saved, err := saveContent(ctx, tx, c, db.now().UTC())
		if err != nil || c.UpdatedAt.IsZero() {
			return err
		}
		// The imported dates are the article's own, shown as "last
		// updated" and in its Article data, not the day of the import.
		var pub sql.NullTime
		if saved.Status == StatusPublished {
			pub = nullTime(c.PublishedAt)
		}
		_, err = tx.ExecContext(ctx, `UPDATE content SET updated_at = ?, published_at = COALESCE(?, published_at) WHERE id = ?`,
			c.UpdatedAt.UTC(), pub, saved.ID)
		return err
	})
	if err != nil {
		return "", err
	}
	return outcome, nil
}
