// Package admin is the operator's dashboard under /admin: its routes and
// handlers, the view models of its pages, sign-in, sessions and their rate
// limits, and the middleware every signed-in form goes through (CSRF and
// the one-time action id). What an action does is the core's (package
// shop); the admin parses, validates, calls it and shows the outcome.
package admin

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/content"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/shop"
)

// Deps is what the admin needs.
type Deps struct {
	DB      *store.DB
	Shop    *shop.Shop
	Catalog *catalog.Catalog
	// Content is the published pages and guides, reloaded after each edit.
	Content  *content.Library
	ClientIP *httpx.ClientIP
	Log      *slog.Logger
	BaseURL  string
	Demo     bool
	// BalanceAlert is the vendor balance (a decimal in the vendor account's
	// currency) below which the dashboard warns; "" disables the warning.
	BalanceAlert string
	// Now is the admin clock (sessions, sign-in limits, dashboard periods);
	// default time.Now. Tests move it to expire sessions.
	Now func() time.Time
}

// Admin serves the dashboard.
type Admin struct {
	Deps
	signins signinLimiter
}

// New builds the admin.
func New(d Deps) *Admin {
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Admin{Deps: d}
}

// Mount registers the dashboard under /admin. Only the sign-in page is
// public. Everything after it goes through the signed-in group's
// middleware: a valid session (TestAdminRoutesNeedSession walks the route
// list to keep it that way), the role's permission (roles.go), then for
// every POST the CSRF token, then for
// every POST but sign-out a well-formed one-time action id
// (TestEveryPostChecksCSRF walks it too).
func (a *Admin) Mount(f *fiber.App) {
	adm := f.Group("/admin", privateAdmin)
	adm.Get("/sign-in", a.handleSignIn)
	adm.Post("/sign-in", httpx.RequireCSRF, a.handleSignInPost)

	in := adm.Group("", a.requireAdmin, requireRole, csrfOnPost)
	in.Post("/sign-out", a.handleSignOut)
	in.Use(actionIDOnPost)
	in.Get("", a.handleDashboard)
	in.Get("/orders", a.handleOrders)
	in.Get("/orders/:number", a.handleOrder)
	in.Get("/orders/:number/esims/:id/qr.png", a.handleQR)
	for name, act := range a.orderActions() {
		in.Post("/orders/:number/"+name, a.handleOrderAction(name, act))
	}
	in.Get("/catalog", a.handleCatalog)
	in.Post("/catalog/sync", a.handleSync)
	in.Post("/catalog/sync/apply", a.handleApplySync)
	in.Post("/catalog/featured", a.handleFeatured)
	in.Get("/catalog/:sku", a.handleSKU)
	in.Post("/catalog/:sku/hide", a.handleHide)
	in.Post("/catalog/:sku/override", a.handleOverride)
	in.Get("/pricing", a.handlePricing)
	in.Post("/pricing/preview", a.handlePricingPreview)
	in.Post("/pricing", a.handlePricingSave)
	in.Get("/notices", a.handleNotices)
	in.Get("/notices/:source/:id", a.handleNotice)
	in.Get("/signins", a.handleSignIns)
	in.Post("/signins/lift", a.handleLiftSignIn)
	(&contentAdmin{a}).mount(in)
	Business{a}.mount(in)
	Staff{a}.mount(in)
	mountSupport(a, in)
	// An unknown admin URL is a 404 in the admin's layout.
	in.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// privateAdmin marks every /admin response (pages, redirects, errors,
// QR images) as private: never cached, never indexed, no Referer out.
func privateAdmin(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Robots-Tag", "noindex, nofollow")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	return c.Next()
}
