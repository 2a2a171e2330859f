package store

import (
	"context"
	"testing"
	"time"
)

func TestAdminRoles(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	owner, err := db.CreateAdmin(ctx, "Owner@Shop.test", "hash-1")
	if err != nil || owner.Role != RoleOwner {
		t.Fatalf("CreateAdmin = %+v, %v; want an owner", owner, err)
	}
	staff, err := db.CreateAdmin(ctx, "support@shop.test", "hash-2")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAdminSession(ctx, staff.ID, "0123456789abcdef0123", t0.Add(time.Hour), "", ""); err != nil {
		t.Fatal(err)
	}
	if err := db.SetAdminRole(ctx, staff.ID, RoleSupport); err != nil {
		t.Fatal(err)
	}
	// The role change ended the account's sessions.
	if _, err := db.AdminSessionByHash(ctx, "0123456789abcdef0123", t0); ErrorCode(err) != ENOTFOUND {
		t.Errorf("session after role change: %v, want ENOTFOUND", err)
	}
	if err := db.SetAdminRole(ctx, owner.ID, RoleViewer); ErrorCode(err) != ECONFLICT {
		t.Errorf("demoting the last owner: %v, want ECONFLICT", err)
	}
	if err := db.SetAdminRole(ctx, staff.ID, "root"); ErrorCode(err) != EINVALID {
		t.Errorf("unknown role: %v, want EINVALID", err)
	}
	if err := db.SetAdminRole(ctx, 999, RoleViewer); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown admin: %v, want ENOTFOUND", err)
	}
	list, err := db.ListAdmins(ctx)
	if err != nil || len(list) != 2 || list[0].Email != "owner@shop.test" || list[0].Role != RoleOwner || list[1].Role != RoleSupport {
		t.Errorf("ListAdmins = %+v, %v", list, err)
	}
	if err := db.CreateAdminSession(ctx, staff.ID, "fedcba9876543210fedc", t0.Add(time.Hour), "", ""); err != nil {
		t.Fatal(err)
	}
	if s, err := db.AdminSessionByHash(ctx, "fedcba9876543210fedc", t0); err != nil || s.Role != RoleSupport {
		t.Errorf("session role = %q, %v", s.Role, err)
	}
	if h, err := db.AdminPasswordHash(ctx, staff.ID); err != nil || h != "hash-2" {
		t.Errorf("hash = %q, %v", h, err)
	}
}
