package views

// OrderLineView is one bought line on the order page.
type OrderLineView struct {
	Title    string // e.g. "Japan 5 GB · 7 days"
	Copies   int
	Quantity int
	Days     int
	Amount   string // formatted line total
	PlanURL  string // "/plans/{sku}" (to buy again)
}

// OrderData is the buyer's private order page (/orders/{token}).
type OrderData struct {
	Page
	Number    string
	Status    string // store status: pending_payment, paid, placing, placed, delivered, payment_failed, expired, needs_attention
	Email     string
	Lines     []OrderLineView
	Total     string
	CreatedAt string // formatted, localised date-time (UTC)
	// CreatedISO is the same instant in RFC 3339, which app.js shows in
	// the browser's time zone; "" leaves the UTC text.
	CreatedISO string
	PayURL     string // while pending_payment: where to (re)open payment; "" when none
	// Refresh is how many seconds until the page reloads itself while the order
	// is moving (pending payment, paid, placing, placed). 0 = no refresh. Use
	// <meta http-equiv="refresh"> so it works without JavaScript.
	Refresh int
	// ESIMs are the delivered eSIMs, shown once Status is delivered.
	ESIMs []ESIMView
	// StatusURL is a JSON endpoint ("/orders/{token}/status") answering
	// {"status":"…"}. While the order moves (Refresh > 0), app.js polls it
	// and reloads the page when the status changes, so the meta refresh is
	// then only a <noscript> fallback. "" = no polling.
	StatusURL string
	// OutboxURL, in the demo without SMTP, links to the emails the shop
	// "sent" about this order; "" otherwise.
	OutboxURL string
	// MailState says whether the delivery email went out: MailSent,
	// MailSending (a mailer is configured, the mail is on its way), or ""
	// (no email is sent: the page says to keep its link instead).
	MailState string
	// CSRF is the token of the page's forms; ResendAction is where "email
	// me this link again" posts ("" hides it); LinkState is the outcome of
	// the last such request ("sent", "limited" or "").
	CSRF         string
	ResendAction string
	LinkState    string
	// TopUps are the data top-ups bought for this order's eSIMs, newest
	// first.
	TopUps []AccountOrder
	// For a top-up order: ParentURL is the order page of the eSIM that
	// gets the data, TopUpICCID that eSIM, TopUpPlan the plan added.
	ParentURL, TopUpICCID, TopUpPlan string
}

// DemoPayData is the demo mode's fake payment page (/demo/pay/{token}).
type DemoPayData struct {
	Page
	Number, Email, Total string
	Lines                []OrderLineView
	PayAction            string // form action (POST) for "Pay"
	CancelAction         string // form action (POST) for "Cancel"
	CSRF                 string
}

// Delivery email states for OrderData.MailState.
const (
	MailSent    = "sent"
	MailSending = "sending"
)
