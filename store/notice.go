package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"
)

// Vendor notice verdicts beyond the payment ones (VerdictReceived,
// VerdictAccepted, VerdictRejected, VerdictDuplicate, VerdictIgnored apply
// to notices too).
const (
	// VerdictMalformed: the signature was good but the body could not be
	// parsed.
	VerdictMalformed = "malformed"
	// VerdictUnmatched: the notice names an order or eSIM the shop does
	// not know.
	VerdictUnmatched = "unmatched"
)

// VendorNotice is one raw notification POSTed by the vendor, stored before
// it is acted on. Every delivery attempt is its own row.
type VendorNotice struct {
	ID        int64
	TradeType string // N009, N012…; "" when the envelope could not be read
	// Headers is a JSON object of the relevant request headers. The
	// caller must never put the app secret in it.
	Headers string
	Body    []byte // raw, as received
	// Verdict is one of VerdictReceived, VerdictAccepted, VerdictRejected,
	// VerdictDuplicate, VerdictMalformed, VerdictIgnored, VerdictUnmatched;
	// "" is stored as VerdictReceived.
	Verdict string
	Error   string // why it was rejected or failed; "" otherwise
	OrderID int64  // 0 if unknown
	// DedupeKey identifies the same notice sent again (e.g. tradeType +
	// vendor order id + sub-order ids); "" when nothing does.
	DedupeKey string
	// SignedWith is which secret verified the notice: SignedCurrent,
	// SignedPrevious (the one being rotated out) or "" (not verified).
	SignedWith string
	ReceivedAt time.Time
	// DuplicateOf is the id of the first stored copy of the same content
	// (0 for a first copy). A copy's body is not stored twice: Body is read
	// from the first copy (empty once that was purged).
	DuplicateOf int64
}

// Which app secret verified a vendor notice (VendorNotice.SignedWith).
const (
	SignedCurrent  = "current"
	SignedPrevious = "previous"
)

// Bounds on stored vendor notices: a real notice is a few KB (N006 with
// many SKUs more); the web layer caps request bodies below maxPayloadLen.
const (
	maxTradeTypeLen  = 32
	maxDedupeKeyLen  = 1000
	maxHeadersLen    = 8 << 10
	maxNoticeErrLen  = 1000
	defaultListLimit = 50
	maxListLimit     = 1000
)

// validNoticeVerdict reports whether v is a verdict a vendor notice can have.
func validNoticeVerdict(v string) bool {
	switch v {
	case VerdictReceived, VerdictAccepted, VerdictRejected, VerdictDuplicate, VerdictMalformed,
		VerdictIgnored, VerdictUnmatched:
		return true
	}
	return false
}

// RecordVendorNotice stores n as a new row — always, since every delivery
// attempt, forged or repeated, is evidence — and returns its id. A notice
// whose DedupeKey (its content) was stored before keeps a reference to that
// first copy instead of a second body, so replays cost a row each, not a
// body each. dup
// reports whether an earlier notice with the same non-empty DedupeKey was
// already accepted; the caller then acknowledges without acting again.
// Two copies arriving at the same moment may both see dup=false; acting on
// a notice is idempotent, so that costs nothing. An empty Verdict is
// stored as VerdictReceived, empty Headers as "{}"; ID and ReceivedAt are
// set by the store.
func (db *DB) RecordVendorNotice(ctx context.Context, n VendorNotice) (id int64, dup bool, err error) {
	if n.Verdict == "" {
		n.Verdict = VerdictReceived
	}
	if n.Headers == "" {
		n.Headers = "{}"
	}
	switch {
	case len(n.TradeType) > maxTradeTypeLen || !utf8.ValidString(n.TradeType):
		return 0, false, Errorf(EINVALID, "vendor notice has an invalid trade type")
	case len(n.Headers) > maxHeadersLen || !jsonObject(n.Headers):
		return 0, false, Errorf(EINVALID, "vendor notice headers are not a JSON object")
	case len(n.Body) > maxPayloadLen:
		return 0, false, Errorf(EINVALID, "vendor notice body is too large")
	case len(n.DedupeKey) > maxDedupeKeyLen || !utf8.ValidString(n.DedupeKey):
		return 0, false, Errorf(EINVALID, "vendor notice has an invalid dedupe key")
	case !validNoticeVerdict(n.Verdict):
		return 0, false, Errorf(EINVALID, "invalid vendor notice verdict %q", n.Verdict)
	case n.SignedWith != "" && n.SignedWith != SignedCurrent && n.SignedWith != SignedPrevious:
		return 0, false, Errorf(EINVALID, "invalid vendor notice signer %q", n.SignedWith)
	}
	body := n.Body
	if body == nil {
		body = []byte{} // NOT NULL column; an empty body is still a body
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		if n.DedupeKey != "" {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM vendor_notices WHERE dedupe_key = ? AND verdict = ? LIMIT 1`,
				n.DedupeKey, VerdictAccepted).Scan(&one)
			switch {
			case err == nil:
				dup = true
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("store: check vendor notice: %w", err)
			}
		}
		var first sql.NullInt64
		if n.DedupeKey != "" {
			err := tx.QueryRowContext(ctx, `SELECT id FROM vendor_notices WHERE dedupe_key = ? AND duplicate_of IS NULL
				ORDER BY id LIMIT 1`, n.DedupeKey).Scan(&first)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("store: find first vendor notice: %w", err)
			}
			if first.Valid {
				body = []byte{}
			}
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO vendor_notices (trade_type, headers, body, verdict, error,
			order_id, dedupe_key, signed_with, received_at, duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			n.TradeType, n.Headers, body, n.Verdict, truncateUTF8(n.Error, maxNoticeErrLen), nullID(n.OrderID),
			n.DedupeKey, n.SignedWith, db.now().UTC(), first).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: insert vendor notice: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, false, err
	}
	return id, dup, nil
}

// SetVendorNoticeVerdict records what the shop made of a stored notice:
// its verdict, an error text ("" for none) and, when orderID is not 0, the
// order it concerned. ENOTFOUND if no notice has id.
func (db *DB) SetVendorNoticeVerdict(ctx context.Context, id int64, verdict, errText string, orderID int64) error {
	if !validNoticeVerdict(verdict) {
		return Errorf(EINVALID, "invalid vendor notice verdict %q", verdict)
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE vendor_notices SET verdict = ?, error = ?,
			order_id = COALESCE(?, order_id) WHERE id = ?`,
			verdict, truncateUTF8(errText, maxNoticeErrLen), nullID(orderID), id)
		if err != nil {
			return fmt.Errorf("store: set vendor notice verdict: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("store: set vendor notice verdict: %w", err)
		}
		if n == 0 {
			return Errorf(ENOTFOUND, "vendor notice not found")
		}
		return nil
	})
}

// noticeSelect lists the vendor_notices columns in the order scanNotice
// reads; a copy's body is its first copy's.
const noticeSelect = `SELECT id, trade_type, headers,
	CASE WHEN duplicate_of IS NULL THEN body
		ELSE COALESCE((SELECT f.body FROM vendor_notices f WHERE f.id = vendor_notices.duplicate_of), x'') END,
	verdict, error, order_id, dedupe_key, received_at, duplicate_of, signed_with
	FROM vendor_notices`

// VendorNotices returns the notices concerning an order, oldest first.
func (db *DB) VendorNotices(ctx context.Context, orderID int64) ([]VendorNotice, error) {
	return db.queryNotices(ctx, noticeSelect+` WHERE order_id = ? ORDER BY id`, orderID)
}

// RecentVendorNotices returns the newest notices first, at most limit
// (defaultListLimit when limit <= 0, never more than maxListLimit), for
// the operator's view of what the vendor sent.
func (db *DB) RecentVendorNotices(ctx context.Context, limit int) ([]VendorNotice, error) {
	return db.queryNotices(ctx, noticeSelect+` ORDER BY id DESC LIMIT ?`, listLimit(limit))
}

// VendorNoticeByID returns one stored vendor notice; ENOTFOUND if none.
func (db *DB) VendorNoticeByID(ctx context.Context, id int64) (VendorNotice, error) {
	ns, err := db.queryNotices(ctx, noticeSelect+` WHERE id = ?`, id)
	if err != nil {
		return VendorNotice{}, err
	}
	if len(ns) == 0 {
		return VendorNotice{}, Errorf(ENOTFOUND, "vendor notice not found")
	}
	return ns[0], nil
}

// queryNotices runs a noticeSelect query on the reader pool.
func (db *DB) queryNotices(ctx context.Context, query string, args ...any) ([]VendorNotice, error) {
	rows, err := db.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: query vendor notices: %w", err)
	}
	defer rows.Close()
	var out []VendorNotice
	for rows.Next() {
		var n VendorNotice
		var order, first sql.NullInt64
		if err := rows.Scan(&n.ID, &n.TradeType, &n.Headers, &n.Body, &n.Verdict, &n.Error, &order,
			&n.DedupeKey, &n.ReceivedAt, &first, &n.SignedWith); err != nil {
			return nil, fmt.Errorf("store: scan vendor notice: %w", err)
		}
		n.OrderID, n.ReceivedAt, n.DuplicateOf = order.Int64, n.ReceivedAt.UTC(), first.Int64
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query vendor notices: %w", err)
	}
	return out, nil
}

// PurgeVendorNotices deletes the notices received before before, except
// the first copy of each notice that concerns an order (the order's
// evidence is kept as long as the order): repeated copies, rejected
// deliveries, and notices that matched no order go, and so do profile
// statuses still waiting for an eSIM since then. It returns how many
// notices were deleted.
func (db *DB) PurgeVendorNotices(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM vendor_notices WHERE received_at < ?
			AND (duplicate_of IS NOT NULL OR order_id IS NULL)`, before.UTC())
		if err != nil {
			return fmt.Errorf("store: purge vendor notices: %w", err)
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		// A profile status whose eSIM never came is as old as its notice.
		_, err = tx.ExecContext(ctx, `DELETE FROM pending_profile_status WHERE received_at < ?`, before.UTC())
		return err
	})
	return n, err
}

// RejectedNoticesSince counts webhook deliveries rejected (bad signature
// or refused envelope) at or after since: vendor notices and Stripe
// payment events. A burst means a misconfigured secret or someone probing
// the endpoints; the dashboard shows it.
func (db *DB) RejectedNoticesSince(ctx context.Context, since time.Time) (vendor, stripe int, err error) {
	err = db.withReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM vendor_notices WHERE verdict = ? AND received_at >= ?`,
			VerdictRejected, since.UTC()).Scan(&vendor); err != nil {
			return fmt.Errorf("store: count rejected vendor notices: %w", err)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM payment_events WHERE provider = ? AND verdict = ?
			AND received_at >= ?`, ProviderStripe, VerdictRejected, since.UTC()).Scan(&stripe); err != nil {
			return fmt.Errorf("store: count rejected payment events: %w", err)
		}
		return nil
	})
	return vendor, stripe, err
}

// UnusableNoticesSince counts vendor notices received at or after since
// whose signature verified but whose content could not be used (verdict
// malformed): each is a delivery the vendor may have to send again, and
// the dashboard shows them until they are looked at.
func (db *DB) UnusableNoticesSince(ctx context.Context, since time.Time) (int, error) {
	var n int
	err := db.reader.QueryRowContext(ctx, `SELECT COUNT(*) FROM vendor_notices WHERE verdict = ? AND received_at >= ?`,
		VerdictMalformed, since.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count unusable vendor notices: %w", err)
	}
	return n, nil
}

// listLimit clamps a caller's list size.
func listLimit(limit int) int {
	switch {
	case limit <= 0:
		return defaultListLimit
	case limit > maxListLimit:
		return maxListLimit
	}
	return limit
}

// jsonObject reports whether s is one JSON object.
func jsonObject(s string) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal([]byte(s), &m) == nil && m != nil
}
