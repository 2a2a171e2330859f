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
	"time"
	"unicode/utf8"
)

// OrderStatus is where an order stands in its life; see transition for the
// moves allowed between them.
type OrderStatus string

// Order statuses.
const (
	// StatusPendingPayment: created, the buyer has not paid (yet).
	StatusPendingPayment OrderStatus = "pending_payment"
	// StatusPaid: money arrived; a place_order job is queued.
	StatusPaid OrderStatus = "paid"
	// StatusPlacing: the job worker is placing the order at the vendor.
	StatusPlacing OrderStatus = "placing"
	// StatusPlaced: the vendor accepted the order; eSIMs are on their way.
	StatusPlaced OrderStatus = "placed"
	// StatusDelivered: the eSIMs arrived and are shown to the buyer.
	StatusDelivered OrderStatus = "delivered"
	// StatusPaymentFailed: the provider reported a failed payment. A late
	// successful payment still moves it to paid.
	StatusPaymentFailed OrderStatus = "payment_failed"
	// StatusExpired: the payment page expired unpaid. A late successful
	// payment still moves it to paid.
	StatusExpired OrderStatus = "expired"
	// StatusNeedsAttention: an operator must look (Order.Attention says why).
	StatusNeedsAttention OrderStatus = "needs_attention"
	// StatusRefunded: an operator refunded the payment (MarkRefunded). It
	// is final: nothing more happens to the order.
	StatusRefunded OrderStatus = "refunded"
)

// Payment providers an order can be paid through.
const (
	ProviderStripe = "stripe"
	ProviderDemo   = "demo"
)

// Limits on an order; checked by CreateOrder.
const (
	MaxQuantity   = 10  // eSIMs per order line
	MaxOrderLines = 20  // lines per order
	MaxEmailLen   = 254 // RFC 5321 path limit
)

// Order is a buyer's purchase. Lines are frozen at purchase time.
type Order struct {
	ID int64
	// Number is the shop's order number, sent to the vendor as
	// channelOrderId: "E" + the zero-padded id + "-" + four random
	// characters, e.g. "E000123-7KQX". The id part makes it unique and easy
	// to read out; the random part keeps a number from ever being reused
	// at the vendor (which is idempotent on it) after the database is
	// restored from a backup or recreated.
	Number string
	// Token is public but unguessable (144 bits from crypto/rand,
	// base64url without padding): the only key to the buyer's order page.
	Token      string
	Email      string
	Lang       string // "en" or "es": the buyer's language for the page and emails
	Status     OrderStatus
	Currency   string // ISO 4217, lower case
	Total      int64  // minor units, sum of line amounts
	Provider   string // ProviderStripe or ProviderDemo
	PaymentRef string // checkout session id ("cs_…") once created
	// Attention is why the order needs attention (amount mismatch, vendor
	// failure…); "" otherwise.
	Attention string
	CreatedAt time.Time
	UpdatedAt time.Time
	PaidAt    time.Time // zero until paid
	// VendorOrderID is the vendor's orderId for this order (F040 reply or
	// N009), "" until known.
	VendorOrderID string
	PlacedAt      time.Time // zero until the vendor accepted the order
	DeliveredAt   time.Time // zero until every eSIM arrived
	// VendorCode and VendorMsg are the vendor's last error about this order
	// (tradeCode and tradeMsg), kept for the operator; "" if none.
	VendorCode string
	VendorMsg  string
	// PaymentIntent is Stripe's payment_intent id, what a refund names;
	// "" for demo orders and until a payment names one.
	PaymentIntent string
	// RefundID is the provider's refund id and RefundedAt when the order
	// was refunded; "" and zero unless Status is StatusRefunded.
	RefundID   string
	RefundedAt time.Time
	// TravelDate is the buyer's travel start (YYYY-MM-DD) for plans whose
	// vendor order needs one (estimatedUseTime); "" otherwise.
	TravelDate string
	Lines      []OrderLine
	// ESIMs are the delivered eSIMs, ordered by line then arrival.
	ESIMs []ESIM
	// TopUp is set when the order tops up an eSIM of an earlier order.
	TopUp *TopUp
}

// OrderLine is one product bought in an order.
type OrderLine struct {
	ID int64
	// Number is sent to the vendor as channelSubOrderId: Order.Number + "-"
	// + the 1-based position of the line; set by the store.
	Number     string
	SKUID      string
	Title      string // product title at purchase time (what the buyer saw)
	Copies     int
	Quantity   int   // eSIMs, 1–MaxQuantity
	Days       int   // usable days (days × copies) at purchase time
	DataKB     int64 // total data for total plans at purchase time (0 for daily)
	DailyKB    int64
	UnitAmount int64 // selling price of one eSIM with these copies, minor units
	// Amount is UnitAmount × Quantity, computed by the store. A caller may
	// leave it 0; a non-zero value that disagrees is rejected.
	Amount int64
	// Settlement is the vendor's settlement price of the tier at purchase
	// time (decimal text), for the operator's margin view.
	Settlement string
	// UnitCost is the vendor cost of one eSIM in the order's currency
	// (minor units), the settlement converted with the pricing rule in force
	// at the sale; 0 when not recorded (older orders). Reports sum it.
	UnitCost int64
	// VendorSubOrderID is the vendor's subOrderId for this line, "" until
	// known.
	VendorSubOrderID string
}

// NewOrder is what CreateOrder needs; ID, numbers, amounts, token and status
// are set by the store.
type NewOrder struct {
	Email    string
	Lang     string
	Currency string
	Provider string
	// TravelDate is a YYYY-MM-DD date or ""; see Order.TravelDate. Whether
	// it fits the plan's window is the caller's rule.
	TravelDate string
	Lines      []OrderLine
	// TopUp makes the order a top-up of an eSIM of an earlier order;
	// nil for an order of new eSIMs.
	TopUp *TopUp
}

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
		esims, cost := reportSums(order.Lines)
		err := tx.QueryRowContext(ctx, `INSERT INTO orders (number, token, token_hash, email, lang, status,
			currency, total, provider, travel_date, created_at, updated_at, esims, cost)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			fmt.Sprintf("pending-%x", hash), order.Token, hash[:], order.Email, order.Lang, order.Status,
			order.Currency, order.Total, order.Provider, order.TravelDate, now, now, esims, cost).Scan(&order.ID)
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
				copies, quantity, days, data_kb, daily_kb, unit_amount, amount, settlement, unit_cost)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				order.ID, i+1, l.Number, l.SKUID, l.Title, l.Copies, l.Quantity, l.Days, l.DataKB, l.DailyKB,
				l.UnitAmount, l.Amount, l.Settlement, sql.NullInt64{Int64: l.UnitCost, Valid: l.UnitCost > 0}).Scan(&l.ID)
			if err != nil {
				return fmt.Errorf("store: insert order line: %w", err)
			}
		}
		if o.TopUp != nil {
			if err := insertTopUp(ctx, tx, order.ID, *o.TopUp); err != nil {
				return err
			}
			order.TopUp = o.TopUp
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
	if o.TravelDate != "" {
		if _, err := time.Parse(time.DateOnly, o.TravelDate); err != nil {
			return Order{}, Errorf(EINVALID, "The travel start date %q is not a date (YYYY-MM-DD).", o.TravelDate)
		}
	}
	out := Order{
		Email: email, Lang: o.Lang, Status: StatusPendingPayment, Currency: currency, Provider: o.Provider,
		TravelDate: o.TravelDate, Lines: make([]OrderLine, len(o.Lines)),
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
	case l.UnitCost < 0:
		return Errorf(EINVALID, "An item has a negative cost.")
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
