package store

import (
	"context"
	"errors"
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
