package views

import "strings"

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

// installStatusKeys word the store's Profile* codes (0–5, from F042 and
// N012) for a traveller; planStateKeys the Plan* codes (0–3, from F046).
var (
	installStatusKeys = []string{"status.not_installed", "status.downloaded", "status.installed",
		"status.enabled", "status.disabled", "status.recycled"}
	planStateKeys = []string{"plan_state.not_started", "plan_state.active", "plan_state.finished", "plan_state.cancelled"}
)

// InstallStatus words an eSIM's profile status for a traveller.
func InstallStatus(lang string, code int) string { return codeText(lang, installStatusKeys, code) }

// PlanState words a plan's state.
func PlanState(lang string, code int) string { return codeText(lang, planStateKeys, code) }

// codeText is the message for a vendor code, "not known yet" for others.
func codeText(lang string, keys []string, code int) string {
	if code < 0 || code >= len(keys) {
		return T(lang, "status.unknown")
	}
	return T(lang, keys[code])
}

// splitTwo cuts a message formatted with the markers "\x00" and "\x01"
// (where two values go) into the text before, between and after them, so
// a template can put markup — a <time> — where the values go whatever
// the language's word order.
func splitTwo(s string) (before, middle, after string) {
	before, rest, _ := strings.Cut(s, "\x00")
	middle, after, _ = strings.Cut(rest, "\x01")
	return before, middle, after
}
