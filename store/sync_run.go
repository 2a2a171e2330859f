package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// SyncRun records one catalog sync, successful or not.
type SyncRun struct {
	ID           int64
	StartedAt    time.Time
	Duration     time.Duration
	OK           bool
	Error        string // why it failed; empty when OK
	Products     int    // active products after the run
	Added        int
	Removed      int // marked inactive
	PriceChanges int // products whose price tiers changed
	// AddedSKUs, RemovedSKUs and ChangedSKUs name the products behind
	// the counts, sorted, at most MaxSyncRunSKUs each (the counts stay
	// exact), for the dashboard's sync history.
	AddedSKUs   []string
	RemovedSKUs []string
	ChangedSKUs []string
	// Skipped counts the vendor records left out (bad decoding or
	// validation); SkippedSKUs names them with the reason, capped at
	// MaxSyncRunSKUs.
	Skipped     int
	SkippedSKUs []SkippedSKU
	// Held is a sync that was not swapped in because it would have
	// removed too much of the live catalog (see ReplaceCatalogGuarded);
	// OK is false and Error says why. An operator may apply it.
	Held bool
}

// MaxSyncRunSKUs caps the SKU ids a SyncRun keeps per list: enough to show
// a normal sync in full, bounded when a vendor reshuffles its catalog.
const MaxSyncRunSKUs = 200

// maxSyncErrorLen caps the stored failure text: it is for the dashboard,
// and a vendor error page must not bloat the table.
const maxSyncErrorLen = 1000

// RecordSyncFailure records a sync that failed with err before or while
// replacing the catalog; the catalog itself is untouched. err's text is
// stored and shown to operators, so it must not carry secrets.
func (db *DB) RecordSyncFailure(ctx context.Context, started time.Time, err error) (SyncRun, error) {
	msg := "unknown error"
	if err != nil {
		msg = truncateUTF8(err.Error(), maxSyncErrorLen)
	}
	run := SyncRun{StartedAt: started.UTC(), Error: msg}
	txErr := db.withTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM products WHERE active = 1`).Scan(&run.Products); err != nil {
			return fmt.Errorf("store: count active products: %w", err)
		}
		run.Duration = nonNegative(db.now().Sub(started))
		return insertSyncRun(ctx, tx, &run)
	})
	if txErr != nil {
		return SyncRun{}, txErr
	}
	return run, nil
}

// insertSyncRun stores run and sets its ID.
func insertSyncRun(ctx context.Context, tx *sql.Tx, run *SyncRun) error {
	var lists [3]string
	for i, l := range [][]string{run.AddedSKUs, run.RemovedSKUs, run.ChangedSKUs} {
		if l == nil {
			l = []string{}
		}
		b, err := json.Marshal(l)
		if err != nil {
			return fmt.Errorf("store: encode sync run SKUs: %w", err)
		}
		lists[i] = string(b)
	}
	skipped := run.SkippedSKUs
	if skipped == nil {
		skipped = []SkippedSKU{}
	}
	skippedJSON, err := json.Marshal(skipped)
	if err != nil {
		return fmt.Errorf("store: encode skipped SKUs: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO sync_runs
		(started_at, duration_ns, ok, error, products, added, removed, price_changes,
		added_skus, removed_skus, price_changed_skus, skipped, skipped_skus, held)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		run.StartedAt, int64(run.Duration), boolInt(run.OK), run.Error,
		run.Products, run.Added, run.Removed, run.PriceChanges, lists[0], lists[1], lists[2],
		run.Skipped, string(skippedJSON), boolInt(run.Held))
	if err != nil {
		return fmt.Errorf("store: insert sync run: %w", err)
	}
	if run.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("store: sync run id: %w", err)
	}
	return nil
}

// LastSync returns the most recent sync run, successful or not; ENOTFOUND
// when the catalog was never synced.
func (db *DB) LastSync(ctx context.Context) (SyncRun, error) {
	runs, err := db.SyncRuns(ctx, 1)
	if err != nil {
		return SyncRun{}, err
	}
	if len(runs) == 0 {
		return SyncRun{}, Errorf(ENOTFOUND, "no catalog sync has run yet")
	}
	return runs[0], nil
}

// SyncRuns returns up to limit sync runs, newest first. A limit below 1
// is EINVALID.
func (db *DB) SyncRuns(ctx context.Context, limit int) ([]SyncRun, error) {
	if limit < 1 {
		return nil, Errorf(EINVALID, "limit must be at least 1")
	}
	rows, err := db.reader.QueryContext(ctx, `SELECT id, started_at, duration_ns, ok, error, products,
		added, removed, price_changes, added_skus, removed_skus, price_changed_skus,
		skipped, skipped_skus, held
		FROM sync_runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: query sync runs: %w", err)
	}
	defer rows.Close()
	var runs []SyncRun
	for rows.Next() {
		var r SyncRun
		var ns int64
		var added, removed, changed, skipped string
		if err := rows.Scan(&r.ID, &r.StartedAt, &ns, &r.OK, &r.Error, &r.Products,
			&r.Added, &r.Removed, &r.PriceChanges, &added, &removed, &changed,
			&r.Skipped, &skipped, &r.Held); err != nil {
			return nil, fmt.Errorf("store: scan sync run: %w", err)
		}
		if err := json.Unmarshal([]byte(skipped), &r.SkippedSKUs); err != nil {
			return nil, fmt.Errorf("store: sync run %d: decode skipped SKUs: %w", r.ID, err)
		}
		if len(r.SkippedSKUs) == 0 {
			r.SkippedSKUs = nil
		}
		for _, l := range []struct {
			raw string
			dst *[]string
		}{{added, &r.AddedSKUs}, {removed, &r.RemovedSKUs}, {changed, &r.ChangedSKUs}} {
			if err := decodeSKUs(l.raw, l.dst); err != nil {
				return nil, fmt.Errorf("store: sync run %d: %w", r.ID, err)
			}
		}
		r.Duration = time.Duration(ns)
		r.StartedAt = r.StartedAt.UTC()
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query sync runs: %w", err)
	}
	return runs, nil
}

// decodeSKUs parses a sync_runs SKU list; an empty list reads as nil, as
// a run built in memory without SKUs has.
func decodeSKUs(raw string, dst *[]string) error {
	var l []string
	if err := json.Unmarshal([]byte(raw), &l); err != nil {
		return fmt.Errorf("decode SKU list: %w", err)
	}
	if len(l) > 0 {
		*dst = l
	}
	return nil
}

// appendSKU adds sku to a sync run's list unless the list is full.
func appendSKU(list []string, sku string) []string {
	if len(list) >= MaxSyncRunSKUs {
		return list
	}
	return append(list, sku)
}

// nonNegative clamps a duration measured across a wall-clock jump.
func nonNegative(d time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	return d
}
