package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esimshop/esimshop/store"
)

// TestBackupCommand backs up a database that is open (as in a running
// shop) and checks the copy opens with the same data.
func TestBackupCommand(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shop.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetFeaturedDestinations(context.Background(), []string{"JP", "TH"}); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(dir, "copy.db")
	var out bytes.Buffer
	if err := runBackup([]string{"-db", path, dest}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "written to") {
		t.Errorf("output %q", out.String())
	}
	copyDB, err := store.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	if got, err := copyDB.FeaturedDestinations(context.Background()); err != nil || strings.Join(got, ",") != "JP,TH" {
		t.Errorf("copy has %v, %v", got, err)
	}
	for _, args := range [][]string{{"-db", path}, {"-db", path, dest}, {"-db", filepath.Join(dir, "missing.db"), filepath.Join(dir, "x.db")}} {
		if err := runBackup(args, func(string) string { return "" }, io.Discard, io.Discard); err == nil {
			t.Errorf("backup %v succeeded", args)
		}
	}
}

// TestAdminCreateCommand creates an admin with the password on stdin, and
// refuses a weak password and a duplicate.
func TestAdminCreateCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	env := func(k string) string {
		if k == "DB_PATH" {
			return path
		}
		return ""
	}
	create := func(password string) error {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		go func() { io.WriteString(w, password+"\n"); w.Close() }()
		defer r.Close()
		return runAdmin([]string{"create", "--email", "Owner@Example.com"}, env, r, io.Discard, io.Discard)
	}
	if err := create("short"); err == nil {
		t.Error("weak password accepted")
	}
	if err := create("a long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	if err := create("another long passphrase"); err == nil {
		t.Error("duplicate admin accepted")
	}
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if a, _, err := db.AdminByEmail(context.Background(), "owner@example.com"); err != nil || a.Email != "owner@example.com" {
		t.Errorf("admin = %+v, %v", a, err)
	}
}

// TestAdminUnlockCommand checks that unlocking forgets failed sign-ins.
func TestAdminUnlockCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for range 6 {
		if err := db.RecordLoginAttempt(ctx, "owner@example.com", "203.0.113.9", false, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	if err := runAdmin([]string{"unlock", "-db", path}, func(string) string { return "" }, nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	f, err := db.FailedLogins(ctx, "owner@example.com", "203.0.113.9", time.Now().Add(-time.Hour))
	byEmail, byIP := f.ByEmail, f.ByIP
	if err != nil || byEmail != 0 || byIP != 0 {
		t.Errorf("after unlock: %d/%d failures, %v (%s)", byEmail, byIP, err, out.String())
	}
}
