package shop

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/esimshop/esimshop/store"
)

// syncTimeout bounds one whole catalog sync (three vendor calls and the write).
const syncTimeout = 2 * time.Minute

// SyncCatalog fetches F001, F002 and F003, and replaces the stored catalog
// in one transaction. SKUs that fail decoding or validation are left out
// and listed in the run; the rest goes live. Any failure — a vendor error,
// an unusable reply, a database error — leaves the previous catalog
// untouched and is recorded as a failed run. A catalog that would remove
// more than SyncMaxDrop of the live one is recorded as held (run.Held)
// and stored for ApplyHeldSync. On success the in-memory snapshot is rebuilt.
func (s *Shop) SyncCatalog(ctx context.Context) (store.SyncRun, error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	started := s.Now()
	cat, err := fetchCatalog(ctx, s.Vendor, s.SalesMethod, s.Log.Warn)
	if err != nil {
		return s.syncFailed(started, err)
	}
	return s.replaceCatalog(ctx, cat, started, s.SyncMaxDrop)
}

// ApplyHeldSync makes the held sync runID the live catalog, as the
// operator decided: exactly the catalog that run fetched (stored with it,
// so a restart in between changes nothing), without the drop guard.
// runID must be the newest sync run and held, or the answer is EINVALID (a
// newer sync already decided).
func (s *Shop) ApplyHeldSync(ctx context.Context, runID int64) (store.SyncRun, error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	last, err := s.DB.LastSync(ctx)
	if err != nil {
		return store.SyncRun{}, err
	}
	if last.ID != runID || !last.Held {
		return store.SyncRun{}, store.Errorf(store.EINVALID, "sync run %d is not the latest held sync", runID)
	}
	cat, err := s.DB.HeldCatalog(ctx, runID)
	if store.ErrorCode(err) == store.ENOTFOUND {
		return store.SyncRun{}, store.Errorf(store.EINVALID, "sync run %d kept no catalog to apply; run a new sync", runID)
	}
	if err != nil {
		return store.SyncRun{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	return s.replaceCatalog(ctx, cat, s.Now(), 1)
}

// replaceCatalog stores cat (guarded by maxDrop) and reloads the snapshot.
func (s *Shop) replaceCatalog(ctx context.Context, cat store.Catalog, started time.Time, maxDrop float64) (store.SyncRun, error) {
	run, err := s.DB.ReplaceCatalogGuarded(ctx, cat, started, maxDrop)
	if err != nil {
		return s.syncFailed(started, err)
	}
	if run.Held {
		s.Log.Error("catalog sync held: it would remove too much of the live catalog", "run", run.ID,
			"would_remove", run.Removed, "live", run.Products, "max_share", maxDrop)
		return run, nil
	}
	if err := s.Catalog.Reload(ctx); err != nil {
		return run, fmt.Errorf("catalog stored but not reloaded: %w", err)
	}
	// A sync briefly needs several times the catalog's size (the vendor's
	// JSON, its decoding, the old and new snapshots); hand that memory back
	// to the system now rather than keep it resident until the next sync.
	debug.FreeOSMemory()
	s.Log.Info("catalog synced", "products", run.Products, "added", run.Added, "removed", run.Removed,
		"price_changes", run.PriceChanges, "skipped", run.Skipped, "duration", run.Duration)
	return run, nil
}

// syncFailed records a failed sync and returns err.
func (s *Shop) syncFailed(started time.Time, err error) (store.SyncRun, error) {
	// Record with a fresh context: the sync's own may have expired.
	rctx, rcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer rcancel()
	if _, rerr := s.DB.RecordSyncFailure(rctx, started, err); rerr != nil {
		s.Log.Error("recording failed catalog sync", "err", rerr)
	}
	s.Log.Error("catalog sync failed", "err", err, "duration", s.Now().Sub(started))
	return store.SyncRun{}, err
}

// syncLoop syncs at once when the stored catalog is empty (retrying every
// minute until it works: an empty shop sells nothing), then every
// SyncInterval until ctx ends.
func (s *Shop) syncLoop(ctx context.Context) {
	n, err := s.DB.CountActiveProducts(ctx)
	if err != nil {
		s.Log.Error("counting products", "err", err)
	}
	for n == 0 && ctx.Err() == nil {
		if _, err := s.SyncCatalog(ctx); err == nil {
			break
		}
		if !sleep(ctx, time.Minute) {
			return
		}
	}
	if s.SyncInterval <= 0 {
		return
	}
	t := time.NewTicker(s.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, _ = s.SyncCatalog(ctx) // failures are logged and recorded
		}
	}
}

// sleep waits d or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
