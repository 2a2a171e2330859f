package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Country is one destination from F001. The vendor's name is never shown
// (it may be Chinese); pages name countries from Code.
type Country struct {
	Code      string // ISO 3166-1 alpha-2, upper case
	Continent string // vendor's continent text, verbatim
	FlagURL   string
}

// Countries returns every destination ever listed by the vendor, by code.
func (db *DB) Countries(ctx context.Context) ([]Country, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT code, continent, flag_url FROM countries ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("store: query countries: %w", err)
	}
	defer rows.Close()
	var out []Country
	for rows.Next() {
		var c Country
		if err := rows.Scan(&c.Code, &c.Continent, &c.FlagURL); err != nil {
			return nil, fmt.Errorf("store: scan country: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query countries: %w", err)
	}
	return out, nil
}

// upsertCountries inserts or updates every country; countries the vendor
// stopped listing stay, as old products and orders may still name them.
func upsertCountries(ctx context.Context, tx *sql.Tx, cs []Country) error {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO countries (code, continent, flag_url) VALUES (?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET continent = excluded.continent, flag_url = excluded.flag_url`)
	if err != nil {
		return fmt.Errorf("store: prepare country upsert: %w", err)
	}
	defer stmt.Close()
	for _, co := range cs {
		if _, err := stmt.ExecContext(ctx, co.Code, co.Continent, co.FlagURL); err != nil {
			return fmt.Errorf("store: upsert country %s: %w", co.Code, err)
		}
	}
	return nil
}
