package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
)

// Bounds on settings: keys are identifiers chosen by the code, values
// short texts (a pricing rule, an address). MaxFeatured caps the home
// page's list.
const (
	maxSettingKeyLen   = 100
	maxSettingValueLen = 16 << 10
	// MaxFeatured is the most featured destinations the home page shows.
	MaxFeatured = 48
)

// Settings returns every stored operator setting. Keys never set are
// absent; the caller applies its defaults and validates values.
func (db *DB) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return nil, fmt.Errorf("store: query settings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("store: scan setting: %w", err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query settings: %w", err)
	}
	return out, nil
}

// SetSettings stores values (key → text) in one transaction, so a form
// that changes several settings never leaves half of them applied. Keys
// not in values are left as they are. A bad key or an oversized value is
// EINVALID and stores nothing.
func (db *DB) SetSettings(ctx context.Context, values map[string]string) error {
	for k, v := range values {
		if k == "" || len(k) > maxSettingKeyLen || strings.TrimSpace(k) != k || !utf8.ValidString(k) {
			return Errorf(EINVALID, "invalid setting key %q", truncateUTF8(k, maxSettingKeyLen))
		}
		if len(v) > maxSettingValueLen || !utf8.ValidString(v) {
			return Errorf(EINVALID, "setting %q is too long or not text", k)
		}
	}
	if len(values) == 0 {
		return nil
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		now := db.now().UTC()
		for _, k := range slices.Sorted(maps.Keys(values)) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				k, values[k], now); err != nil {
				return fmt.Errorf("store: set setting %q: %w", k, err)
			}
		}
		return nil
	})
}

// FeaturedDestinations returns the home page's featured ISO codes in
// display order: nil if the operator never set them (the page then uses
// its default), an empty slice if they were cleared on purpose.
func (db *DB) FeaturedDestinations(ctx context.Context) ([]string, error) {
	var raw string
	err := db.reader.QueryRowContext(ctx, `SELECT codes FROM featured_destinations WHERE id = 1`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: load featured destinations: %w", err)
	}
	codes := []string{}
	if err := json.Unmarshal([]byte(raw), &codes); err != nil {
		return nil, fmt.Errorf("store: decode featured destinations: %w", err)
	}
	return codes, nil
}

// SetFeaturedDestinations replaces the featured list. Codes are trimmed
// and upper-cased; each must be a known ISO 3166-1 alpha-2 code, listed
// once, and at most MaxFeatured of them — otherwise EINVALID naming the
// first bad code, and nothing changes.
func (db *DB) SetFeaturedDestinations(ctx context.Context, codes []string) error {
	if len(codes) > MaxFeatured {
		return Errorf(EINVALID, "at most %d featured destinations", MaxFeatured)
	}
	clean := make([]string, 0, len(codes))
	for _, c := range codes {
		c = strings.ToUpper(strings.TrimSpace(c))
		if RegionOf(c) == "" {
			return Errorf(EINVALID, "%q is not a country code", truncateUTF8(c, 8))
		}
		if slices.Contains(clean, c) {
			return Errorf(EINVALID, "%s is listed twice", c)
		}
		clean = append(clean, c)
	}
	raw, err := json.Marshal(clean)
	if err != nil {
		return fmt.Errorf("store: encode featured destinations: %w", err)
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO featured_destinations (id, codes, updated_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET codes = excluded.codes, updated_at = excluded.updated_at`,
			string(raw), db.now().UTC()); err != nil {
			return fmt.Errorf("store: set featured destinations: %w", err)
		}
		return nil
	})
}
