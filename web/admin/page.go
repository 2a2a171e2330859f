package admin

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/present"
)

// flashes are the only texts a ?done= redirect can show: the key picks one,
// so a crafted link cannot put words on the operator's screen.
var flashes = map[string]struct {
	msg string
	bad bool
}{
	"dup":              {"That form was already submitted (a double click?), so nothing was repeated. Its outcome is in the timeline and the audit log below.", false},
	"nothing":          {"Nothing to do: that is already under way.", false},
	"retry-placement":  {"Vendor placement queued again.", false},
	"resend-email":     {"The eSIM email is queued to be sent again.", false},
	"vendor-resend":    {"Billionconnect was asked to re-send its eSIM email.", false},
	"refund":           {"The order was refunded in full.", false},
	"note-added":       {"Note added to the timeline (private: the buyer does not see it).", false},
	"note-invalid":     {"Note not added: write 1 to 2000 characters.", true},
	"email-changed":    {"Buyer email changed. Resend the eSIM email if they need it at the new address.", false},
	"email-invalid":    {"Email not changed: that is not an email address.", true},
	"esim-entered":     {"eSIM stored. The order is delivered once every line has its eSIMs.", false},
	"esim-delivered":   {"eSIM stored: the order is delivered and the eSIM email is on its way.", false},
	"esim-invalid":     {"eSIM not stored: check the ICCID (18 to 22 digits, not already stored) and the activation string (LPA:1$…).", true},
	"refund-queued":    {"Refund queued: the vendor cancel and the payment refund run now; their results show below.", false},
	"check-status":     {"Status checked with Billionconnect; the result is below and in the timeline.", false},
	"vendor-error":     {"Billionconnect refused or did not answer; see the timeline and the log.", true},
	"refund-error":     {"The refund failed; nothing was marked. See the log, then try again.", true},
	"not-allowed":      {"That action is not possible in the order's current state.", true},
	"confirm":          {"Tick the confirmation box to refund.", true},
	"sync":             {"Catalog synced.", false},
	"sync-error":       {"The catalog sync failed; the previous catalog is kept. See the sync history.", true},
	"sync-held":        {"The catalog sync was held: it would remove too much of the live catalog. Review it in the sync history and apply it if it is right.", true},
	"sync-applied":     {"The held catalog was applied.", false},
	"apply-stale":      {"That sync can no longer be applied: a newer sync has run.", true},
	"featured-invalid": {"Featured destinations not saved: use two-letter country codes (e.g. JP, TH, US), at most 48, separated by commas.", true},
	"hidden":           {"The plan is hidden from the shop.", false},
	"shown":            {"The plan is shown in the shop again.", false},
	"override":         {"Price override saved.", false},
	"override-cleared": {"Price override removed.", false},
	"featured":         {"Featured destinations saved.", false},
	"pricing":          {"Pricing rule saved; the shop's prices are updated.", false},
	"lifted":           {"Sign-in limits lifted for that account or address.", false},
	"content-saved":    {"Saved; the shop shows the change now.", false},
	"content-deleted":  {"That version was deleted.", false},
	"redirect-saved":   {"Redirect saved.", false},
	"redirect-deleted": {"Redirect deleted.", false},
	"created":          {"Account created. Give its owner the password you chose; they can change it under Account.", false},
	"exists":           {"An account with that email exists already.", true},
	"invalid":          {"Not created: enter a valid email, a role and a password of 12 to 72 characters.", true},
	"role":             {"Role changed; that account was signed out so the new role applies at once.", false},
	"last-owner":       {"The last owner keeps the owner role.", true},
	"password":         {"Password changed. Your other sessions were signed out.", false},
	"bad-current":      {"Your current password was not right; nothing changed.", true},
	"bad-new":          {"The new password must be 12 to 72 characters, typed the same twice.", true},
}

// adminPage is the layout data of a signed-in admin page, with a fresh
// action id for its forms and the flash named by ?done=.
func (a *Admin) adminPage(c *fiber.Ctx, title, section string) (views.AdminPage, error) {
	token, err := httpx.CSRFToken(c, httpx.Secure(a.BaseURL))
	if err != nil {
		return views.AdminPage{}, err
	}
	p := views.AdminPage{
		Title: title, Email: signedIn(c).Email, Role: string(signedIn(c).Role), CSRF: token, Nonce: httpx.Nonce(c),
		Section: section, Demo: a.Demo, ActionID: newActionID(),
	}
	if f, ok := flashes[c.Query("done")]; ok {
		p.Flash, p.FlashError = f.msg, f.bad
	}
	return p, nil
}

// newActionID is a random id for one render of a page's forms.
func newActionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// audit records an action in the audit log under the form's action id
// (checked by actionIDOnPost) before anything is done. dup is true when
// this very form was submitted before: the caller then does nothing.
func (a *Admin) audit(c *fiber.Ctx, action string, orderID int64, sku, detail string) (dup bool, err error) {
	s := signedIn(c)
	dup, err = a.DB.Audit(c.UserContext(), store.AuditEntry{
		At: a.Now(), AdminID: s.AdminID, AdminEmail: s.Email, Action: action,
		OrderID: orderID, SKUID: sku, Detail: detail, ActionID: actionID(c), IP: a.ClientIP.Of(c),
	})
	if dup {
		a.Log.InfoContext(c.UserContext(), "admin action submitted twice; ignored", "action", action, "admin_id", s.AdminID)
	}
	return dup, err
}

// done redirects back to a page with a flash key (see flashes).
func done(c *fiber.Ctx, to, key string) error {
	return c.Redirect(to+"?done="+key, fiber.StatusSeeOther)
}

// ErrorPage renders an error for a signed-in operator in the admin's
// layout (English, like the admin); ok is false when the request is not
// an admin page of a signed-in operator, and the caller renders the
// storefront's error page instead.
func (a *Admin) ErrorPage(c *fiber.Ctx, status int, key string, args []any) (ok bool, err error) {
	if len(c.Path()) < len("/admin/") || c.Path()[:len("/admin/")] != "/admin/" || signedIn(c).Email == "" {
		return false, nil
	}
	c.Set("X-Robots-Tag", "noindex, nofollow")
	p, err := a.adminPage(c, "Error "+strconv.Itoa(status), "")
	if err != nil {
		return false, nil
	}
	return true, httpx.Render(c, status, views.AdminError(views.AdminErrorData{AdminPage: p, Status: status, Message: views.T("en", key, args...)}))
}

// adminTime formats a time for admin tables (UTC, to the minute); zero is "".
func adminTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// adminMoney formats an amount for the operator (English conventions).
func adminMoney(amount int64, currency string) string { return present.Money(amount, currency, "en") }

// pageParam reads ?page= (1-based); anything but a sane positive number is a 400.
func pageParam(c *fiber.Ctx) (int, error) {
	v := c.Query("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100000 {
		return 0, httpx.BadRequest("error.bad_query_value", v)
	}
	return n, nil
}

// FlashMessage is the text a ?done= key shows ("" for an unknown key).
func FlashMessage(key string) string { return flashes[key].msg }
