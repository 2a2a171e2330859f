// Package web is the storefront and the process's HTTP front door: the
// Fiber app, its routes and middleware, the buyer's pages, the webhook
// endpoints, and the error pages. It wires the core (web/shop), the
// catalog (web/catalog) and the admin (web/admin) together; handlers parse
// and validate a request, make one call into those, and render.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/account"
	"github.com/esimshop/esimshop/web/admin"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/content"
	"github.com/esimshop/esimshop/web/devices"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/mail"
	"github.com/esimshop/esimshop/web/metrics"
	"github.com/esimshop/esimshop/web/shop"
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
	StripeWebhooks shop.StripeWebhooks
	// VendorSecret verifies the vendor's notices (BC_APP_SECRET);
	// VendorSecretPrevious also does during a rotation
	// (BC_APP_SECRET_PREVIOUS). VendorAppKey is the x-channel-id notices
	// must carry (BC_APP_KEY; "" skips the check).
	VendorSecret, VendorSecretPrevious, VendorAppKey string
	// VendorOrderEmail is the address F040 gives the vendor, which mails
	// its own eSIM email there (BC_ORDER_EMAIL=shop: the shop's address);
	// "" gives the buyer's.
	VendorOrderEmail string
	// SyncMaxDrop is the share of the live catalog a sync may remove
	// before it is held for the operator; 0 means 0.5.
	SyncMaxDrop float64
	// Mailer sends email; nil keeps mails in the mail log only.
	Mailer   mail.Sender
	MailFrom string
	// Metrics, when set, counts every request and serves GET /metrics.
	Metrics *metrics.Metrics
	// ReplicaLag, when set, says how long ago the off-machine replica
	// last had every change; /readyz fails past MaxReplicaLag.
	ReplicaLag func() time.Duration
	// ReconcileAfter is how long after placement a missing eSIM is checked
	// with the vendor (and, as long again later, handed to the operator).
	ReconcileAfter time.Duration
	// UsageRefresh is the least time between two vendor calls for one
	// eSIM's usage and install status (USAGE_REFRESH); 0 means 5 minutes.
	UsageRefresh time.Duration
	Jobs         shop.JobConfig
	// Devices is the eSIM compatibility list (/help/devices); the zero
	// value means the built-in list.
	Devices devices.List
	// NoticeRetention is how long vendor notices are kept (see
	// shop.Deps.NoticeRetention).
	NoticeRetention time.Duration
	// ProxyHeader names the header a trusted reverse proxy puts the
	// client's IP in (e.g. X-Forwarded-For); "" trusts no header.
	ProxyHeader    string
	TrustedProxies []string // IPs or CIDRs of those proxies
	// CheckoutPerMinute caps checkout attempts per client IP; 0 means 20.
	CheckoutPerMinute int
	// BalanceAlert is the vendor balance (a decimal in the vendor account's
	// currency) below which the dashboard warns; "" disables the warning.
	BalanceAlert string
	// AdminClock is the admin's clock (sessions, sign-in limits); default
	// time.Now. Tests move it.
	AdminClock func() time.Time
	Logger     *slog.Logger
}

// App is the running shop.
type App struct {
	cfg   Config
	db    *store.DB
	log   *slog.Logger
	fiber *fiber.App
	ip    *httpx.ClientIP
	cat   *catalog.Catalog
	shop  *shop.Shop
	admin *admin.Admin
	// signIn and account are "My eSIMs" and the order page's "email me
	// this link again": the core and its handlers.
	signIn  *shop.SignIn
	account *account.Handlers
	usage   *shop.Usage // usage and install status on the order page
	site    *site
}

// New builds the application. It loads the stored catalog into memory but
// does not fetch anything from the vendor; call Start for that.
func New(cfg Config, db *store.DB, vendor shop.Vendor) (*App, error) {
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
	log := slog.New(httpx.RequestIDHandler{Handler: cfg.Logger.Handler()})
	cat, err := catalog.Open(context.Background(), db, cfg.Pricing, log)
	if err != nil {
		return nil, err
	}
	// Loading the catalog is the start-up's one big allocation: return it
	// to the system now instead of keeping it resident.
	debug.FreeOSMemory()
	lib, err := content.Open(context.Background(), db, views.DefaultLang, cfg.Demo)
	if err != nil {
		return nil, err
	}
	core, err := shop.New(shop.Deps{
		DB: db, Catalog: cat, Vendor: vendor, Payments: cfg.Payments, Stripe: cfg.StripeWebhooks,
		Mailer: cfg.Mailer, Log: log, BaseURL: cfg.BaseURL, MailFrom: cfg.MailFrom, Demo: cfg.Demo,
		VendorSecret: cfg.VendorSecret, VendorSecretPrevious: cfg.VendorSecretPrevious, VendorAppKey: cfg.VendorAppKey,
		SalesMethod: cfg.SalesMethod, SyncInterval: cfg.SyncInterval, SyncMaxDrop: cfg.SyncMaxDrop,
		VendorOrderEmail: cfg.VendorOrderEmail, ContactURL: contactURL(lib, cfg.BaseURL),
		ReconcileAfter: cfg.ReconcileAfter, Jobs: cfg.Jobs, NoticeRetention: cfg.NoticeRetention,
	})
	if err != nil {
		return nil, err
	}
	a := &App{cfg: cfg, db: db, log: log, cat: cat, shop: core, ip: httpx.NewClientIP(cfg.ProxyHeader, cfg.TrustedProxies)}
	a.site = &site{a: a, lib: lib}
	a.admin = admin.New(admin.Deps{
		DB: db, Shop: core, Catalog: cat, ClientIP: a.ip, Log: log,
		Content: lib, BaseURL: cfg.BaseURL, Demo: cfg.Demo, BalanceAlert: cfg.BalanceAlert, Now: cfg.AdminClock,
	})
	a.signIn = shop.NewSignIn(shop.SignInDeps{
		DB: db, Mailer: cfg.Mailer, MailFrom: cfg.MailFrom, BaseURL: cfg.BaseURL, Demo: cfg.Demo, Log: log,
	})
	uv, _ := vendor.(shop.UsageVendor) // nil: the order page shows no usage
	a.usage = shop.NewUsage(shop.UsageDeps{DB: db, Vendor: uv, Log: log, Every: cfg.UsageRefresh})
	tv, _ := vendor.(shop.TopUpVendor) // nil: no top-ups offered
	a.account = account.New(account.Deps{
		SignIn: a.signIn, TopUps: shop.NewTopUps(shop.TopUpDeps{DB: db, Catalog: cat, Vendor: tv, Payments: cfg.Payments, BaseURL: cfg.BaseURL}), DB: db, ClientIP: a.ip, OrderByToken: a.orderByToken,
		Page:   func(c *fiber.Ctx, path, title string) views.Page { return a.page(c, path, title, "", nil) },
		Secure: httpx.Secure(cfg.BaseURL), DemoOutbox: cfg.Demo && cfg.Mailer == nil, Log: log,
	})
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

// Start runs the background work (see shop.Shop.Start).
func (a *App) Start() { a.shop.Start() }

// Serve serves HTTP on ln until Shutdown.
func (a *App) Serve(ln net.Listener) error { return a.fiber.Listener(ln) }

// Shutdown stops accepting connections, waits for in-flight requests until
// ctx ends, then stops the background work. The caller closes the database
// afterwards.
func (a *App) Shutdown(ctx context.Context) error {
	err := a.fiber.ShutdownWithContext(ctx)
	a.signIn.Wait() // link emails in flight (each bounded by its own time-out)
	return errors.Join(err, a.shop.Stop(ctx))
}

// SyncCatalog runs one catalog sync now (see shop.Shop.SyncCatalog).
func (a *App) SyncCatalog(ctx context.Context) (store.SyncRun, error) {
	return a.shop.SyncCatalog(ctx)
}

// EnsureAdmin creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD
// when no admin exists yet (see admin.EnsureAccount).
func (a *App) EnsureAdmin(ctx context.Context, email, password string) (bool, error) {
	return admin.EnsureAccount(ctx, a.db, email, password)
}

// snapshot is the catalog snapshot in force.
func (a *App) snapshot() *catalog.Snapshot { return a.cat.Snapshot() }
