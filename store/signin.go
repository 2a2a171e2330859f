package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// SignInLimit bounds requests for sign-in links (and for an order's link
// by email): at most PerEmail for one address and PerIP from one client
// within Window.
type SignInLimit struct {
	Window          time.Duration
	PerEmail, PerIP int
}

// secretHash is how sign-in tokens and buyer sessions are stored: the hex
// SHA-256 of the secret, so the database alone never signs anyone in.
func secretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// AllowSignInRequest records a request for a sign-in link for email from
// ip at now, unless it would exceed lim; allowed reports which. The count
// and the record are one transaction, so concurrent requests cannot slip
// past the limit together. A refused request is not recorded (a flood
// does not extend its own ban). Requests older than a day are forgotten.
func (db *DB) AllowSignInRequest(ctx context.Context, email, ip string, now time.Time, lim SignInLimit) (allowed bool, err error) {
	if now.IsZero() || lim.Window <= 0 || lim.PerEmail <= 0 || lim.PerIP <= 0 {
		return false, Errorf(EINVALID, "a sign-in request needs a time and a limit")
	}
	email, ip = attemptKeys(email, ip)
	since := now.Add(-lim.Window).UTC()
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		var byEmail, byIP int
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM signin_requests WHERE email = ? AND at > ?),
			(SELECT COUNT(*) FROM signin_requests WHERE ip = ? AND at > ?)`,
			email, since, ip, since).Scan(&byEmail, &byIP); err != nil {
			return fmt.Errorf("store: count sign-in requests: %w", err)
		}
		if byEmail >= lim.PerEmail || byIP >= lim.PerIP {
			return nil
		}
		allowed = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO signin_requests (email, ip, at) VALUES (?, ?, ?)`,
			email, ip, now.UTC()); err != nil {
			return fmt.Errorf("store: record sign-in request: %w", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM signin_requests WHERE at < ?`, now.Add(-24*time.Hour).UTC())
		return err
	})
	return allowed, err
}

// CreateSignInToken stores a one-time sign-in link's token for email
// (kept hashed), valid until expires. Expired tokens are purged here.
func (db *DB) CreateSignInToken(ctx context.Context, token, email string, now, expires time.Time) error {
	email = normEmail(email)
	if len(token) < 22 || !validEmail(email) || !expires.After(now) {
		return Errorf(EINVALID, "a sign-in token needs a random token, an email and a future expiry")
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM signin_tokens WHERE expires_at < ?`, now.Add(-24*time.Hour).UTC()); err != nil {
			return fmt.Errorf("store: purge sign-in tokens: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO signin_tokens (token_hash, email, created_at, expires_at)
			VALUES (?, ?, ?, ?)`, secretHash(token), email, now.UTC(), expires.UTC()); err != nil {
			return fmt.Errorf("store: create sign-in token: %w", err)
		}
		return nil
	})
}

// RedeemSignInToken uses up a sign-in token and returns its email. A
// token that is unknown, used or expired is ENOTFOUND, the same for all
// three, and changes nothing.
func (db *DB) RedeemSignInToken(ctx context.Context, token string, now time.Time) (email string, err error) {
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE signin_tokens SET used_at = ?
			WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING email`,
			now.UTC(), secretHash(token), now.UTC()).Scan(&email)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "this sign-in link is unknown, used or expired")
		}
		if err != nil {
			return fmt.Errorf("store: redeem sign-in token: %w", err)
		}
		return nil
	})
	return email, err
}

// CreateBuyerSession stores a "My eSIMs" session (its secret kept hashed)
// for email until expires. Expired sessions are purged here.
func (db *DB) CreateBuyerSession(ctx context.Context, secret, email string, now, expires time.Time) error {
	email = normEmail(email)
	if len(secret) < 22 || !validEmail(email) || !expires.After(now) {
		return Errorf(EINVALID, "a session needs a random secret, an email and a future expiry")
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM buyer_sessions WHERE expires_at < ?`, now.UTC()); err != nil {
			return fmt.Errorf("store: purge buyer sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO buyer_sessions (session_hash, email, created_at, expires_at)
			VALUES (?, ?, ?, ?)`, secretHash(secret), email, now.UTC(), expires.UTC()); err != nil {
			return fmt.Errorf("store: create buyer session: %w", err)
		}
		return nil
	})
}

// BuyerSession returns the email of a live session; ENOTFOUND when the
// secret is unknown or its session expired.
func (db *DB) BuyerSession(ctx context.Context, secret string, now time.Time) (string, error) {
	var email string
	err := db.reader.QueryRowContext(ctx, `SELECT email FROM buyer_sessions WHERE session_hash = ? AND expires_at > ?`,
		secretHash(secret), now.UTC()).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", Errorf(ENOTFOUND, "no such session")
	}
	if err != nil {
		return "", fmt.Errorf("store: load buyer session: %w", err)
	}
	return email, nil
}

// EndBuyerSession deletes a session (signing out); an unknown one is no error.
func (db *DB) EndBuyerSession(ctx context.Context, secret string) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM buyer_sessions WHERE session_hash = ?`, secretHash(secret))
		return err
	})
}

// OrdersForEmail returns the orders placed with email (case ignored),
// newest first, at most limit (50 when limit <= 0, never more than 1000).
func (db *DB) OrdersForEmail(ctx context.Context, email string, limit int) ([]OrderSummary, error) {
	email = normEmail(email)
	if !validEmail(email) {
		return nil, nil
	}
	return querySummaries(ctx, db.reader, summarySelect+` WHERE o.email = ? COLLATE NOCASE
		ORDER BY o.created_at DESC, o.id DESC LIMIT ?`, email, listLimit(limit))
}
