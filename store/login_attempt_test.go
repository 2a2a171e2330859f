package store

import (
	"context"
	"testing"
	"time"
)

func TestFailedLoginsResetRule(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	attempts := []struct {
		email, ip string
		ok        bool
		min       int
	}{
		{"ops@example.com", "198.51.100.1", false, 0},
		{"OPS@example.com ", "198.51.100.1", false, 1}, // same email, normalised
		{"ops@example.com", "198.51.100.1", true, 2},   // resets the email count
		{"ops@example.com", "198.51.100.2", false, 3},
		{"ops@example.com", "198.51.100.2", false, 4},
		{"other@example.com", "198.51.100.1", false, 5},
		{"nobody@example.com", "203.0.113.9", false, 6},
	}
	for _, a := range attempts {
		if err := db.RecordLoginAttempt(ctx, a.email, a.ip, a.ok, at(a.min)); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name          string
		email, ip     string
		since         time.Time
		byEmail, byIP int
	}{
		{"failures after the last success only", "ops@example.com", "198.51.100.1", at(0), 2, 3},
		{"window excludes older failures", "ops@example.com", "198.51.100.2", at(4), 1, 1},
		{"email never succeeded", "other@example.com", "198.51.100.2", at(0), 1, 2},
		{"unknown keys", "x@example.com", "192.0.2.77", at(0), 0, 0},
		{"empty keys", "", "", at(0), 0, 0},
		{"window after everything", "ops@example.com", "198.51.100.1", at(7), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := db.FailedLogins(ctx, tt.email, tt.ip, tt.since)
			e, i := f.ByEmail, f.ByIP
			if err != nil || e != tt.byEmail || i != tt.byIP {
				t.Errorf("FailedLogins = %d, %d, %v; want %d, %d", e, i, err, tt.byEmail, tt.byIP)
			}
		})
	}
	if err := db.RecordLoginAttempt(ctx, "a@b.c", "", false, time.Time{}); ErrorCode(err) != EINVALID {
		t.Errorf("zero time: %v, want EINVALID", err)
	}
	if n, err := db.PurgeLoginAttempts(ctx, at(3)); err != nil || n != 3 {
		t.Errorf("PurgeLoginAttempts = %d, %v; want 3", n, err)
	}
	if f, _ := db.FailedLogins(ctx, "ops@example.com", "198.51.100.2", at(0)); f.ByEmail != 2 || f.ByIP != 2 {
		t.Errorf("after purge = %d, %d; want 2, 2 (the success row is gone, so both later failures count)", f.ByEmail, f.ByIP)
	}
}

// TestLoginLocksAndClear lists the accounts and addresses with failures
// and forgets one of them, leaving the others.
func TestLoginLocksAndClear(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	for i := range 3 {
		if err := db.RecordLoginAttempt(ctx, "ops@example.com", "198.51.100.7", false, t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RecordLoginAttempt(ctx, "ops@example.com", "203.0.113.1", false, t0); err != nil {
		t.Fatal(err)
	}
	locks, err := db.LoginLocks(ctx, t0.Add(-time.Minute))
	if err != nil || len(locks) != 3 || locks[0].Email != "ops@example.com" || locks[0].Failures != 4 || !locks[0].Last.Equal(t0.Add(2*time.Second)) {
		t.Fatalf("locks %+v (err %v)", locks, err)
	}
	if f, _ := db.FailedLogins(ctx, "ops@example.com", "198.51.100.7", t0.Add(-time.Minute)); f.ByPair != 3 || f.ByEmail != 4 || f.ByIP != 3 {
		t.Errorf("failures %+v, want pair 3, email 4, ip 3", f)
	}
	if n, err := db.ClearLoginFailures(ctx, "", "198.51.100.7"); err != nil || n != 3 {
		t.Fatalf("cleared %d (err %v), want 3", n, err)
	}
	if f, _ := db.FailedLogins(ctx, "ops@example.com", "198.51.100.7", t0.Add(-time.Minute)); f.ByPair != 0 || f.ByEmail != 1 {
		t.Errorf("after clearing the address: %+v", f)
	}
	if _, err := db.ClearLoginFailures(ctx, "", ""); ErrorCode(err) != EINVALID {
		t.Errorf("clear nothing: %v", err)
	}
}
