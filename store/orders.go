package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

const (
	// tokenBytes is the entropy of an order token: 144 bits, a multiple of
	// 3 bytes so the base64url text (24 characters) has no partial symbol.
	tokenBytes = 18
	// maxTokenLen bounds the work OrderByToken does on hostile input.
	maxTokenLen = 64
	// numberSuffixLen random characters follow the id in an order number.
	numberSuffixLen = 4
	// numberAlphabet is Crockford's base32: no I, L, O or U, so a number
	// read out over the phone is not misheard. 32 symbols divide 256, so
	// taking a byte modulo 32 is unbiased.
	numberAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	// maxTitleLen and maxRefLen keep free text bounded.
	maxTitleLen = 300
	maxRefLen   = 255
	// maxCauseLen caps event causes and attention reasons (dashboard text).
	maxCauseLen = 500
)

// CreateOrder validates o, then stores it as a pending_payment order with
// its lines and a creation event in one transaction. It generates the
// token and the order and line numbers, and computes line amounts and the
// total; every line's SKU must exist in the catalog. Invalid input is
// EINVALID with a message safe to show, and stores nothing.
func (db *DB) CreateOrder(ctx context.Context, o NewOrder) (Order, error) {
	order, err := prepareOrder(o)
	if err != nil {
		return Order{}, err
	}
	token, err := newToken()
	if err != nil {
		return Order{}, err
	}
	suffix, err := numberSuffix()
	if err != nil {
		return Order{}, err
	}
	order.Token = token
	hash := tokenHash(token)

	err = db.withTx(ctx, func(tx *sql.Tx) error {
		for _, l := range order.Lines {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM products WHERE sku_id = ?`, l.SKUID).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				return Errorf(EINVALID, "unknown product %q", l.SKUID)
			}
			if err != nil {
				return fmt.Errorf("store: check product: %w", err)
			}
		}
		now := db.now().UTC()
		order.CreatedAt, order.UpdatedAt = now, now
		// The number is derived from the id, which exists only after the
		// insert: the row starts with a unique placeholder (the token
		// hash) and gets its number before the transaction commits.
		err := tx.QueryRowContext(ctx, `INSERT INTO orders (number, token, token_hash, email, lang, status,
			currency, total, provider, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			fmt.Sprintf("pending-%x", hash), order.Token, hash[:], order.Email, order.Lang, order.Status,
			order.Currency, order.Total, order.Provider, now, now).Scan(&order.ID)
		if err != nil {
			return fmt.Errorf("store: insert order: %w", err)
		}
		order.Number = fmt.Sprintf("E%06d-%s", order.ID, suffix)
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET number = ? WHERE id = ?`, order.Number, order.ID); err != nil {
			return fmt.Errorf("store: set order number: %w", err)
		}
		for i := range order.Lines {
			l := &order.Lines[i]
			l.Number = fmt.Sprintf("%s-%d", order.Number, i+1)
			err := tx.QueryRowContext(ctx, `INSERT INTO order_lines (order_id, position, number, sku_id, title,
				copies, quantity, days, data_kb, daily_kb, unit_amount, amount, settlement)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				order.ID, i+1, l.Number, l.SKUID, l.Title, l.Copies, l.Quantity, l.Days, l.DataKB, l.DailyKB,
				l.UnitAmount, l.Amount, l.Settlement).Scan(&l.ID)
			if err != nil {
				return fmt.Errorf("store: insert order line: %w", err)
			}
		}
		return insertOrderEvent(ctx, tx, order.ID, now, "", StatusPendingPayment, "order created")
	})
	if err != nil {
		return Order{}, err
	}
	return order, nil
}

// prepareOrder validates and normalises o into an Order without the
// generated fields (ID, token, numbers, times).
func prepareOrder(o NewOrder) (Order, error) {
	email := strings.TrimSpace(o.Email)
	if !validEmail(email) {
		return Order{}, Errorf(EINVALID, "Please enter a valid email address.")
	}
	if o.Lang != "en" && o.Lang != "es" {
		return Order{}, Errorf(EINVALID, "Unsupported language %q.", o.Lang)
	}
	currency := strings.ToLower(o.Currency)
	if !validCurrency(currency) {
		return Order{}, Errorf(EINVALID, "Unsupported currency %q.", o.Currency)
	}
	if o.Provider != ProviderStripe && o.Provider != ProviderDemo {
		return Order{}, Errorf(EINVALID, "Unsupported payment provider %q.", o.Provider)
	}
	if len(o.Lines) == 0 {
		return Order{}, Errorf(EINVALID, "An order needs at least one item.")
	}
	if len(o.Lines) > MaxOrderLines {
		return Order{}, Errorf(EINVALID, "An order can hold at most %d items.", MaxOrderLines)
	}
	out := Order{
		Email: email, Lang: o.Lang, Status: StatusPendingPayment, Currency: currency, Provider: o.Provider,
		Lines: make([]OrderLine, len(o.Lines)),
	}
	for i, l := range o.Lines {
		if err := validateLine(&l); err != nil {
			return Order{}, err
		}
		if out.Total > math.MaxInt64-l.Amount {
			return Order{}, Errorf(EINVALID, "Order total is too large.")
		}
		out.Total += l.Amount
		l.ID, l.Number = 0, ""
		out.Lines[i] = l
	}
	return out, nil
}

// validateLine checks one line and sets its Amount.
func validateLine(l *OrderLine) error {
	switch {
	case l.SKUID == "":
		return Errorf(EINVALID, "An item has no product.")
	case l.Title == "" || len(l.Title) > maxTitleLen || !utf8.ValidString(l.Title):
		return Errorf(EINVALID, "An item has an invalid title.")
	case l.Copies < 1:
		return Errorf(EINVALID, "An item must have at least one copy of the plan.")
	case l.Quantity < 1 || l.Quantity > MaxQuantity:
		return Errorf(EINVALID, "Quantity must be between 1 and %d.", MaxQuantity)
	case l.Days < 0 || l.DataKB < 0 || l.DailyKB < 0:
		return Errorf(EINVALID, "An item has an invalid plan size.")
	case l.UnitAmount <= 0:
		return Errorf(EINVALID, "An item has no price.")
	case !validDecimal(l.Settlement):
		return Errorf(EINVALID, "An item has an invalid settlement price.")
	}
	if l.UnitAmount > math.MaxInt64/int64(l.Quantity) {
		return Errorf(EINVALID, "Order total is too large.")
	}
	amount := l.UnitAmount * int64(l.Quantity)
	// A caller that computed the amount itself must agree with the store:
	// a disagreement means the price shown is not the price charged.
	if l.Amount != 0 && l.Amount != amount {
		return Errorf(EINVALID, "An item's amount does not match its price and quantity.")
	}
	l.Amount = amount
	return nil
}

// validEmail is a deliberately loose check (the address is confirmed by
// the eSIM email arriving): one "@" with text on both sides, no spaces or
// control characters, at most MaxEmailLen bytes.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if s == "" || len(s) > MaxEmailLen || at <= 0 || at == len(s)-1 || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f || r == '<' || r == '>' {
			return false
		}
	}
	return true
}

// validCurrency reports whether s is three lower-case ASCII letters.
func validCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}

// newToken returns a fresh order token from crypto/rand.
func newToken() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("store: order token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// tokenHash is the lookup key stored for a token.
func tokenHash(token string) [sha256.Size]byte {
	return sha256.Sum256([]byte(token))
}

// numberSuffix returns the random part of a new order number.
func numberSuffix() (string, error) {
	b := make([]byte, numberSuffixLen)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("store: order number: %w", err)
	}
	for i := range b {
		b[i] = numberAlphabet[b[i]%32]
	}
	return string(b), nil
}

// SetPaymentRef records the provider's checkout session for an order that
// is still pending payment. Setting the same ref again is a no-op whatever
// the status; a different ref when one is set, a ref another order already
// has, or a first ref on an order no longer pending is ECONFLICT.
func (db *DB) SetPaymentRef(ctx context.Context, orderID int64, ref string) error {
	if ref == "" || len(ref) > maxRefLen || !utf8.ValidString(ref) {
		return Errorf(EINVALID, "invalid payment reference")
	}
	return db.withTx(ctx, func(tx *sql.Tx) error {
		var status OrderStatus
		var current string
		err := tx.QueryRowContext(ctx, `SELECT status, payment_ref FROM orders WHERE id = ?`, orderID).Scan(&status, &current)
		if errors.Is(err, sql.ErrNoRows) {
			return Errorf(ENOTFOUND, "order not found")
		}
		if err != nil {
			return fmt.Errorf("store: load order: %w", err)
		}
		switch {
		case current == ref:
			return nil
		case current != "":
			return Errorf(ECONFLICT, "order already has another payment reference")
		case status != StatusPendingPayment:
			return Errorf(ECONFLICT, "order is no longer awaiting payment")
		}
		var other int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM orders WHERE payment_ref = ?`, ref).Scan(&other)
		if err == nil {
			return Errorf(ECONFLICT, "payment reference belongs to another order")
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: check payment reference: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE orders SET payment_ref = ?, updated_at = ? WHERE id = ?`,
			ref, db.now().UTC(), orderID)
		if err != nil {
			return fmt.Errorf("store: set payment reference: %w", err)
		}
		return nil
	})
}
