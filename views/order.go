package views

import (
	"strings"

	"github.com/a-h/templ"
)

// Order statuses as the store names them. OrderData.Status carries one of
// these strings; views keeps its own copy so it depends on the words, not on
// the store's Go declarations, and an unknown status still renders.
const (
	statusPendingPayment = "pending_payment"
	statusPaid           = "paid"
	statusPlacing        = "placing"
	statusPlaced         = "placed"
	statusDelivered      = "delivered"
	statusPaymentFailed  = "payment_failed"
	statusExpired        = "expired"
	statusNeedsAttention = "needs_attention"
)

// orderSteps are the progress steps shown while an order moves toward
// delivery, in order; each names its message key.
var orderSteps = []string{"order.step_payment", "order.step_preparing", "order.step_ready"}

// statusPanel is what the order page says about the order's state.
type statusPanel struct {
	Kind    string // CSS modifier: "wait", "progress", "ok", "error", "warn"
	Heading string
	Body    string
	// Done is how many of orderSteps are complete; -1 hides the steps
	// (failed, expired or stuck orders are not "on their way").
	Done int
}

// orderStatusPanel words the buyer-facing state of an order. Several store
// states read alike to a buyer (paid, placing and placed are all "being
// prepared"): the vendor round trip is our business, not theirs. A status
// this code does not know gets a neutral message rather than a wrong one.
func orderStatusPanel(d OrderData) statusPanel {
	lang := d.Lang
	switch d.Status {
	case statusPendingPayment:
		body := T(lang, "order.pending")
		if d.PayURL == "" {
			body = T(lang, "order.pending_confirming")
		}
		return statusPanel{"wait", T(lang, "order.pending_h"), body, 0}
	case statusPaid, statusPlacing, statusPlaced:
		return statusPanel{"progress", T(lang, "order.preparing_h"), T(lang, "order.preparing"), 1}
	case statusDelivered:
		if d.ParentURL != "" {
			return statusPanel{"ok", T(lang, "topup.of_h"), T(lang, "topup.of", d.TopUpPlan, d.TopUpICCID), len(orderSteps)}
		}
		body := T(lang, "order.ready_nomail")
		switch d.MailState {
		case MailSent:
			body = T(lang, "order.ready", d.Email)
		case MailSending:
			body = T(lang, "order.ready_sending", d.Email)
		}
		return statusPanel{"ok", T(lang, "order.ready_h"), body, len(orderSteps)}
	case statusPaymentFailed:
		return statusPanel{"error", T(lang, "order.failed_h"), T(lang, "order.failed"), -1}
	case statusExpired:
		return statusPanel{"error", T(lang, "order.expired_h"), T(lang, "order.expired"), -1}
	case statusNeedsAttention:
		return statusPanel{"warn", T(lang, "order.attention_h"), T(lang, "order.attention", d.Email), -1}
	}
	return statusPanel{"wait", T(lang, "order.unknown_h"), T(lang, "order.unknown"), -1}
}

// stepState is "done", "current" or "todo" for step i (0-based) when done
// steps are complete.
func stepState(i, done int) string {
	switch {
	case i < done:
		return "done"
	case i == done:
		return "current"
	}
	return "todo"
}

// stepStateLabel is the screen-reader wording of a step's state; the
// colours and tick marks say the same to sighted buyers.
func stepStateLabel(lang, state string) string {
	switch state {
	case "done":
		return T(lang, "order.step_done")
	case "current":
		return T(lang, "order.step_current")
	}
	return T(lang, "order.step_todo")
}

// showBuyAgain reports whether the status panel offers to buy again: the
// order ended without an eSIM and the buyer has nothing else to do here.
func showBuyAgain(status string) bool {
	return status == statusPaymentFailed || status == statusExpired
}

// showInstallAdvice reports whether install advice belongs on the page:
// not when the order ended without an eSIM.
func showInstallAdvice(status string) bool {
	return !showBuyAgain(status)
}

// buyAgainURL is where "Buy again" goes: the first line's plan page, so
// the buyer lands on the same choice, else the home page.
func buyAgainURL(d OrderData) string {
	for _, l := range d.Lines {
		if l.PlanURL != "" {
			return l.PlanURL
		}
	}
	return Path(d.Lang, "/")
}

// lineTitle is a line's headline, with a neutral fallback when web's title
// is empty or vendor text the buyer cannot read.
func lineTitle(lang string, l OrderLineView) string {
	if t := vendorText(l.Title); t != "" {
		return t
	}
	return T(lang, "order.line_fallback")
}

// lineMeta is the small print under a line: "7 days · 2 eSIMs". Days are
// what a traveller checks, so they show unless the title already says
// them (web's titles usually do: "Japan 5 GB · 7 days"); copies (the
// vendor's multiplier) only show when the days are unknown.
func lineMeta(lang string, l OrderLineView) string {
	var parts []string
	switch {
	case l.Days > 0:
		if days := Plural(lang, "card.days", l.Days); !saysDays(l.Title, days) {
			parts = append(parts, days)
		}
	case l.Copies > 0:
		parts = append(parts, Plural(lang, "order.copies", l.Copies))
	}
	if l.Quantity > 0 {
		parts = append(parts, Plural(lang, "order.esims", l.Quantity))
	}
	return strings.Join(parts, " · ")
}

// saysDays reports whether title contains the days label as a whole
// number: "14 days" says "14 days" but not "4 days".
func saysDays(title, days string) bool {
	for i := 0; ; {
		j := strings.Index(title[i:], days)
		if j < 0 {
			return false
		}
		at := i + j
		if at == 0 || title[at-1] < '0' || title[at-1] > '9' {
			return true
		}
		i = at + 1
	}
}

// privatePage marks p as a page behind a secret link (see Page.Private),
// so a handler cannot forget to, and gives it a title when web set none.
func privatePage(p Page, title string) Page {
	p.Private = true
	p.NoIndex = true
	if p.Title == "" {
		p.Title = title
	}
	return p
}

// orderPage is the layout Page of an order page: private, reloading itself
// while the order moves. When app.js can poll the status instead, the timed
// reload is left to browsers without JavaScript.
func orderPage(d OrderData) Page {
	p := privatePage(d.Page, T(d.Lang, "title.order", d.Number))
	p.AutoRefresh = max(d.Refresh, 0)
	p.ScriptRefresh = polls(d)
	return p
}

// polls reports whether app.js should poll d.StatusURL: only while the
// order moves, since a finished order has nothing left to wait for.
func polls(d OrderData) bool {
	return d.Refresh > 0 && d.StatusURL != ""
}

// liveAttrs are the attributes app.js's status poller reads: the endpoint
// and the status this page shows, so it can reload when they differ. None
// when the page does not poll.
func liveAttrs(d OrderData) templ.Attributes {
	if !polls(d) {
		return templ.Attributes{}
	}
	return templ.Attributes{"data-status-url": d.StatusURL, "data-status": d.Status}
}

// demoPayPage is the layout Page of the demo payment page. It never
// refreshes: a reload would be pointless with the buyer about to click.
func demoPayPage(d DemoPayData) Page {
	p := privatePage(d.Page, T(d.Lang, "title.demo_pay"))
	p.AutoRefresh = 0
	return p
}
