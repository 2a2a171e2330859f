package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestBackup checks that a backup is a complete, openable copy and that an
// existing file is never overwritten.
func TestBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.RecordSyncFailure(ctx, time.Now(), errors.New("vendor down")); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := db.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, backup); ErrorCode(err) != ECONFLICT {
		t.Errorf("second backup to the same file: %v", err)
	}
	copy, err := Open(backup)
	if err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	if err := copy.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := copy.LastSync(ctx)
	if err != nil || got.Error != "vendor down" {
		t.Errorf("backup's last sync = %+v, %v", got, err)
	}
}

// TestFilesArePrivate: the database, its WAL and shared-memory files and
// every backup are readable by the shop's own user only, and a database
// left world-readable by an earlier release is tightened on open.
func TestFilesArePrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shop.db")
	old := filepath.Join(dir, "old.db")
	if err := os.WriteFile(old, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, old} {
		db, err := Open(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetSettings(context.Background(), map[string]string{"k": "v"}); err != nil {
			t.Fatal(err)
		}
		backup := p + ".backup"
		if err := db.Backup(context.Background(), backup); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{p, p + "-wal", p + "-shm", backup} {
			st, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if perm := st.Mode().Perm(); perm&0o077 != 0 {
				t.Errorf("%s has mode %v, want no group or other access", filepath.Base(f), perm)
			}
		}
		db.Close()
	}
}
