package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// maxAttemptEmailLen bounds what is kept of a typed email: attempts are
// recorded for any input, valid address or not.
const maxAttemptEmailLen = MaxEmailLen

// attemptKeys normalises the two keys attempts are counted by: the email
// as admins are stored (trimmed, lower case), the IP trimmed; both are
// truncated so hostile input stays bounded.
func attemptKeys(email, ip string) (string, string) {
	email = truncateUTF8(strings.ToValidUTF8(normEmail(email), ""), maxAttemptEmailLen)
	ip = truncateUTF8(strings.ToValidUTF8(strings.TrimSpace(ip), ""), maxIPLen)
	return email, ip
}

// RecordLoginAttempt records one sign-in attempt for email from ip at at,
// successful or not. Attempts are kept in the database so that restarting
// the process does not reset rate limiting.
func (db *DB) RecordLoginAttempt(ctx context.Context, email, ip string, ok bool, at time.Time) error {
	if at.IsZero() {
		return Errorf(EINVALID, "an attempt needs a time")
	}
	email, ip = attemptKeys(email, ip)
	return db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (email, ip, ok, at) VALUES (?, ?, ?, ?)`,
			email, ip, boolInt(ok), at.UTC()); err != nil {
			return fmt.Errorf("store: record login attempt: %w", err)
		}
		return nil
	})
}

// FailedLogins counts failed sign-ins at or after since: byEmail for the
// email (only failures after its last successful sign-in, so an operator
// who finally typed the right password starts afresh) and byIP from the IP
// whatever the email (a success does not reset it: one valid account must
// not let an attacker keep guessing others). Empty keys count 0.
func (db *DB) FailedLogins(ctx context.Context, email, ip string, since time.Time) (byEmail, byIP int, err error) {
	email, ip = attemptKeys(email, ip)
	err = db.withReadTx(ctx, func(tx *sql.Tx) error {
		if email != "" {
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts
				WHERE email = ? AND ok = 0 AND at >= ? AND at > coalesce(
					(SELECT max(at) FROM login_attempts WHERE email = ? AND ok = 1), '')`,
				email, since.UTC(), email).Scan(&byEmail)
			if err != nil {
				return fmt.Errorf("store: count failed logins by email: %w", err)
			}
		}
		if ip != "" {
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts WHERE ip = ? AND ok = 0 AND at >= ?`,
				ip, since.UTC()).Scan(&byIP)
			if err != nil {
				return fmt.Errorf("store: count failed logins by ip: %w", err)
			}
		}
		return nil
	})
	return byEmail, byIP, err
}

// PurgeLoginAttempts deletes attempts older than before and returns how
// many; the caller keeps at least its longest rate-limit window.
func (db *DB) PurgeLoginAttempts(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE at < ?`, before.UTC())
		if err != nil {
			return fmt.Errorf("store: purge login attempts: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
