package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// maxHeldCatalog bounds what HeldCatalog inflates: far above any real
// catalog (a 5,000-SKU one is a few MB of JSON), far below memory trouble.
const maxHeldCatalog = 256 << 20

// saveHeldCatalog keeps c, the catalog of the held run runID, as
// compressed JSON, replacing any older held catalog: only the newest held
// run can be applied.
func saveHeldCatalog(ctx context.Context, tx *sql.Tx, runID int64, c Catalog, now time.Time) error {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(c); err != nil {
		return fmt.Errorf("store: encode held catalog: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("store: compress held catalog: %w", err)
	}
	if err := dropHeldCatalogs(ctx, tx); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO held_catalogs (run_id, body, created_at) VALUES (?, ?, ?)`,
		runID, buf.Bytes(), now.UTC())
	if err != nil {
		return fmt.Errorf("store: save held catalog: %w", err)
	}
	return nil
}

// dropHeldCatalogs forgets every held catalog: a sync went live, so none
// of them is the newest decision any more.
func dropHeldCatalogs(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM held_catalogs`); err != nil {
		return fmt.Errorf("store: drop held catalogs: %w", err)
	}
	return nil
}

// HeldCatalog returns the catalog the held sync run runID fetched, exactly
// as it was then, so the operator applies what they reviewed. It is
// ENOTFOUND when that run kept no catalog (it was not held, a newer sync
// replaced it, or it predates stored held catalogs).
func (db *DB) HeldCatalog(ctx context.Context, runID int64) (Catalog, error) {
	var body []byte
	err := db.reader.QueryRowContext(ctx, `SELECT body FROM held_catalogs WHERE run_id = ?`, runID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return Catalog{}, Errorf(ENOTFOUND, "sync run %d has no held catalog", runID)
	}
	if err != nil {
		return Catalog{}, fmt.Errorf("store: load held catalog: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return Catalog{}, fmt.Errorf("store: held catalog of run %d: %w", runID, err)
	}
	var c Catalog
	if err := json.NewDecoder(io.LimitReader(zr, maxHeldCatalog)).Decode(&c); err != nil {
		return Catalog{}, fmt.Errorf("store: held catalog of run %d: %w", runID, err)
	}
	return c, nil
}
