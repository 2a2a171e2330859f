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
}

// EmailData is the delivery email.
type EmailData struct {
	Lang     string
	Number   string
	OrderURL string // absolute private order page URL
	ESIMs    []ESIMView
	Lines    []OrderLineView
	Total    string
	Demo     bool
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
