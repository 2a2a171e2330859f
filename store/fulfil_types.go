package store

import "time"

// eSIM profile states as the vendor reports them (F042 status, N012
// profileStatus). ProfileUnknown is the store's own "no report yet".
const (
	ProfileUnknown       = -1
	ProfileNotDownloaded = 0
	ProfileDownloaded    = 1
	ProfileInstalled     = 2
	ProfileEnabled       = 3
	ProfileDisabled      = 4
	ProfileRecycled      = 5
)

// ESIM is one eSIM the vendor delivered for an order line (N009).
type ESIM struct {
	ID      int64
	OrderID int64
	LineID  int64
	// LineNumber is the line's Number (the vendor's channelSubOrderId).
	// StoreDelivery maps an eSIM to its line by it; loaded eSIMs have it set.
	LineNumber       string
	VendorSubOrderID string
	UID              string
	ICCID            string
	// LPA is the whole activation string (what the QR code encodes); SMDP
	// and ActivationCode are its parts, for manual installation. The
	// caller parses them (bc.ParseLPA); the store keeps what it is given.
	LPA            string
	SMDP           string
	ActivationCode string
	APN            string
	PIN            string
	PUK            string
	MSISDN         string
	// InstallBy is the vendor's validTime (converted by the caller from
	// the vendor's UTC+8 text); zero if absent.
	InstallBy    time.Time
	Rechargeable bool
	// ProfileStatus is the last F042/N012 code (Profile* constants);
	// ProfileUnknown until one arrives. ProfileStatusAt is when the vendor
	// recorded it, so an older report never overwrites a newer one.
	ProfileStatus   int
	ProfileStatusAt time.Time
	PlanStartAt     time.Time // N002; zero until the plan starts
	PlanEndAt       time.Time // N003 (or N002's announced end); zero until known
	CreatedAt       time.Time
}

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
	DedupeKey  string
	ReceivedAt time.Time
}

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
