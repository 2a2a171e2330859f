package web

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
)

// adminRoutes registers the operator's dashboard under /admin. Only the
// sign-in page is public; every other route goes through requireAdmin
// (TestAdminRoutesNeedSession walks the route list to keep it that way).
func (a *App) adminRoutes() {
	adm := a.fiber.Group("/admin", a.adminHeaders)
	adm.Get("/sign-in", a.handleAdminSignIn)
	adm.Post("/sign-in", a.handleAdminSignInPost)

	auth := a.requireAdmin
	adm.Post("/sign-out", auth, a.handleAdminSignOut)
	adm.Get("", auth, a.handleAdminDashboard)
	adm.Get("/orders", auth, a.handleAdminOrders)
	adm.Get("/orders/:number", auth, a.handleAdminOrder)
	adm.Get("/orders/:number/esims/:id/qr.png", auth, a.handleAdminQR)
	for name, act := range a.orderActions() {
		adm.Post("/orders/:number/"+name, auth, a.orderAction(name, act))
	}
	adm.Get("/catalog", auth, a.handleAdminCatalog)
	adm.Post("/catalog/sync", auth, a.handleAdminSync)
	adm.Post("/catalog/featured", auth, a.handleAdminFeatured)
	adm.Get("/catalog/:sku", auth, a.handleAdminSKU)
	adm.Post("/catalog/:sku/hide", auth, a.handleAdminHide)
	adm.Post("/catalog/:sku/override", auth, a.handleAdminOverride)
	adm.Get("/pricing", auth, a.handleAdminPricing)
	adm.Post("/pricing/preview", auth, a.handleAdminPricingPreview)
	adm.Post("/pricing", auth, a.handleAdminPricingSave)
	adm.Get("/notices", auth, a.handleAdminNotices)
	adm.Get("/notices/:source/:id", auth, a.handleAdminNotice)
}

// adminHeaders marks every /admin response (pages, redirects, errors,
// QR images) as private: never cached, never indexed, no Referer out.
func (a *App) adminHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Robots-Tag", "noindex, nofollow")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	return c.Next()
}

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
	"check-status":     {"Status checked with Billionconnect; the result is below and in the timeline.", false},
	"vendor-error":     {"Billionconnect refused or did not answer; see the timeline and the log.", true},
	"refund-error":     {"The refund failed; nothing was marked. See the log, then try again.", true},
	"not-allowed":      {"That action is not possible in the order's current state.", true},
	"confirm":          {"Tick the confirmation box to refund.", true},
	"sync":             {"Catalog synced.", false},
	"sync-error":       {"The catalog sync failed; the previous catalog is kept. See the sync history.", true},
	"featured-invalid": {"Featured destinations not saved: use two-letter country codes (e.g. JP, TH, US), at most 48, separated by commas.", true},
	"hidden":           {"The plan is hidden from the shop.", false},
	"shown":            {"The plan is shown in the shop again.", false},
	"override":         {"Price override saved.", false},
	"override-cleared": {"Price override removed.", false},
	"featured":         {"Featured destinations saved.", false},
	"pricing":          {"Pricing rule saved; the shop's prices are updated.", false},
}

// adminPage is the layout data of a signed-in admin page, with a fresh
// action id for its forms and the flash named by ?done=.
func (a *App) adminPage(c *fiber.Ctx, title, section string) (views.AdminPage, error) {
	token, err := a.csrfToken(c)
	if err != nil {
		return views.AdminPage{}, err
	}
	p := views.AdminPage{
		Title: title, Email: signedIn(c).Email, CSRF: token, Nonce: nonceOf(c),
		Section: section, Demo: a.cfg.Demo, ActionID: newActionID(),
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

// actionIDPattern is the shape of a form's action_id: the page's random id
// and the form's name (see views.AdminPage.ActionID).
var actionIDPattern = regexp.MustCompile(`^[0-9a-f]{32}-[a-z0-9-]{1,40}$`)

// errNoActionID: an action form without a well-formed action_id cannot be
// told from its double submit, so it is refused.
var errNoActionID = &pageError{status: fiber.StatusBadRequest, key: "error.bad_request"}

// audit checks an action form (CSRF, action id) and records the action in
// the audit log before anything is done. dup is true when this very form
// was submitted before: the caller then does nothing at all.
func (a *App) audit(c *fiber.Ctx, action string, orderID int64, sku, detail string) (dup bool, err error) {
	if err := checkCSRF(c); err != nil {
		return false, err
	}
	id := c.FormValue("action_id")
	if !actionIDPattern.MatchString(id) {
		return false, errNoActionID
	}
	s := signedIn(c)
	dup, err = a.db.Audit(c.UserContext(), store.AuditEntry{
		At: a.adminNow(), AdminID: s.AdminID, AdminEmail: s.Email, Action: action,
		OrderID: orderID, SKUID: sku, Detail: detail, ActionID: utils.CopyString(id),
	})
	if dup {
		a.log.InfoContext(c.UserContext(), "admin action submitted twice; ignored", "action", action, "admin_id", s.AdminID)
	}
	return dup, err
}

// done redirects back to a page with a flash key (see flashes).
func done(c *fiber.Ctx, to, key string) error {
	return c.Redirect(to+"?done="+key, fiber.StatusSeeOther)
}

// adminTime formats a time for admin tables (UTC, to the minute); zero is "".
func adminTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// adminMoney formats an amount for the operator (English conventions).
func adminMoney(amount int64, currency string) string { return money(amount, currency, "en") }

// pageParam reads ?page= (1-based); anything but a sane positive number is a 400.
func pageParam(c *fiber.Ctx) (int, error) {
	v := c.Query("page")
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100000 {
		return 0, badRequest("error.bad_query_value", v)
	}
	return n, nil
}
