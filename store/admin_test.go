package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

const bcryptLike = "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"

func TestCreateAdmin(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	first, err := db.CreateAdmin(ctx, "  Boss@Example.COM ", bcryptLike)
	if err != nil || first.ID == 0 || first.Email != "boss@example.com" || !first.CreatedAt.Equal(t0) || !first.LastLoginAt.IsZero() {
		t.Fatalf("CreateAdmin = %+v, %v", first, err)
	}
	tests := []struct {
		name, email, hash string
		want              string
	}{
		{"same email other case", "BOSS@example.com", bcryptLike, ECONFLICT},
		{"no at sign", "boss.example.com", bcryptLike, EINVALID},
		{"empty email", "  ", bcryptLike, EINVALID},
		{"space inside", "bo ss@example.com", bcryptLike, EINVALID},
		{"empty hash", "other@example.com", "", EINVALID},
		{"huge hash", "other@example.com", strings.Repeat("x", maxPasswordHashLen+1), EINVALID},
		{"second admin", "other@example.com", bcryptLike, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.CreateAdmin(ctx, tt.email, tt.hash)
			if got := ErrorCode(err); (tt.want == "" && err != nil) || (tt.want != "" && got != tt.want) {
				t.Errorf("CreateAdmin(%q) = %v, want %q", tt.email, err, tt.want)
			}
		})
	}
	if n, err := db.CountAdmins(ctx); err != nil || n != 2 {
		t.Errorf("CountAdmins = %d, %v; want 2", n, err)
	}
}

func TestAdminByEmailPasswordAndLogin(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	if n, err := db.CountAdmins(ctx); err != nil || n != 0 {
		t.Fatalf("CountAdmins on a fresh db = %d, %v", n, err)
	}
	a, err := db.CreateAdmin(ctx, "ops@example.com", bcryptLike)
	if err != nil {
		t.Fatal(err)
	}
	got, hash, err := db.AdminByEmail(ctx, " OPS@example.com")
	if err != nil || got != a || hash != bcryptLike {
		t.Fatalf("AdminByEmail = %+v, %q, %v; want %+v", got, hash, err, a)
	}
	if _, _, err := db.AdminByEmail(ctx, "nobody@example.com"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown admin: %v, want ENOTFOUND", err)
	}
	if err := db.SetAdminPassword(ctx, a.ID, "new-hash"); err != nil {
		t.Fatal(err)
	}
	if _, hash, _ := db.AdminByEmail(ctx, a.Email); hash != "new-hash" {
		t.Errorf("hash after SetAdminPassword = %q", hash)
	}
	if err := db.SetAdminPassword(ctx, a.ID, ""); ErrorCode(err) != EINVALID {
		t.Errorf("empty hash: %v, want EINVALID", err)
	}
	if err := db.SetAdminPassword(ctx, 999, "h"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown admin: %v, want ENOTFOUND", err)
	}
	at := t0.Add(time.Hour)
	if err := db.MarkAdminLogin(ctx, a.ID, at); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := db.AdminByEmail(ctx, a.Email); !got.LastLoginAt.Equal(at) {
		t.Errorf("LastLoginAt = %v, want %v", got.LastLoginAt, at)
	}
	if err := db.MarkAdminLogin(ctx, 999, at); ErrorCode(err) != ENOTFOUND {
		t.Errorf("MarkAdminLogin unknown: %v, want ENOTFOUND", err)
	}
}

// sessionHash is a stand-in for the caller's sha256 hex of a token.
func sessionHash(c byte) string { return strings.Repeat(string(c), 64) }

func TestAdminSessions(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	a, err := db.CreateAdmin(ctx, "ops@example.com", bcryptLike)
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.CreateAdmin(ctx, "other@example.com", bcryptLike)
	if err != nil {
		t.Fatal(err)
	}
	exp := t0.Add(time.Hour)
	long := strings.Repeat("u", 2*maxUserAgentLen)
	for _, s := range []struct {
		admin int64
		hash  string
	}{{a.ID, sessionHash('a')}, {a.ID, sessionHash('b')}, {b.ID, sessionHash('c')}} {
		if err := db.CreateAdminSession(ctx, s.admin, s.hash, exp, "192.0.2.1", long); err != nil {
			t.Fatalf("CreateAdminSession: %v", err)
		}
	}
	if err := db.CreateAdminSession(ctx, a.ID, sessionHash('a'), exp, "", ""); ErrorCode(err) != ECONFLICT {
		t.Errorf("reused hash: %v, want ECONFLICT", err)
	}
	if err := db.CreateAdminSession(ctx, 999, sessionHash('z'), exp, "", ""); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown admin: %v, want ENOTFOUND", err)
	}
	if err := db.CreateAdminSession(ctx, a.ID, "short", exp, "", ""); ErrorCode(err) != EINVALID {
		t.Errorf("short hash: %v, want EINVALID", err)
	}

	s, err := db.AdminSessionByHash(ctx, sessionHash('a'), t0)
	if err != nil || s.AdminID != a.ID || s.Email != a.Email || !s.ExpiresAt.Equal(exp) || !s.CreatedAt.Equal(t0) ||
		!s.LastSeenAt.Equal(t0) || s.IP != "192.0.2.1" || len(s.UserAgent) != maxUserAgentLen {
		t.Fatalf("AdminSessionByHash = %+v, %v", s, err)
	}
	lookups := []struct {
		name string
		hash string
		now  time.Time
		want string
	}{
		{"valid just before expiry", sessionHash('a'), exp.Add(-time.Nanosecond), ""},
		{"expired at expiry", sessionHash('a'), exp, ENOTFOUND},
		{"unknown hash", sessionHash('q'), t0, ENOTFOUND},
		{"malformed hash", "x", t0, ENOTFOUND},
	}
	for _, tt := range lookups {
		t.Run(tt.name, func(t *testing.T) {
			_, err := db.AdminSessionByHash(ctx, tt.hash, tt.now)
			if (tt.want == "" && err != nil) || (tt.want != "" && ErrorCode(err) != tt.want) {
				t.Errorf("AdminSessionByHash = %v, want %q", err, tt.want)
			}
		})
	}

	// Sliding expiry: a touch before expiry extends it; after, it cannot.
	seen, later := t0.Add(30*time.Minute), t0.Add(90*time.Minute)
	if err := db.TouchAdminSession(ctx, sessionHash('a'), seen, later); err != nil {
		t.Fatal(err)
	}
	if s, err := db.AdminSessionByHash(ctx, sessionHash('a'), exp.Add(time.Minute)); err != nil ||
		!s.ExpiresAt.Equal(later) || !s.LastSeenAt.Equal(seen) {
		t.Errorf("after touch = %+v, %v", s, err)
	}
	if err := db.TouchAdminSession(ctx, sessionHash('b'), exp, exp.Add(time.Hour)); ErrorCode(err) != ENOTFOUND {
		t.Errorf("touching an expired session: %v, want ENOTFOUND", err)
	}
	if _, err := db.AdminSessionByHash(ctx, sessionHash('b'), exp); ErrorCode(err) != ENOTFOUND {
		t.Errorf("expired session revived: %v", err)
	}

	// Purge removes only expired sessions: b (expired at exp) and c.
	if n, err := db.PurgeExpiredAdminSessions(ctx, exp); err != nil || n != 2 {
		t.Errorf("PurgeExpiredAdminSessions = %d, %v; want 2", n, err)
	}
	for i := 0; i < 2; i++ { // sign-out is idempotent
		if err := db.DeleteAdminSession(ctx, sessionHash('a')); err != nil {
			t.Errorf("DeleteAdminSession #%d: %v", i+1, err)
		}
	}
	if _, err := db.AdminSessionByHash(ctx, sessionHash('a'), t0); ErrorCode(err) != ENOTFOUND {
		t.Errorf("signed-out session still found: %v", err)
	}

	// DeleteAdminSessions ends one admin's sessions, not another's.
	for _, h := range []byte("de") {
		if err := db.CreateAdminSession(ctx, a.ID, sessionHash(h), exp, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.CreateAdminSession(ctx, b.ID, sessionHash('f'), exp, "", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteAdminSessions(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	for h, want := range map[byte]string{'d': ENOTFOUND, 'e': ENOTFOUND, 'f': ""} {
		_, err := db.AdminSessionByHash(ctx, sessionHash(h), t0)
		if (want == "" && err != nil) || (want != "" && ErrorCode(err) != want) {
			t.Errorf("session %c after DeleteAdminSessions: %v, want %q", h, err, want)
		}
	}
}
