package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/esimshop/esimshop/store"
)

// routes registers every route. Webhook routes (later) are registered
// before the page middleware so they skip language, CSRF and the like.
func (a *App) routes() {
	f := a.fiber
	f.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: a.logPanic}))
	f.Use(a.requestID, a.accessLog, a.securityHeaders)
	f.Get("/static/:name", a.handleStatic)
	f.Get("/robots.txt", a.handleRobots)
	f.Get("/sitemap.xml", a.handleSitemap)
	f.Get("/healthz", a.handleHealth)
	f.Get("/readyz", a.handleReady)
	// The vendor's callback URL of the WordPress shop keeps working.
	hooks := a.webhookLimiter()
	f.Post("/webhooks/billionconnect", hooks, a.handleVendorNotice)
	f.Post("/wp-json/bcesim/v1/webhook", hooks, a.handleVendorNotice)
	if a.cfg.StripeWebhooks != nil {
		f.Post("/webhooks/stripe", hooks, a.handleStripeWebhook)
	}
	// The admin dashboard is English-only: registered before the language
	// middleware so it never runs for /admin.
	a.adminRoutes()

	pages := f.Group("", a.language)
	pages.Get("/", a.handleHome)
	pages.Get("/search", a.handleSearch)
	pages.Get("/destinations/:cc", a.handleDestination)
	pages.Get("/regions/:slug", a.handleRegion)
	pages.Get("/plans/:sku", a.handlePlan)
	pages.Get("/help/install", a.handleInstallHelp)
	pages.Post("/checkout", a.checkoutLimiter(), a.handleCheckout)
	pages.Get("/orders/:token", a.handleOrder)
	pages.Get("/orders/:token/status", a.handleOrderStatus)
	pages.Get("/orders/:token/esims/:id/qr.png", a.handleQR)
	if a.cfg.Payments.Name() == store.ProviderDemo {
		pages.Get("/demo/pay/:token", a.handleDemoPay)
		pages.Post("/demo/pay/:token/pay", a.handleDemoPayConfirm)
		pages.Post("/demo/pay/:token/cancel", a.handleDemoPayCancel)
	}
	if a.cfg.Demo && a.cfg.Mailer == nil {
		pages.Get("/demo/outbox/:token", a.handleDemoOutbox)
	}
	// Anything else is a localised 404 page.
	pages.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
