package store

import (
	"errors"
	"time"
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
	Lines      []OrderLine
	// ESIMs are the delivered eSIMs, ordered by line then arrival.
	ESIMs []ESIM
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
	Lines    []OrderLine
}

// OrderEvent is one status change of an order. From is "" for creation;
// From == To marks a note that changed nothing (e.g. a payment that arrived
// for an order already waiting for an operator).
type OrderEvent struct {
	ID      int64
	OrderID int64
	At      time.Time
	From    OrderStatus
	To      OrderStatus
	// Cause is human text, e.g. "stripe checkout.session.completed evt_123".
	Cause string
}

// Payment is what a payment provider says was paid, and for which order
// (from the session's client_reference_id / metadata).
type Payment struct {
	Provider string
	Ref      string // checkout session id; "" when the provider has none
	// PaymentIntent is Stripe's payment_intent id ("" when the provider has
	// none); MarkPaid stores it on the order for refunds.
	PaymentIntent string
	Amount        int64 // minor units
	Currency      string
	OrderID       int64
}

// Payment event verdicts: what the shop made of an incoming event.
const (
	VerdictReceived  = "received" // stored, not acted on yet
	VerdictAccepted  = "accepted"
	VerdictDuplicate = "duplicate"
	VerdictRejected  = "rejected"
	VerdictIgnored   = "ignored"
	VerdictMismatch  = "mismatch"
)

// PaymentEvent is a raw incoming payment-provider event, stored as received.
type PaymentEvent struct {
	ID         int64
	Provider   string
	EventID    string
	Type       string
	OrderID    int64  // 0 if unknown
	Payload    []byte // raw, as received
	Verdict    string // one of the Verdict constants; "" means VerdictReceived
	ReceivedAt time.Time
}

// Job states.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// Job kinds. Each exists at most once per order (UNIQUE(kind, order_id));
// RequeueJob runs a finished one again.
const (
	// JobPlaceOrder places a paid order at the vendor (F040).
	JobPlaceOrder = "place_order"
	// JobSendESIMEmail mails the delivered eSIMs to the buyer; queued by
	// StoreDelivery when the order becomes delivered.
	JobSendESIMEmail = "send_esim_email"
	// JobReconcile asks the vendor (F011) about a placed order whose eSIMs
	// have not arrived; queued by MarkPlaced.
	JobReconcile = "reconcile"
)

// Job is a durable unit of background work for one order.
type Job struct {
	ID      int64
	Kind    string
	OrderID int64
	State   string // JobQueued, JobRunning, JobDone or JobFailed
	// Attempts counts the claims since the job was (re)queued; the worker
	// gives up (FailJob) past its limit. RequeueJob resets it.
	Attempts int
	// Claim is the fencing token of the current run: it grows with every
	// claim and is never reset. CompleteJob, RetryJob, FailJob and
	// ExtendJobLease take the Job a claim returned and refuse it once a
	// later claim took the job over (the first worker's lease ran out).
	Claim      int64
	RunAt      time.Time
	LeaseUntil time.Time // while running: when another worker may take it over
	CreatedAt  time.Time
	LastError  string
}

// ErrPaymentMismatch is wrapped by MarkPaid's error when a payment does not
// match its order (amount, currency, provider or payment reference). The
// order is flagged needs_attention and not fulfilled; the caller should log
// it and record the event's verdict as VerdictMismatch.
var ErrPaymentMismatch = errors.New("payment does not match the order")
