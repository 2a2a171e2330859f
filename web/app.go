// Package web is the application: the Fiber app, its routes, middleware and
// handlers, and the background work (catalog sync) that keeps the shop's
// data current. Business rules live in functions that take a context, so
// handlers, jobs and tests share them.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/netip"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/mail"
)

// Config is what the application needs from its environment.
type Config struct {
	BaseURL      string        // public URL without trailing slash, e.g. https://shop.example
	Demo         bool          // running on the vendor sandbox: show the demo banner
	SalesMethod  string        // vendor salesMethod for catalog calls
	SyncInterval time.Duration // how often the catalog is refreshed; 0 disables the loop
	Pricing      billing.Rule  // the pricing rule
	// Payments creates payment pages and reports on them: Stripe, or the
	// demo provider (which also enables the demo payment page).
	Payments billing.Provider
	// StripeWebhooks verifies Stripe webhooks; nil disables /webhooks/stripe.
	StripeWebhooks StripeWebhooks
	// VendorSecret verifies the vendor's notices (BC_APP_SECRET).
	VendorSecret string
	// Mailer sends email; nil keeps mails in the mail log only.
	Mailer   mail.Sender
	MailFrom string
	// ReconcileAfter is how long after placement a missing eSIM is checked
	// with the vendor (and, as long again later, handed to the operator).
	ReconcileAfter time.Duration
	Jobs           JobConfig
	// ProxyHeader names the header a trusted reverse proxy puts the
	// client's IP in (e.g. X-Forwarded-For); "" trusts no header.
	ProxyHeader    string
	TrustedProxies []string // IPs or CIDRs of those proxies
	// CheckoutPerMinute caps checkout attempts per client IP; 0 means 20.
	CheckoutPerMinute int
	// BalanceAlert is the vendor balance (a decimal in the vendor account's
	// currency) below which the dashboard warns; "" disables the warning.
	BalanceAlert string
	Logger       *slog.Logger
}

// App is the running shop.
type App struct {
	cfg    Config
	db     *store.DB
	vendor Vendor
	log    *slog.Logger
	fiber  *fiber.App
	jobs   JobConfig
	wakeCh chan struct{} // wakes idle job workers
	// proxies are the trusted reverse proxies (see clientIP).
	proxies []netip.Prefix

	cat    atomic.Pointer[catalog]      // the current priced catalog snapshot
	rule   atomic.Pointer[billing.Rule] // the pricing rule in force (settings, else cfg.Pricing)
	syncMu sync.Mutex                   // one catalog sync at a time
	// reloadMu serialises snapshot rebuilds, so a sync's rebuild can never
	// store a snapshot priced with a rule that a concurrent save replaced.
	reloadMu sync.Mutex
	admin    adminState // dashboard caches and the admin clock

	stop    context.CancelFunc // stops background loops
	bgDone  sync.WaitGroup     // background loops still running
	started bool
}

// New builds the application. It loads the stored catalog into memory but
// does not fetch anything from the vendor; call Start for that.
func New(cfg Config, db *store.DB, vendor Vendor) (*App, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.BaseURL == "" {
		return nil, errors.New("web: BaseURL is required")
	}
	if cfg.Payments == nil {
		return nil, errors.New("web: a payment provider is required")
	}
	if cfg.ReconcileAfter <= 0 {
		cfg.ReconcileAfter = 30 * time.Minute
	}
	a := &App{cfg: cfg, db: db, vendor: vendor, log: slog.New(requestIDHandler{cfg.Logger.Handler()}), jobs: cfg.Jobs.withDefaults(), wakeCh: make(chan struct{}, 1), proxies: trustedProxies(cfg.TrustedProxies)}
	if err := a.loadPricingRule(context.Background()); err != nil {
		return nil, err
	}
	if err := a.reloadCatalog(context.Background()); err != nil {
		return nil, err
	}
	// Loading the catalog is the start-up's one big allocation: return it
	// to the system now instead of keeping it resident.
	debug.FreeOSMemory()
	a.fiber = fiber.New(fiber.Config{
		AppName:               "esimshop",
		DisableStartupMessage: true,
		ErrorHandler:          a.handleError,
		ReadTimeout:           10 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		// Large enough for a vendor N006 carrying several global plans.
		BodyLimit:      1 << 20,
		ReadBufferSize: 16 << 10, // caps request header size
	})
	a.routes()
	return a, nil
}

// Handler returns the Fiber app, for tests (app.Test) and benchmarks.
func (a *App) Handler() *fiber.App { return a.fiber }

// Start runs the background work: the job workers, and a catalog sync now
// when the stored catalog is empty, then one every SyncInterval.
func (a *App) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	a.stop = cancel
	a.started = true
	a.goBackground(func() { a.syncLoop(ctx) })
	a.goBackground(func() { a.housekeeping(ctx) })
	for range a.jobs.Workers {
		a.goBackground(func() { a.runWorker(ctx) })
	}
}

// goBackground runs f as background work that Shutdown waits for.
func (a *App) goBackground(f func()) {
	a.bgDone.Add(1)
	go func() {
		defer a.bgDone.Done()
		f()
	}()
}

// Serve serves HTTP on ln until Shutdown.
func (a *App) Serve(ln net.Listener) error { return a.fiber.Listener(ln) }

// Shutdown stops accepting connections, waits for in-flight requests until
// ctx ends, then stops the background work. The caller closes the database
// afterwards.
func (a *App) Shutdown(ctx context.Context) error {
	err := a.fiber.ShutdownWithContext(ctx)
	if a.started {
		a.stop()
		done := make(chan struct{})
		go func() { a.bgDone.Wait(); close(done) }()
		select {
		case <-done:
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		}
	}
	return err
}

// catalog returns the current catalog snapshot.
func (a *App) catalog() *catalog { return a.cat.Load() }

// pricingRule returns the pricing rule in force.
func (a *App) pricingRule() billing.Rule { return *a.rule.Load() }

// reloadCatalog rebuilds the in-memory snapshot from the database with the
// rule in force, the operator's price overrides and featured destinations.
func (a *App) reloadCatalog(ctx context.Context) error {
	a.reloadMu.Lock()
	defer a.reloadMu.Unlock()
	products, err := a.db.ActiveProducts(ctx)
	if err != nil {
		return err
	}
	overrides, err := a.priceOverrides(ctx)
	if err != nil {
		return err
	}
	featured, err := a.db.FeaturedDestinations(ctx)
	if err != nil {
		return err
	}
	c := buildCatalog(products, a.pricingRule(), overrides, a.log)
	c.featured = featured
	a.cat.Store(c)
	a.log.Info("catalog loaded", "catalog", c.String())
	return nil
}
