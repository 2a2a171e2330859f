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

// AuditEntry is one thing an operator did.
type AuditEntry struct {
	ID         int64
	At         time.Time // zero: Audit uses the store's clock
	AdminID    int64     // 0 for an action with no signed-in admin (e.g. setup)
	AdminEmail string
	Action     string // short verb, e.g. "refund", "retry_placement", "hide_product"
	OrderID    int64  // 0 when the action concerns no order
	SKUID      string // "" when the action concerns no product
	Detail     string // human text; never secrets
	// ActionID is the random id carried by the form that triggered the
	// action; "" for none. Audit records one entry per non-empty id, which
	// is what makes a double-submitted form do nothing the second time.
	ActionID string
	// IP is the client address the action came from ("" if unknown).
	IP string
}

// Bounds on audit input: actions are short verbs, action ids random
// tokens, details a sentence or two.
const (
	maxAuditActionLen = 64
	maxActionIDLen    = 128
	maxAuditDetailLen = 2000
)

// auditSelect lists the audit_log columns in the order scanAudit reads.
const auditSelect = `SELECT id, at, admin_id, admin_email, action, order_id, sku_id, detail, action_id, ip FROM audit_log`

// Audit records what an operator did. At defaults to now; Detail is
// truncated. An entry whose non-empty ActionID was recorded before is a
// double-submitted form: dup=true and nothing is stored — the caller must
// then not perform the action again. Audit the action in the same request
// before performing it, so a crash in between leaves a record.
func (db *DB) Audit(ctx context.Context, e AuditEntry) (dup bool, err error) {
	e.Action = strings.TrimSpace(e.Action)
	switch {
	case e.Action == "" || len(e.Action) > maxAuditActionLen || !utf8.ValidString(e.Action):
		return false, Errorf(EINVALID, "invalid audit action %q", truncateUTF8(e.Action, maxAuditActionLen))
	case len(e.ActionID) > maxActionIDLen || !utf8.ValidString(e.ActionID):
		return false, Errorf(EINVALID, "invalid action id")
	case len(e.SKUID) > maxRefLen || !utf8.ValidString(e.SKUID):
		return false, Errorf(EINVALID, "invalid SKU id")
	}
	at := e.At
	if at.IsZero() {
		at = db.now()
	}
	actionID := sql.NullString{String: e.ActionID, Valid: e.ActionID != ""}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, admin_id, admin_email, action, order_id, sku_id,
			detail, action_id, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (action_id) DO NOTHING`,
			at.UTC(), nullID(e.AdminID), truncateUTF8(strings.ToValidUTF8(e.AdminEmail, ""), MaxEmailLen), e.Action,
			nullID(e.OrderID), e.SKUID, truncateUTF8(strings.ToValidUTF8(e.Detail, ""), maxAuditDetailLen), actionID,
			truncateUTF8(strings.ToValidUTF8(e.IP, ""), 64))
		if err != nil {
			return fmt.Errorf("store: insert audit entry: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("store: insert audit entry: %w", err)
		}
		dup = n == 0
		return nil
	})
	return dup, err
}

// AuditByActionID returns the entry recorded for a form's action id;
// ENOTFOUND if none (or actionID is empty).
func (db *DB) AuditByActionID(ctx context.Context, actionID string) (AuditEntry, error) {
	if actionID == "" {
		return AuditEntry{}, Errorf(ENOTFOUND, "audit entry not found")
	}
	e, err := scanAudit(db.reader.QueryRowContext(ctx, auditSelect+` WHERE action_id = ?`, actionID))
	if errors.Is(err, sql.ErrNoRows) {
		return AuditEntry{}, Errorf(ENOTFOUND, "audit entry not found")
	}
	if err != nil {
		return AuditEntry{}, fmt.Errorf("store: load audit entry: %w", err)
	}
	return e, nil
}

// AuditLog returns the newest entries first, at most limit (50 when
// limit <= 0, never more than 1000): those about one order, or all when
// orderID is 0.
func (db *DB) AuditLog(ctx context.Context, orderID int64, limit int) ([]AuditEntry, error) {
	query, args := auditSelect+` ORDER BY id DESC LIMIT ?`, []any{listLimit(limit)}
	if orderID != 0 {
		query, args = auditSelect+` WHERE order_id = ? ORDER BY id DESC LIMIT ?`, []any{orderID, listLimit(limit)}
	}
	rows, err := db.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, fmt.Errorf("store: scan audit entry: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query audit log: %w", err)
	}
	return out, nil
}

// scanAudit reads one auditSelect row.
func scanAudit(s scanner) (AuditEntry, error) {
	var e AuditEntry
	var admin, order sql.NullInt64
	var actionID sql.NullString
	err := s.Scan(&e.ID, &e.At, &admin, &e.AdminEmail, &e.Action, &order, &e.SKUID, &e.Detail, &actionID, &e.IP)
	e.At, e.AdminID, e.OrderID, e.ActionID = e.At.UTC(), admin.Int64, order.Int64, actionID.String
	return e, err
}
