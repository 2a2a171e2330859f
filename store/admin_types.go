package store

import "time"

// Admin is an operator who may sign in to the dashboard. The password hash
// is returned only by AdminByEmail, never carried in this value, so it
// cannot leak into a page or a log by accident.
type Admin struct {
	ID          int64
	Email       string // trimmed, lower case
	CreatedAt   time.Time
	LastLoginAt time.Time // zero until the first sign-in
}

// AdminSession is a signed-in operator's session. The store keeps only the
// hash of the cookie's token.
type AdminSession struct {
	ID         int64
	AdminID    int64
	Email      string // the admin's email, joined in for the dashboard header
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
	IP         string
	UserAgent  string
}

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
}

// PriceOverride is an operator-set selling price for one copies tier of a
// SKU, replacing what the pricing rule would compute.
type PriceOverride struct {
	SKUID     string
	Copies    int
	Amount    int64  // minor units, > 0
	Currency  string // ISO 4217, lower case
	UpdatedAt time.Time
}

// OrderFilter selects orders for the operator's order list.
type OrderFilter struct {
	// Q matches, exactly or as a prefix: the order number (case ignored;
	// all digits also matches the order id), the buyer's email (case
	// ignored), an eSIM ICCID, the vendor order id, the Stripe checkout
	// session id or payment intent id. "" matches every order.
	Q      string
	Status OrderStatus // "" for any
	// From and To bound created_at as [From, To); a zero time is open.
	From, To time.Time
	// Limit defaults to 50 (at most 1000); Offset skips that many rows.
	Limit, Offset int
}

// OrderSummary is one row of the operator's order list.
type OrderSummary struct {
	ID        int64
	Number    string
	Token     string
	Email     string
	Status    OrderStatus
	Currency  string
	Total     int64 // minor units
	Attention string
	CreatedAt time.Time
	PaidAt    time.Time // zero if unpaid
	Lines     int       // number of order lines
	Title     string    // the first line's title
}

// OrderStats are the dashboard's headline numbers for a period.
type OrderStats struct {
	// Orders counts orders created in the period; ByStatus splits them by
	// their current status.
	Orders   int
	ByStatus map[OrderStatus]int
	// Paid counts orders paid in the period (by PaidAt) and not refunded;
	// Revenue sums their totals per currency (minor units).
	Paid    int
	Revenue map[string]int64
	// Refunded counts orders refunded in the period (by RefundedAt).
	Refunded int
}

// ProductFilter selects products for the operator's catalog view.
type ProductFilter struct {
	Country string // ISO code the product covers; "" for any
	Region  string // a RegionSlugs slug; "" for any
	Type    int    // TypeESIMSelfSelected or TypeESIMFixed; 0 for any
	Active  *bool  // nil for any
	Hidden  *bool  // nil for any
	// Q matches the SKU id exactly or as a prefix, or the vendor name as a
	// case-insensitive substring.
	Q string
	// Limit defaults to 50 (at most 1000); Offset skips that many rows.
	Limit, Offset int
}
