package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSyncRuns(t *testing.T) {
	ctx := context.Background()
	db, clk := openTestDB(t)
	if _, err := db.LastSync(ctx); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("LastSync on a new DB = %v, want ENOTFOUND", err)
	}
	if runs, err := db.SyncRuns(ctx, 10); err != nil || len(runs) != 0 {
		t.Fatalf("SyncRuns on a new DB = %+v, %v", runs, err)
	}
	if _, err := db.SyncRuns(ctx, 0); ErrorCode(err) != EINVALID {
		t.Errorf("SyncRuns(0) = %v, want EINVALID", err)
	}

	clk.set(t0.Add(2 * time.Second))
	fail1, err := db.RecordSyncFailure(ctx, t0, errors.New("F002: vendor timeout"))
	if err != nil {
		t.Fatalf("RecordSyncFailure: %v", err)
	}
	want := SyncRun{ID: fail1.ID, StartedAt: t0, Duration: 2 * time.Second, Error: "F002: vendor timeout"}
	if fail1.ID == 0 || !reflect.DeepEqual(fail1, want) {
		t.Errorf("failure run = %+v, want %+v", fail1, want)
	}

	clk.set(t0.Add(time.Hour + 3*time.Second))
	ok, err := db.ReplaceCatalog(ctx, catalogOf(product("A", "1"), product("B", "1")), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}

	// A failure after a good sync reports the catalog still being served;
	// a clock that jumped back gives a zero duration, not a negative one.
	long := strings.Repeat("é", maxSyncErrorLen) // 2 bytes a rune
	clk.set(t0)
	fail2, err := db.RecordSyncFailure(ctx, t0.Add(2*time.Hour), errors.New(long))
	if err != nil {
		t.Fatal(err)
	}
	if fail2.OK || fail2.Products != 2 || fail2.Duration != 0 || len(fail2.Error) != maxSyncErrorLen || !strings.HasPrefix(long, fail2.Error) {
		t.Errorf("second failure = %+v (error %d bytes)", fail2, len(fail2.Error))
	}
	if fail3, err := db.RecordSyncFailure(ctx, t0, nil); err != nil || fail3.Error == "" {
		t.Errorf("RecordSyncFailure(nil) = %+v, %v; want a non-empty error text", fail3, err)
	}

	runs, err := db.SyncRuns(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 || !reflect.DeepEqual(runs[1], fail2) || !reflect.DeepEqual(runs[2], ok) {
		t.Errorf("SyncRuns(3) = %+v; want newest first: fail3, fail2, ok", runs)
	}
	all, _ := db.SyncRuns(ctx, 100)
	if len(all) != 4 || !reflect.DeepEqual(all[3], fail1) {
		t.Errorf("SyncRuns(100) = %+v", all)
	}
}

func TestTruncateUTF8(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 2, "ab"},
		{"aé", 2, "a"},
		{"aé", 3, "aé"},
		{"日本", 4, "日"},
	}
	for _, tt := range tests {
		if got := truncateUTF8(tt.in, tt.n); got != tt.want {
			t.Errorf("truncateUTF8(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
