package views

// ESIMView is one delivered eSIM, on the order page and in the email.
type ESIMView struct {
	Index          int    // 1-based position in the order
	Title          string // the line's title, e.g. "Japan 5 GB · 7 days"
	ICCID          string
	LPA            string // full activation string "LPA:1$smdp$code" (what the QR encodes)
	SMDP           string // SM-DP+ address
	ActivationCode string
	QRURL          string // image src: "/orders/{token}/esims/{id}/qr.png" on the page, "cid:qr-{id}" in the email
	AppleURL       string // https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=<escaped LPA> (iOS 17.4+)
	AndroidURL     string // https://esimsetup.android.com/esim_qrcode_provisioning?carddata=<escaped LPA>
	APN            string // "" when the phone sets it automatically
	APNManual      bool   // the buyer must enter the APN by hand
	InstallBy      string // formatted, localised date ("" if unknown)
	PIN, PUK       string // may be ""
	MSISDN         string // phone number, often ""
	// ConfirmationRequired: the LPA string says a confirmation code is
	// needed to install; ConfirmationCode is that code ("" if the vendor
	// did not send one).
	ConfirmationRequired bool
	ConfirmationCode     string
	APNUsername          string // APN credentials, "" when none
	APNPassword          string
	// Status is the install status and data use (order page only; nil
	// in emails and before delivery).
	Status *ESIMStatusView
}

// EmailData is the delivery email.
type EmailData struct {
	Lang     string
	Number   string
	OrderURL string // absolute private order page URL
	ESIMs    []ESIMView
	Lines    []OrderLineView
	Total    string
	// TravelDate is the trip's start date, written out, for plans that
	// asked for one; "" otherwise.
	TravelDate string
	Demo       bool
	// ContactURL is the shop's published contact page (absolute); "" when
	// it is not published.
	ContactURL string
}

// OutboxMail is one logged email in the demo outbox.
type OutboxMail struct {
	To, Subject, Status, CreatedAt string
	HTML                           string // the email's HTML, shown in a sandboxed iframe via srcdoc
	Text                           string
}

// OutboxData is the demo's outbox page (/demo/outbox): emails the shop "sent" without SMTP.
type OutboxData struct {
	Page
	Mails []OutboxMail
}

// ESIMStatusView is what a returning traveller wants to know about one
// delivered eSIM: is it installed, and how much data is left. Nil in
// emails.
type ESIMStatusView struct {
	Install     string // the install status in words
	InstallCode int    // store Profile* code; -1 unknown
	Plans       []UsagePlanView
	// UpdatedAt is when the figures were current, formatted in UTC;
	// UpdatedISO is the same instant in RFC 3339, which app.js shows in
	// the browser's own time zone. "" when there are no figures yet.
	UpdatedAt, UpdatedISO string
	// Stale: the vendor could not be reached on the last try, so the
	// figures shown are the last known ones.
	Stale bool
	// TopUpURL is the eSIM's "Add data" page; "" when it cannot be topped up.
	TopUpURL string
}

// UsagePlanView is one plan on an eSIM and its data use.
type UsagePlanView struct {
	Name      string
	State     string // the plan's state in words
	StateCode int    // store Plan* code
	Unlimited bool
	Daily     bool   // a daily allowance: Used/Left/Total are today's
	Used      string // formatted data amounts
	Left      string
	Total     string
	Percent   int    // used share of Total, 0–100 (0 when unlimited)
	DaysLeft  int    // whole days until End; -1 when unknown or not started
	Start     string // formatted in UTC; "" if unknown
	StartISO  string
	End       string
	EndISO    string
}
