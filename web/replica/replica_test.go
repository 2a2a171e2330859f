package replica

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	_ "modernc.org/sqlite"
)

// openWAL opens path the way the store does (WAL, one writer).
func openWAL(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}

// fakeS3 starts an in-process S3 server with one bucket and returns a
// REPLICA_URL for it.
func fakeS3(t *testing.T) string {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket("shop"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_REGION", "us-east-1")
	// Litestream v0.5.18 hands the AWS SDK a plain *http.Client, which
	// cannot take a custom CA bundle: with AWS_CA_BUNDLE set (as on these
	// build machines) loading the S3 config fails. The fake server is
	// plain HTTP and needs none.
	t.Setenv("AWS_CA_BUNDLE", "")
	return "s3://shop/esimshop?endpoint=" + srv.URL + "&force-path-style=true"
}

// TestReplicateAndRestore writes rows, syncs, writes more, closes, and
// restores from a file replica and from an in-process S3 server: the
// restored copy has every committed row, and a point-in-time restore
// between the two batches has only the first.
func TestReplicateAndRestore(t *testing.T) {
	for name, url := range map[string]func(t *testing.T, dir string) string{
		"file": func(t *testing.T, dir string) string { return "file://" + filepath.Join(dir, "replica") },
		"s3":   func(t *testing.T, _ string) string { return fakeS3(t) },
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "shop.db")
			db := openWAL(t, path)
			if _, err := db.Exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, number TEXT NOT NULL)`); err != nil {
				t.Fatal(err)
			}
			u := url(t, dir)
			ctx := context.Background()
			r, err := Start(ctx, path, u, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			insert := func(from, to int) {
				for i := from; i < to; i++ {
					if _, err := db.Exec(`INSERT INTO orders (number) VALUES (?)`, fmt.Sprintf("ES-%d", i)); err != nil {
						t.Fatal(err)
					}
				}
			}
			insert(0, 50)
			if err := r.Sync(ctx); err != nil {
				t.Fatalf("sync: %v", err)
			}
			if lag := r.Lag(); lag > 5*time.Second {
				t.Errorf("lag %v right after a sync", lag)
			}
			time.Sleep(1100 * time.Millisecond) // LTX timestamps have millisecond resolution; keep the batches apart
			between := time.Now()
			time.Sleep(1100 * time.Millisecond)
			insert(50, 80)
			if err := r.Close(ctx); err != nil {
				t.Fatalf("close: %v", err)
			}

			count := func(dest string) int {
				var n int
				if err := openWAL(t, dest).QueryRow(`SELECT COUNT(*) FROM orders`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			latest := filepath.Join(dir, "latest.db")
			if err := Restore(ctx, u, time.Time{}, latest); err != nil {
				t.Fatal(err)
			}
			if n := count(latest); n != 80 {
				t.Errorf("latest restore has %d orders, want 80", n)
			}
			if err := Restore(ctx, u, time.Time{}, latest); err == nil {
				t.Error("restore over an existing file succeeded")
			}
			past := filepath.Join(dir, "past.db")
			if err := Restore(ctx, u, between, past); err != nil {
				t.Fatal(err)
			}
			if n := count(past); n != 50 {
				t.Errorf("restore at %v has %d orders, want 50", between, n)
			}
		})
	}
}

func TestStartRejectsBadURL(t *testing.T) {
	db := openWAL(t, filepath.Join(t.TempDir(), "x.db"))
	if _, err := db.Exec(`CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	if _, err := Start(context.Background(), filepath.Join(t.TempDir(), "x.db"), "ftp://nowhere/x", slog.Default()); err == nil {
		t.Error("ftp:// accepted")
	}
}
