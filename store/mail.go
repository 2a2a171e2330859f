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

// Mail kinds.
const (
	// MailESIMDelivery carries the buyer's eSIMs (QR codes, manual codes).
	MailESIMDelivery = "esim_delivery"
)

// Mail statuses.
const (
	MailQueued = "queued" // recorded, not handed to SMTP yet
	MailSent   = "sent"   // accepted by the SMTP server
	// MailLogged: no SMTP is configured; the mail is kept here only, for an
	// operator to forward.
	MailLogged = "logged"
	MailFailed = "failed" // SMTP refused it; Error says why
)

// Mail is one email to a buyer, with its outcome.
type Mail struct {
	ID        int64
	OrderID   int64  // 0 if it concerns no order
	Kind      string // MailESIMDelivery…
	To        string
	Subject   string
	Text      string
	HTML      string
	Status    string // Mail* status; "" is stored as MailQueued
	Error     string
	CreatedAt time.Time
	SentAt    time.Time // zero until sent or logged
}

// Bounds on stored mail: a rendered eSIM email with inline QR codes stays
// far below maxMailBodyLen.
const (
	maxMailKindLen    = 64
	maxMailSubjectLen = 998 // RFC 5322 line limit
	maxMailBodyLen    = 1 << 20
	maxMailErrLen     = 1000
)

// validMailStatus reports whether s is one of the Mail* statuses.
func validMailStatus(s string) bool {
	switch s {
	case MailQueued, MailSent, MailLogged, MailFailed:
		return true
	}
	return false
}

// RecordMail stores a mail and returns its id. An empty Status is stored as
// MailQueued; ID and CreatedAt are set by the store, and SentAt too when
// the status is sent or logged. OrderID 0 means no order; an unknown one
// is ENOTFOUND.
func (db *DB) RecordMail(ctx context.Context, m Mail) (int64, error) {
	if m.Status == "" {
		m.Status = MailQueued
	}
	m.To = strings.TrimSpace(m.To)
	switch {
	case m.Kind == "" || len(m.Kind) > maxMailKindLen || !utf8.ValidString(m.Kind):
		return 0, Errorf(EINVALID, "invalid mail kind %q", m.Kind)
	case !validEmail(m.To):
		return 0, Errorf(EINVALID, "invalid mail recipient")
	case len(m.Subject) > maxMailSubjectLen || !utf8.ValidString(m.Subject):
		return 0, Errorf(EINVALID, "invalid mail subject")
	case len(m.Text) > maxMailBodyLen || len(m.HTML) > maxMailBodyLen ||
		!utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML):
		return 0, Errorf(EINVALID, "invalid or oversized mail body")
	case !validMailStatus(m.Status):
		return 0, Errorf(EINVALID, "invalid mail status %q", m.Status)
	}
	var id int64
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		if m.OrderID != 0 {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM orders WHERE id = ?`, m.OrderID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return errOrderNotFound()
			}
			if err != nil {
				return fmt.Errorf("store: check order: %w", err)
			}
		}
		now := db.now().UTC()
		err := tx.QueryRowContext(ctx, `INSERT INTO mails (order_id, kind, to_addr, subject, text_body, html_body,
			status, error, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			nullID(m.OrderID), m.Kind, m.To, m.Subject, m.Text, m.HTML, m.Status,
			truncateUTF8(m.Error, maxMailErrLen), now, sentAt(m.Status, now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: insert mail: %w", err)
		}
		return nil
	})
	return id, err
}

// sentAt is the sent_at to store for a mail entering status at now: the
// time it left (or was kept in place of sending), else NULL.
func sentAt(status string, now time.Time) sql.NullTime {
	if status == MailSent || status == MailLogged {
		return nullTime(now)
	}
	return sql.NullTime{}
}

// SetMailStatus records a mail's outcome: status (a Mail* value) and an
// error text ("" for none). Sent and logged set SentAt. ENOTFOUND if no
// mail has id.
func (db *DB) SetMailStatus(ctx context.Context, id int64, status, errText string) error {
	if !validMailStatus(status) {
		return Errorf(EINVALID, "invalid mail status %q", status)
	}
	return db.withTx(ctx, func(tx *sql.Tx) error { return db.setMailStatusTx(ctx, tx, id, status, errText) })
}

// setMailStatusTx is SetMailStatus in tx.
func (db *DB) setMailStatusTx(ctx context.Context, tx *sql.Tx, id int64, status, errText string) error {
	res, err := tx.ExecContext(ctx, `UPDATE mails SET status = ?, error = ?, sent_at = COALESCE(?, sent_at)
		WHERE id = ?`, status, truncateUTF8(errText, maxMailErrLen), sentAt(status, db.now().UTC()), id)
	if err != nil {
		return fmt.Errorf("store: set mail status: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: set mail status: %w", err)
	}
	if n == 0 {
		return Errorf(ENOTFOUND, "mail not found")
	}
	return nil
}

// mailSelect lists the mails columns in the order queryMails reads.
const mailSelect = `SELECT id, order_id, kind, to_addr, subject, text_body, html_body, status, error,
	created_at, sent_at FROM mails`

// Mails returns the newest mails first, at most limit (defaultListLimit
// when limit <= 0, never more than maxListLimit), for the operator's log.
func (db *DB) Mails(ctx context.Context, limit int) ([]Mail, error) {
	return db.queryMails(ctx, mailSelect+` ORDER BY id DESC LIMIT ?`, listLimit(limit))
}

// MailsForOrder returns the mails sent about an order, oldest first.
func (db *DB) MailsForOrder(ctx context.Context, orderID int64) ([]Mail, error) {
	return db.queryMails(ctx, mailSelect+` WHERE order_id = ? ORDER BY id`, orderID)
}

// queryMails runs a mailSelect query on the reader pool.
func (db *DB) queryMails(ctx context.Context, query string, args ...any) ([]Mail, error) {
	rows, err := db.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query mails: %w", err)
	}
	defer rows.Close()
	var out []Mail
	for rows.Next() {
		var m Mail
		var order sql.NullInt64
		var sent sql.NullTime
		if err := rows.Scan(&m.ID, &order, &m.Kind, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Status, &m.Error,
			&m.CreatedAt, &sent); err != nil {
			return nil, fmt.Errorf("store: scan mail: %w", err)
		}
		m.OrderID, m.CreatedAt, m.SentAt = order.Int64, m.CreatedAt.UTC(), fromNullTime(sent)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query mails: %w", err)
	}
	return out, nil
}
