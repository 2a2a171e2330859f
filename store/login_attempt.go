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

// LoginFailures are the failed sign-ins counted for one attempt.
type LoginFailures struct {
	ByEmail int // for the account from anywhere, since its last success
	ByIP    int // from the address, whatever the account
	ByPair  int // for the account from the address, since the account's last success
}

// FailedLogins counts failed sign-ins at or after since: for the email
// (only failures after its last successful sign-in, so an operator who
// finally typed the right password starts afresh), from the IP whatever
// the email (a success does not reset it: one valid account must not let
// an attacker keep guessing others), and for the email from the IP. Empty
// keys count 0.
func (db *DB) FailedLogins(ctx context.Context, email, ip string, since time.Time) (f LoginFailures, err error) {
	email, ip = attemptKeys(email, ip)
	err = db.withReadTx(ctx, func(tx *sql.Tx) error {
		if email != "" {
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts
				WHERE email = ? AND ok = 0 AND at >= ? AND at > coalesce(
					(SELECT max(at) FROM login_attempts WHERE email = ? AND ok = 1), '')`,
				email, since.UTC(), email).Scan(&f.ByEmail)
			if err != nil {
				return fmt.Errorf("store: count failed logins by email: %w", err)
			}
		}
		if email != "" && ip != "" {
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts
				WHERE email = ? AND ip = ? AND ok = 0 AND at >= ? AND at > coalesce(
					(SELECT max(at) FROM login_attempts WHERE email = ? AND ok = 1), '')`,
				email, ip, since.UTC(), email).Scan(&f.ByPair)
			if err != nil {
				return fmt.Errorf("store: count failed logins by email and ip: %w", err)
			}
		}
		if ip != "" {
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_attempts WHERE ip = ? AND ok = 0 AND at >= ?`,
				ip, since.UTC()).Scan(&f.ByIP)
			if err != nil {
				return fmt.Errorf("store: count failed logins by ip: %w", err)
			}
		}
		return nil
	})
	return f, err
}

// LoginLock is a key (an account or an address) with failed sign-ins.
type LoginLock struct {
	Email, IP string // one of them is set
	Failures  int
	Last      time.Time
}

// LoginLocks lists the accounts and addresses with failed sign-ins at or
// after since, most failures first, for the operator to see and lift.
func (db *DB) LoginLocks(ctx context.Context, since time.Time) ([]LoginLock, error) {
	rows, err := db.reader.QueryContext(ctx, `
		SELECT email, '', COUNT(*), max(at) FROM login_attempts WHERE ok = 0 AND at >= ? AND email <> '' GROUP BY email
		UNION ALL
		SELECT '', ip, COUNT(*), max(at) FROM login_attempts WHERE ok = 0 AND at >= ? AND ip <> '' GROUP BY ip
		ORDER BY 3 DESC LIMIT 100`, since.UTC(), since.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: list login locks: %w", err)
	}
	defer rows.Close()
	var out []LoginLock
	for rows.Next() {
		var l LoginLock
		var last string
		if err := rows.Scan(&l.Email, &l.IP, &l.Failures, &last); err != nil {
			return nil, fmt.Errorf("store: scan login lock: %w", err)
		}
		l.Last = parseStoredTime(last)
		out = append(out, l)
	}
	return out, rows.Err()
}

// ClearLoginFailures forgets the failed sign-ins of an account (email) or
// an address (ip) — the one that is not empty — and returns how many.
func (db *DB) ClearLoginFailures(ctx context.Context, email, ip string) (int, error) {
	email, ip = attemptKeys(email, ip)
	if (email == "") == (ip == "") {
		return 0, Errorf(EINVALID, "give an account or an address")
	}
	var n int64
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE ok = 0 AND (email = ? AND ? <> '' OR ip = ? AND ? <> '')`,
			email, email, ip, ip)
		if err != nil {
			return fmt.Errorf("store: clear login failures: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
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

// parseStoredTime reads a time as the driver stores it (an aggregate such
// as max(at) comes back as text); zero if it cannot.
func parseStoredTime(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00", time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
