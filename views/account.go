package views

// AccountData is one of the "My eSIMs" pages.
type AccountData struct {
	Page
	CSRF   string
	Action string // the page's form action (POST)
	// Email is the address typed (sign-in page) or signed in (list).
	Email string
	Error string // the email field's error, localised; "" if none
	// Sent is set after a link was asked for; Minutes is how long it lasts.
	Sent    bool
	Minutes int
	// OutboxURL, in the demo without SMTP, is where the sent link can be
	// read; "" otherwise.
	OutboxURL     string
	Orders        []AccountOrder
	SignOutAction string
}

// AccountOrder is one order in the signed-in list.
type AccountOrder struct {
	Number     string
	URL        string // the private order page
	Title      string // the first line's title (and "+ n more")
	Status     string // store status
	StatusText string // localised
	Date       string // localised date, UTC
}

// accountPage is the layout Page of a "My eSIMs" page: private, since
// they carry a sign-in token or a buyer's orders.
func accountPage(d AccountData) Page {
	return privatePage(d.Page, T(d.Lang, "account.title"))
}

// OrderStatusText words a store order status for a buyer.
func OrderStatusText(lang, status string) string {
	switch status {
	case statusPendingPayment:
		return T(lang, "order.pending_h")
	case statusPaid, statusPlacing, statusPlaced:
		return T(lang, "order.preparing_h")
	case statusDelivered:
		return T(lang, "order.ready_h")
	case statusPaymentFailed:
		return T(lang, "order.failed_h")
	case statusExpired:
		return T(lang, "order.expired_h")
	case statusNeedsAttention:
		return T(lang, "order.attention_h")
	}
	return T(lang, "order.unknown_h")
}
