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
// in one transaction. Any failure — a vendor error, an unusable reply, a
// database error — leaves the previous catalog untouched and is recorded as
// a failed run. On success the in-memory snapshot is rebuilt.
func (s *Shop) SyncCatalog(ctx context.Context) (store.SyncRun, error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, syncTimeout)
	defer cancel()
	started := s.Now()
	cat, err := fetchCatalog(ctx, s.Vendor, s.SalesMethod, s.Log.Warn)
	var run store.SyncRun
	if err == nil {
		run, err = s.DB.ReplaceCatalog(ctx, cat, started)
	}
	if err != nil {
		// Record with a fresh context: the sync's own may have expired.
		rctx, rcancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer rcancel()
		if _, rerr := s.DB.RecordSyncFailure(rctx, started, err); rerr != nil {
			s.Log.Error("recording failed catalog sync", "err", rerr)
		}
		s.Log.Error("catalog sync failed", "err", err, "duration", s.Now().Sub(started))
		return store.SyncRun{}, err
	}
	if err := s.Catalog.Reload(ctx); err != nil {
		return run, fmt.Errorf("catalog stored but not reloaded: %w", err)
	}
	// A sync briefly needs several times the catalog's size (the vendor's
	// JSON, its decoding, the old and new snapshots); hand that memory back
	// to the system now rather than keep it resident until the next sync.
	debug.FreeOSMemory()
	s.Log.Info("catalog synced", "products", run.Products, "added", run.Added, "removed", run.Removed,
		"price_changes", run.PriceChanges, "duration", run.Duration)
	return run, nil
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
