package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/devices"
	"github.com/esimshop/esimshop/web/httpx"
)

// requestDeadline bounds one request's work, well inside the server's
// write timeout and the vendor's patience for a notice's answer.
const requestDeadline = 10 * time.Second

// routes registers every route. Webhook routes are registered before the
// page middleware so they skip language, CSRF and the like.
func (a *App) routes() {
	f := a.fiber
	https := httpx.Secure(a.cfg.BaseURL)
	f.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: httpx.LogPanic(a.log)}))
	if a.cfg.Metrics != nil {
		// First, so the count includes everything below, even panics
		// turned into 500s.
		f.Use(a.cfg.Metrics.Middleware())
		f.Get("/metrics", a.cfg.Metrics.Handler())
	}
	f.Use(httpx.RequestID, httpx.AccessLog(a.log), httpx.SecurityHeaders(https), httpx.Deadline(requestDeadline))
	// Brotli or gzip by Accept-Encoding for CSS, JS and every page not
	// served from the page cache (the plan and order pages); cached pages
	// carry their own gzip, which the middleware leaves alone.
	f.Use(compress.New(compress.Config{Level: compress.LevelDefault}))
	f.Get("/static/:name", handleStatic)
	f.Get("/robots.txt", a.handleRobots)
	f.Get("/sitemap.xml", a.handleSitemap)
	f.Get("/healthz", handleHealth)
	f.Get("/readyz", a.handleReady)
	// The vendor's callback URL of the WordPress shop keeps working. The
	// core verifies first and limits only failed signatures, so no flood
	// of junk can get a genuine notice refused.
	f.Post("/webhooks/billionconnect", a.handleVendorNotice)
	f.Post("/wp-json/bcesim/v1/webhook", a.handleVendorNotice)
	if a.cfg.StripeWebhooks != nil {
		f.Post("/webhooks/stripe", a.handleStripeWebhook)
	}
	// The admin dashboard is English-only: mounted before the language
	// middleware so it never runs for /admin.
	a.admin.Mount(f)

	pages := f.Group("", httpx.Language(https))
	pages.Get("/", a.site.handleHomeQuery, a.handleHome)
	pages.Get("/search", a.handleSearch)
	pages.Get("/destinations/:cc", a.handleDestination)
	pages.Get("/regions/:slug", a.handleRegion)
	pages.Get("/plans/:sku", a.handlePlan)
	pages.Get("/help/install", a.handleInstallHelp)
	list := a.cfg.Devices
	if len(list.Brands) == 0 {
		list = devices.Default()
	}
	pages.Get("/help/devices", handleDevices(a, list))
	pages.Get("/orders/:token", a.handleOrder)
	pages.Get("/orders/:token/status", a.handleOrderStatus)
	pages.Get("/orders/:token/esims/:id/qr.png", a.handleQR)
	// The checkout re-renders its form on a bad token (handleCheckout), so
	// it checks CSRF itself; the demo's forms go through their group's.
	pages.Post("/checkout", a.checkoutLimiter(), a.handleCheckout)
	demo := pages.Group("/demo", csrfOnPost)
	if a.cfg.Payments.Name() == store.ProviderDemo {
		demo.Get("/pay/:token", a.handleDemoPay)
		demo.Post("/pay/:token/pay", a.handleDemoPayConfirm)
		demo.Post("/pay/:token/cancel", a.handleDemoPayCancel)
	}
	if a.cfg.Demo && a.cfg.Mailer == nil {
		demo.Get("/outbox/:token", a.handleDemoOutbox)
	}
	a.account.Mount(pages)
	pages.Get("/guides", a.site.handleGuides)
	pages.Get("/guides/:slug", a.site.handleGuide)
	pages.Get("/:slug", a.site.handlePage)
	// Anything else is an old URL's redirect or a localised 404 page.
	pages.Use(a.site.fallback)
}

// csrfOnPost refuses a buyer's form post without the CSRF token.
func csrfOnPost(c *fiber.Ctx) error {
	if c.Method() == fiber.MethodPost {
		return httpx.RequireCSRF(c)
	}
	return c.Next()
}
