package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Role is what a staff account may do in the admin; the admin's route
// table says which routes each role opens.
type Role string

// Staff roles.
const (
	RoleOwner   Role = "owner"   // everything: pricing, catalog, staff, settings
	RoleSupport Role = "support" // orders and their actions (refunds included), customers, reports
	RoleViewer  Role = "viewer"  // reads orders, customers and reports; changes nothing
)

// Roles lists the roles, most powerful first.
var Roles = []Role{RoleOwner, RoleSupport, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleOwner || r == RoleSupport || r == RoleViewer }

// ListAdmins returns every staff account, by email.
func (db *DB) ListAdmins(ctx context.Context) ([]Admin, error) {
	var out []Admin
	err := eachRow(ctx, db.reader, `SELECT id, email, created_at, last_login_at, role FROM admins ORDER BY email`, nil,
		func(r *sql.Rows) error {
			var a Admin
			var last sql.NullTime
			if err := r.Scan(&a.ID, &a.Email, &a.CreatedAt, &last, &a.Role); err != nil {
				return err
			}
			a.CreatedAt, a.LastLoginAt = a.CreatedAt.UTC(), fromNullTime(last)
			out = append(out, a)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("store: list admins: %w", err)
	}
	return out, nil
}

// SetAdminRole changes an account's role and ends its sessions, so the
// new role applies at once. The last owner cannot be given another role
// (ECONFLICT): someone must always be able to manage staff. Unknown role:
// EINVALID; unknown admin: ENOTFOUND.
func (db *DB) SetAdminRole(ctx context.Context, adminID int64, role Role) error {
	if !role.Valid() {
		return Errorf(EINVALID, "unknown role %q", role)
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		var cur Role
		err := tx.QueryRowContext(ctx, `SELECT role FROM admins WHERE id = ?`, adminID).Scan(&cur)
		if err == sql.ErrNoRows {
			return errAdminNotFound()
		}
		if err != nil {
			return fmt.Errorf("store: load admin role: %w", err)
		}
		if cur == role {
			return nil
		}
		if cur == RoleOwner {
			var owners int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM admins WHERE role = 'owner'`).Scan(&owners); err != nil {
				return fmt.Errorf("store: count owners: %w", err)
			}
			if owners <= 1 {
				return Errorf(ECONFLICT, "the last owner keeps the owner role")
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE admins SET role = ? WHERE id = ?`, role, adminID); err != nil {
			return fmt.Errorf("store: set admin role: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM admin_sessions WHERE admin_id = ?`, adminID); err != nil {
			return fmt.Errorf("store: end sessions: %w", err)
		}
		return nil
	})
}

// AdminPasswordHash returns an account's password hash, for checking the
// current password before a change; ENOTFOUND for an unknown admin.
func (db *DB) AdminPasswordHash(ctx context.Context, adminID int64) (string, error) {
	var h string
	err := db.reader.QueryRowContext(ctx, `SELECT password_hash FROM admins WHERE id = ?`, adminID).Scan(&h)
	if err == sql.ErrNoRows {
		return "", errAdminNotFound()
	}
	if err != nil {
		return "", fmt.Errorf("store: load password hash: %w", err)
	}
	return h, nil
}
