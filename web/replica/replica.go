// Package replica streams the shop's SQLite database off the machine with
// Litestream (github.com/benbjohnson/litestream, used as a library) and
// restores it. REPLICA_URL names the destination: file:///path or
// s3://bucket/prefix (with the AWS_* environment variables and, for an
// S3-compatible store, ?endpoint=URL).
package replica

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/benbjohnson/litestream"
	_ "github.com/benbjohnson/litestream/file" // registers file://
	_ "github.com/benbjohnson/litestream/s3"   // registers s3://
)

// levels are Litestream's compaction levels: every change is shipped at
// level 0 within a second; level 1 merges them every 30 seconds.
var levels = litestream.CompactionLevels{{Level: 0}, {Level: 1, Interval: 30 * time.Second}}

// Replicator keeps one database replicated while it runs.
type Replicator struct {
	db      *litestream.DB
	store   *litestream.Store
	started time.Time
}

// Start replicates the database at path to url until Close. The database
// must already exist (the store opens and migrates it first).
func Start(ctx context.Context, path, url string, log *slog.Logger) (*Replicator, error) {
	client, err := litestream.NewReplicaClientFromURL(url)
	if err != nil {
		return nil, fmt.Errorf("REPLICA_URL: %w", err)
	}
	db := litestream.NewDB(path)
	db.SetLogger(log.With("system", "litestream"))
	r := litestream.NewReplicaWithClient(db, client)
	db.Replica = r
	st := litestream.NewStore([]*litestream.DB{db}, levels)
	st.Logger = log.With("system", "litestream")
	if err := st.Open(ctx); err != nil {
		return nil, fmt.Errorf("starting replication: %w", err)
	}
	return &Replicator{db: db, store: st, started: time.Now()}, nil
}

// Sync ships every committed change now and waits until the replica has
// it.
func (r *Replicator) Sync(ctx context.Context) error { return r.db.SyncAndWait(ctx) }

// LastSync is when the replica last confirmed it had everything (zero
// before the first sync).
func (r *Replicator) LastSync() time.Time { return r.db.LastSuccessfulSyncAt() }

// Lag is how long ago the replica last confirmed it had every change;
// before the first confirmation, how long replication has been running.
func (r *Replicator) Lag() time.Duration {
	last := r.LastSync()
	if last.IsZero() {
		last = r.started
	}
	return time.Since(last)
}

// Close ships what is left and stops replicating.
func (r *Replicator) Close(ctx context.Context) error { return r.store.Close(ctx) }

// Restore writes the replica at url into dest as it was at at (zero: the
// latest state). dest must not exist: a restore never overwrites a
// database.
func Restore(ctx context.Context, url string, at time.Time, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("restore: %s already exists; restore to a new file, then move it into place", dest)
	}
	client, err := litestream.NewReplicaClientFromURL(url)
	if err != nil {
		return fmt.Errorf("replica URL: %w", err)
	}
	opt := litestream.NewRestoreOptions()
	opt.OutputPath = dest
	opt.Timestamp = at
	opt.IntegrityCheck = litestream.IntegrityCheckQuick
	if err := litestream.NewReplicaWithClient(nil, client).Restore(ctx, opt); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return nil
}
