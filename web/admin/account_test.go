package admin

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestHashPassword checks the password rules and the production cost.
func TestHashPassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		ok   bool
	}{
		{"11 characters", "abcdefghijk", false},
		{"12 characters", "abcdefghijkl", true},
		{"12 multi-byte characters", strings.Repeat("ñ", 12), true},
		{"72 bytes", strings.Repeat("a", 72), true},
		{"73 bytes", strings.Repeat("a", 73), false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := HashPassword(tt.pw)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if !tt.ok {
				if !errors.Is(err, ErrWeakPassword) {
					t.Errorf("err %v does not wrap ErrWeakPassword", err)
				}
				return
			}
			if bcrypt.CompareHashAndPassword([]byte(h), []byte(tt.pw)) != nil {
				t.Error("hash does not match its password")
			}
		})
	}
	old := PasswordCost
	PasswordCost = bcryptCost
	defer func() { PasswordCost = old }()
	h, err := HashPassword("production cost check")
	if err != nil {
		t.Fatal(err)
	}
	if cost, _ := bcrypt.Cost([]byte(h)); cost != 12 {
		t.Errorf("bcrypt cost %d, want 12", cost)
	}
}

// TestSafeNext checks that only admin paths on this site are accepted.
func TestSafeNext(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "/admin"},
		{"/admin", "/admin"},
		{"/admin/orders?q=a%20b", "/admin/orders?q=a%20b"},
		{"/admin/sign-in", "/admin"},
		{"/administrator", "/admin"},
		{"/", "/admin"},
		{"//evil.example/admin", "/admin"},
		{"https://evil.example/admin", "/admin"},
		{"/\\evil.example", "/admin"},
		{"/admin/../plans/x", "/admin"},
		{"javascript:alert(1)", "/admin"},
		{"/admin/orders\r\nSet-Cookie: x=y", "/admin"},
	}
	for _, tt := range tests {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
