package views

import (
	"net/url"
	"strconv"
	"strings"
)

// Admin routes the templates link to. web registers the same paths
// (everything under /admin); they live here as constants so a page and its
// test agree on them.
const (
	AdminPath        = "/admin"
	AdminSignInPath  = "/admin/sign-in"
	AdminSignOutPath = "/admin/sign-out"
)

// adminNavItem is one entry of the admin header navigation.
type adminNavItem struct {
	Section, Label, URL string
	OwnerOnly           bool // hidden from support and viewers (the server refuses them anyway)
}

// adminNav is the admin header navigation, in display order.
var adminNav = []adminNavItem{
	{"dashboard", "Dashboard", AdminPath, false},
	{"orders", "Orders", AdminPath + "/orders", false},
	{"catalog", "Catalog", AdminPath + "/catalog", false},
	{"pricing", "Pricing", AdminPath + "/pricing", true},
	{"notices", "Notices", AdminPath + "/notices", false},
	{"content", "Pages", AdminPath + "/content", true},
	{"redirects", "Redirects", AdminPath + "/redirects", true},
	{"signins", "Sign-ins", AdminPath + "/signins", true},
	{"reports", "Reports", AdminPath + "/reports", false},
	{"customers", "Customers", AdminPath + "/customers", false},
	{"audit", "Audit log", AdminPath + "/audit", true},
	{"staff", "Staff", AdminPath + "/staff", true},
	{"account", "Account", AdminPath + "/account", false},
}

// noticeSources are the tabs of the notices page, in display order.
var noticeSources = []adminNavItem{
	{"vendor", "Billionconnect", "", false},
	{"stripe", "Stripe", "", false},
}

// adminTitle is the document title: the page's, then the product, so
// several admin tabs stay tellable apart.
func adminTitle(p AdminPage) string {
	if p.Title == "" {
		return "esimshop admin"
	}
	return p.Title + " · esimshop admin"
}

// badgeKind maps a status word (order status, notice verdict, job state,
// mail status) to its colour: "bad" (red) needs the operator, "ok" (green)
// is finished well, "warn" (amber) is finished badly or oddly without
// needing action, "info" (blue) is moving, and anything else, including an
// unknown word, is "muted" (grey) rather than a guessed colour.
func badgeKind(status string) string {
	switch status {
	case statusNeedsAttention, "rejected", "failed", "malformed", "mismatch", "error", "held":
		return "bad"
	case statusDelivered, "accepted", "sent", "done", "ok", "active":
		return "ok"
	case statusPaymentFailed, "refunded", "unmatched", "hidden", "below_cost":
		return "warn"
	case statusPaid, statusPlacing, statusPlaced, "running":
		return "info"
	}
	return "muted"
}

// badgeText is a status word as shown: underscores become spaces.
func badgeText(status string) string {
	if status == "" {
		return "—"
	}
	return strings.ReplaceAll(status, "_", " ")
}

// actionID is the hidden "action_id" value of the form named form (see
// AdminPage.ActionID); "" when the page has no ActionID.
func actionID(p AdminPage, form string) string {
	if p.ActionID == "" {
		return ""
	}
	return p.ActionID + "-" + form
}

// actionURL is the POST target of an order action.
func actionURL(base, name string) string {
	return strings.TrimSuffix(base, "/") + "/" + name
}

// dash shows an empty value as a dash, so an empty table cell reads as
// "none" rather than as a rendering fault.
func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// itoa formats an int for a template.
func itoa(n int) string { return strconv.Itoa(n) }

// boolChoice is one option of a yes/no/any filter select.
type boolChoice struct{ Value, Label string }

// boolChoices are the options of a yes/no/any filter select.
var boolChoices = []boolChoice{{"", "any"}, {"1", "yes"}, {"0", "no"}}

// typeChoices are the options of the catalog's plan type filter.
var typeChoices = []boolChoice{{"", "any"}, {"total", "total data"}, {"daily", "daily"}}

// basisChoices are the pricing rule's price bases (billing.BasisRetail,
// billing.BasisSettlement).
var basisChoices = []boolChoice{{"retail", "vendor retail price"}, {"settlement", "settlement price (our cost)"}}

// syncSummary is one line describing a sync run's outcome.
func syncSummary(s SyncRow) string {
	if s.Held {
		return "held: would remove " + strconv.Itoa(s.Removed) + " of " + strconv.Itoa(s.Products) + " live products; the live catalog is unchanged"
	}
	if !s.OK {
		return "failed"
	}
	line := strconv.Itoa(s.Products) + " products · +" + strconv.Itoa(s.Added) + " −" + strconv.Itoa(s.Removed) +
		" · " + strconv.Itoa(s.PriceChanges) + " price changes"
	if s.Skipped > 0 {
		line += " · " + strconv.Itoa(s.Skipped) + " vendor records skipped"
	}
	return line
}

// invalidAttr marks a form control invalid for assistive technology.
func invalidAttr(errs map[string]string, field string) string {
	if errs[field] != "" {
		return "true"
	}
	return "false"
}

// anyAttention reports whether some order row carries an attention reason.
func anyAttention(rows []AdminOrderRow) bool {
	for _, r := range rows {
		if r.Attention != "" {
			return true
		}
	}
	return false
}

// syncStatus is the badge word of a sync run.
func syncStatus(s SyncRow) string {
	switch {
	case s.Held:
		return "held"
	case s.OK:
		return "ok"
	}
	return "failed"
}

// signedWithLabel says which secret verified a vendor notice.
func signedWithLabel(s string) string {
	switch s {
	case "current":
		return "current secret (BC_APP_SECRET)"
	case "previous":
		return "previous secret (BC_APP_SECRET_PREVIOUS): the vendor still signs with the old secret"
	}
	return "not verified"
}

// plural is "1 order" or "3 orders".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// itoa64 formats a record id for a template.
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// sourceLabel names a notice source for headings.
func sourceLabel(source string) string {
	for _, s := range noticeSources {
		if s.Section == source {
			return s.Label
		}
	}
	return "Incoming"
}

// adminSKUURL is the admin page of a SKU; the id is the vendor's, so it is
// escaped rather than trusted to be path-safe.
func adminSKUURL(sku string) string {
	return AdminPath + "/catalog/" + url.PathEscape(sku)
}

// adminOperators lists a country's networks verbatim, Chinese names
// included: unlike the buyer's pages (operatorsLabel), the operator needs
// to see exactly what the vendor sent.
func adminOperators(ops []OperatorRow) string {
	parts := make([]string, 0, len(ops))
	for _, o := range ops {
		s := o.Name
		if o.Network != "" {
			s += " (" + o.Network + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// describedBy links a field to its hint and, when invalid, its error.
func describedBy(errs map[string]string, field string) string {
	if errs[field] != "" {
		return field + "-hint " + field + "-error"
	}
	return field + "-hint"
}

// navFor is the navigation a role sees: the owner all of it, others
// without the owner's pages.
func navFor(p AdminPage) []adminNavItem {
	if p.Role == "" || p.Role == "owner" {
		return adminNav
	}
	var out []adminNavItem
	for _, n := range adminNav {
		if !n.OwnerOnly {
			out = append(out, n)
		}
	}
	return out
}
