package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Admin is an operator who may sign in to the dashboard. The password hash
// is returned only by AdminByEmail, never carried in this value, so it
// cannot leak into a page or a log by accident.
type Admin struct {
	ID          int64
	Email       string // trimmed, lower case
	CreatedAt   time.Time
	LastLoginAt time.Time // zero until the first sign-in
	Role        Role
}

// Bounds on admin input. A bcrypt hash is 60 bytes; other schemes are
// longer but never near maxPasswordHashLen. A session token hash is a
// sha256 (32 raw bytes or 64 hex characters). IP and user agent are
// informational and truncated, never rejected.
const (
	maxPasswordHashLen = 1000
	minSessionHashLen  = 16
	maxSessionHashLen  = 128
	maxIPLen           = 64
	maxUserAgentLen    = 500
)

// normEmail is the one form an admin email is stored and looked up in.
func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// errAdminNotFound is the one answer for an unknown admin, so sign-in
// cannot tell "no such admin" from a malformed address.
func errAdminNotFound() error { return Errorf(ENOTFOUND, "admin not found") }

// CreateAdmin adds an operator with the given (already hashed) password.
// The email is trimmed and lower-cased; a malformed email or an empty hash
// is EINVALID, an email already taken ECONFLICT.
func (db *DB) CreateAdmin(ctx context.Context, email, passwordHash string) (Admin, error) {
	email = normEmail(email)
	if !validEmail(email) {
		return Admin{}, Errorf(EINVALID, "Please enter a valid email address.")
	}
	if err := checkPasswordHash(passwordHash); err != nil {
		return Admin{}, err
	}
	a := Admin{Email: email, Role: RoleOwner}
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM admins WHERE email = ?`, email).Scan(&one)
		if err == nil {
			return Errorf(ECONFLICT, "An admin with this email exists already.")
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: check admin: %w", err)
		}
		a.CreatedAt = db.now().UTC()
		err = tx.QueryRowContext(ctx, `INSERT INTO admins (email, password_hash, created_at) VALUES (?, ?, ?)
			RETURNING id`, email, passwordHash, a.CreatedAt).Scan(&a.ID)
		if err != nil {
			return fmt.Errorf("store: insert admin: %w", err)
		}
		return nil
	})
	if err != nil {
		return Admin{}, err
	}
	return a, nil
}

// checkPasswordHash rejects an empty or absurd hash: storing "" would make
// an account nobody can sign in to, or worse, one a buggy check accepts.
func checkPasswordHash(h string) error {
	if h == "" || len(h) > maxPasswordHashLen || !utf8.ValidString(h) {
		return Errorf(EINVALID, "invalid password hash")
	}
	return nil
}

// AdminByEmail returns the admin with email (case and spaces ignored) and
// the stored password hash; ENOTFOUND if there is none.
func (db *DB) AdminByEmail(ctx context.Context, email string) (Admin, string, error) {
	var a Admin
	var hash string
	var last sql.NullTime
	err := db.reader.QueryRowContext(ctx, `SELECT id, email, password_hash, created_at, last_login_at, role
		FROM admins WHERE email = ?`, normEmail(email)).Scan(&a.ID, &a.Email, &hash, &a.CreatedAt, &last, &a.Role)
	if errors.Is(err, sql.ErrNoRows) {
		return Admin{}, "", errAdminNotFound()
	}
	if err != nil {
		return Admin{}, "", fmt.Errorf("store: load admin: %w", err)
	}
	a.CreatedAt, a.LastLoginAt = a.CreatedAt.UTC(), fromNullTime(last)
	return a, hash, nil
}

// SetAdminPassword replaces an admin's password hash; ENOTFOUND for an
// unknown admin. It does not end the admin's sessions: the caller decides
// (DeleteAdminSessions) and keeps the current one if it wants to.
func (db *DB) SetAdminPassword(ctx context.Context, adminID int64, passwordHash string) error {
	if err := checkPasswordHash(passwordHash); err != nil {
		return err
	}
	return db.updateAdmin(ctx, `UPDATE admins SET password_hash = ? WHERE id = ?`, passwordHash, adminID)
}

// MarkAdminLogin records a successful sign-in time; ENOTFOUND for an
// unknown admin.
func (db *DB) MarkAdminLogin(ctx context.Context, adminID int64, at time.Time) error {
	if at.IsZero() {
		return Errorf(EINVALID, "sign-in needs a time")
	}
	return db.updateAdmin(ctx, `UPDATE admins SET last_login_at = ? WHERE id = ?`, at.UTC(), adminID)
}

// updateAdmin runs one UPDATE on an admin row; no row is ENOTFOUND.
func (db *DB) updateAdmin(ctx context.Context, query string, args ...any) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("store: update admin: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: update admin: %w", err)
		} else if n == 0 {
			return errAdminNotFound()
		}
		return nil
	})
}

// CountAdmins returns how many admins exist; 0 means the shop still needs
// its first operator created.
func (db *DB) CountAdmins(ctx context.Context) (int, error) {
	var n int
	if err := db.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM admins`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count admins: %w", err)
	}
	return n, nil
}

// AdminSession is a signed-in operator's session. The store keeps only the
// hash of the cookie's token.
type AdminSession struct {
	ID         int64
	AdminID    int64
	Email      string // the admin's email, joined in for the dashboard header
	Role       Role   // the admin's role, joined in for the route checks
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
}

// checkSessionHash bounds a session token hash. The raw token never
// reaches the store; a value this short or long is a caller bug.
func checkSessionHash(h string) error {
	if len(h) < minSessionHashLen || len(h) > maxSessionHashLen {
		return Errorf(EINVALID, "invalid session token hash")
	}
	return nil
}

// CreateAdminSession stores a new session for an admin under tokenHash
// (the sha256 of the cookie's random token, made by the caller), valid
// until expires. IP and user agent are kept, truncated, for the operator.
// An unknown admin is ENOTFOUND; a hash in use already ECONFLICT.
func (db *DB) CreateAdminSession(ctx context.Context, adminID int64, tokenHash string, expires time.Time, ip, userAgent string) error {
	if err := checkSessionHash(tokenHash); err != nil {
		return err
	}
	if expires.IsZero() {
		return Errorf(EINVALID, "a session needs an expiry")
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM admins WHERE id = ?`, adminID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return errAdminNotFound()
		}
		if err != nil {
			return fmt.Errorf("store: check admin: %w", err)
		}
		now := db.now().UTC()
		res, err := tx.ExecContext(ctx, `INSERT INTO admin_sessions (token_hash, admin_id, created_at, expires_at,
			last_seen_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token_hash) DO NOTHING`,
			[]byte(tokenHash), adminID, now, expires.UTC(), now,
			truncateUTF8(strings.ToValidUTF8(ip, ""), maxIPLen),
			truncateUTF8(strings.ToValidUTF8(userAgent, ""), maxUserAgentLen))
		if err != nil {
			return fmt.Errorf("store: insert admin session: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: insert admin session: %w", err)
		} else if n == 0 {
			return Errorf(ECONFLICT, "session token in use")
		}
		return nil
	})
}

// AdminSessionByHash returns the session stored under tokenHash if it has
// not expired by now; a missing or expired session is ENOTFOUND alike.
func (db *DB) AdminSessionByHash(ctx context.Context, tokenHash string, now time.Time) (AdminSession, error) {
	if checkSessionHash(tokenHash) != nil {
		return AdminSession{}, Errorf(ENOTFOUND, "session not found")
	}
	var s AdminSession
	err := db.reader.QueryRowContext(ctx, `SELECT s.id, s.admin_id, a.email, a.role, s.created_at, s.expires_at,
		s.last_seen_at, s.ip, s.user_agent FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
		WHERE s.token_hash = ? AND s.expires_at > ?`, []byte(tokenHash), now.UTC()).
		Scan(&s.ID, &s.AdminID, &s.Email, &s.Role, &s.CreatedAt, &s.ExpiresAt, &s.LastSeenAt, &s.IP, &s.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return AdminSession{}, Errorf(ENOTFOUND, "session not found")
	}
	if err != nil {
		return AdminSession{}, fmt.Errorf("store: load admin session: %w", err)
	}
	s.CreatedAt, s.ExpiresAt, s.LastSeenAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC(), s.LastSeenAt.UTC()
	return s, nil
}

// TouchAdminSession records activity at now and slides the session's
// expiry to newExpiry (the caller caps it at an absolute lifetime). An
// expired session is not revived: ENOTFOUND, like a missing one.
func (db *DB) TouchAdminSession(ctx context.Context, tokenHash string, now, newExpiry time.Time) error {
	if checkSessionHash(tokenHash) != nil {
		return Errorf(ENOTFOUND, "session not found")
	}
	if newExpiry.IsZero() {
		return Errorf(EINVALID, "a session needs an expiry")
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE admin_sessions SET last_seen_at = ?, expires_at = ?
			WHERE token_hash = ? AND expires_at > ?`, now.UTC(), newExpiry.UTC(), []byte(tokenHash), now.UTC())
		if err != nil {
			return fmt.Errorf("store: touch admin session: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: touch admin session: %w", err)
		} else if n == 0 {
			return Errorf(ENOTFOUND, "session not found")
		}
		return nil
	})
}

// DeleteAdminSession ends one session (sign-out). Ending a session that
// does not exist is not an error: signing out twice must work.
func (db *DB) DeleteAdminSession(ctx context.Context, tokenHash string) error {
	_, err := db.deleteSessions(ctx, `DELETE FROM admin_sessions WHERE token_hash = ?`, []byte(tokenHash))
	return err
}

// DeleteAdminSessions ends every session of an admin, e.g. after a
// password change.
func (db *DB) DeleteAdminSessions(ctx context.Context, adminID int64) error {
	_, err := db.deleteSessions(ctx, `DELETE FROM admin_sessions WHERE admin_id = ?`, adminID)
	return err
}

// PurgeExpiredAdminSessions deletes sessions expired by now and returns
// how many; expired sessions are already unusable, this only keeps the
// table small.
func (db *DB) PurgeExpiredAdminSessions(ctx context.Context, now time.Time) (int, error) {
	return db.deleteSessions(ctx, `DELETE FROM admin_sessions WHERE expires_at <= ?`, now.UTC())
}

// deleteSessions runs one DELETE on admin_sessions and returns the count.
func (db *DB) deleteSessions(ctx context.Context, query string, arg any) (int, error) {
	var n int64
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, arg)
		if err != nil {
			return fmt.Errorf("store: delete admin sessions: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
