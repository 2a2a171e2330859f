// Package shop is the order's life without HTTP: starting a checkout,
// confirming a payment, ingesting the vendor's notices, placing orders with
// the vendor, reconciling, sending the delivery email, the operator's
// actions (retry, re-send, refund, status check), the catalog sync, and
// the job workers that run the background part of all that. Handlers and
// workers call the same functions; nothing here knows about Fiber.
package shop

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/mail"
)

// Vendor is the part of the Billionconnect API the shop uses; *bc.Client
// implements it.
type Vendor interface {
	CatalogSource
	CreateOrder(ctx context.Context, r bc.CreateOrderRequest) (*bc.CreateOrderResult, error)
	QueryOrder(ctx context.Context, channelOrderID string) (*bc.OrderInfo, error)
	// ResendEmail (F041) asks the vendor to mail an order's eSIMs again.
	ResendEmail(ctx context.Context, orderID, email string) error
	// ProfileStatus (F042) reports an eSIM profile's status history.
	ProfileStatus(ctx context.Context, iccid string) ([]bc.ProfileStatusRecord, error)
	// Balance (F014) reports the reseller account's balance.
	Balance(ctx context.Context) (*bc.Balance, error)
	// CancelOrder (F008) cancels a whole vendor order that was not used.
	CancelOrder(ctx context.Context, orderID string) error
	// AfterSale (F017) cancels chosen eSIMs of a vendor order.
	AfterSale(ctx context.Context, r bc.AfterSaleRequest) error
}

// CatalogSource is the part of the vendor API the catalog sync needs.
type CatalogSource interface {
	Countries(ctx context.Context, salesMethod string) ([]bc.Country, error)
	// SKUs and Prices decode record by record: records that fail come
	// back in rejected and the rest is kept.
	SKUs(ctx context.Context, q bc.SKUQuery) (skus []bc.SKU, rejected []bc.Rejected, err error)
	Prices(ctx context.Context, salesMethod string) (prices []bc.SKUPrice, rejected []bc.Rejected, err error)
}

var _ Vendor = (*bc.Client)(nil)

// StripeWebhooks verifies and decodes Stripe webhook deliveries;
// *billing.Stripe implements it.
type StripeWebhooks interface {
	ParseWebhook(payload []byte, sigHeader string) (billing.WebhookEvent, error)
}

// Deps is everything the shop's core needs, as plain values. Zero values
// of the optional fields take the defaults documented on them.
type Deps struct {
	DB       *store.DB
	Catalog  *catalog.Catalog
	Vendor   Vendor
	Payments billing.Provider // Stripe, or the demo provider
	Stripe   StripeWebhooks   // nil when Stripe is not configured
	Mailer   mail.Sender      // nil keeps mails in the mail log only
	Log      *slog.Logger     // default slog.Default()
	Now      func() time.Time // the clock; default time.Now

	BaseURL  string // public URL without trailing slash, for links in mails and payment pages
	MailFrom string
	// ContactURL is the published contact page for a language (absolute),
	// linked from every email; nil or "" links none.
	ContactURL   func(lang string) string
	Demo         bool   // running on the vendor sandbox
	VendorSecret string // verifies the vendor's notices (BC_APP_SECRET)
	// VendorSecretPrevious also verifies notices while the app secret is
	// being rotated (BC_APP_SECRET_PREVIOUS; the vendor keeps the old one
	// valid for 48 hours); "" accepts only VendorSecret.
	VendorSecretPrevious string
	// VendorOrderEmail is the email F040 sends: the vendor mails its own,
	// supplier-branded eSIM email there. The shop's address
	// (BC_ORDER_EMAIL=shop) keeps the traveller to one email, the shop's;
	// "" sends the buyer's address.
	VendorOrderEmail string
	// VendorAppKey is what x-channel-id must be on a notice (BC_APP_KEY);
	// "" skips that check.
	VendorAppKey string
	SalesMethod  string // vendor salesMethod for catalog calls
	// SyncInterval is how often the catalog is refreshed; 0 disables the loop.
	SyncInterval time.Duration
	// SyncMaxDrop is the share (0–1) of the live catalog a sync may
	// remove before it is held for the operator instead of swapped in;
	// 0 means 0.5, 1 or more never holds.
	SyncMaxDrop float64
	// ReconcileAfter is how long after placement a missing eSIM is checked
	// with the vendor (and, as long again later, handed to the operator);
	// default 30 minutes.
	ReconcileAfter time.Duration
	// NoticeRetention is how long vendor notices are kept, except the first
	// copy of each notice about an order; default 90 days.
	NoticeRetention time.Duration
	Jobs            JobConfig
}

// Shop runs the order's life. Its methods are safe for concurrent use.
type Shop struct {
	Deps
	jobs    *queue
	balance balanceCache
	// Failed webhook signatures per client address (see rejects).
	vendorRejects, stripeRejects rejects
	syncMu                       sync.Mutex // one catalog sync at a time

	stop   context.CancelFunc // stops background loops
	bgDone sync.WaitGroup     // background loops still running
}

// New builds the core; Start runs its background work.
func New(d Deps) (*Shop, error) {
	if d.DB == nil || d.Catalog == nil || d.Payments == nil {
		return nil, errors.New("shop: DB, Catalog and Payments are required")
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.SyncMaxDrop <= 0 {
		d.SyncMaxDrop = 0.5
	}
	if d.ReconcileAfter <= 0 {
		d.ReconcileAfter = 30 * time.Minute
	}
	if d.NoticeRetention <= 0 {
		d.NoticeRetention = 90 * 24 * time.Hour
	}
	d.BaseURL = strings.TrimRight(d.BaseURL, "/")
	s := &Shop{Deps: d}
	s.jobs = newQueue(d.DB, d.Log, d.Jobs.withDefaults(), d.Now, s.jobKinds())
	return s, nil
}

// Start runs the background work: the job workers, housekeeping, and a
// catalog sync now when the stored catalog is empty, then one every
// SyncInterval.
func (s *Shop) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	s.stop = cancel
	s.bgDone.Go(func() { s.syncLoop(ctx) })
	s.bgDone.Go(func() { s.housekeeping(ctx) })
	for range s.jobs.cfg.Workers {
		s.bgDone.Go(func() { s.jobs.run(ctx) })
	}
}

// Stop stops the background work and waits for it (a job already running
// is finished) until ctx ends. It does nothing if Start was not called.
func (s *Shop) Stop(ctx context.Context) error {
	if s.stop == nil {
		return nil
	}
	s.stop()
	done := make(chan struct{})
	go func() { s.bgDone.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Wake nudges idle job workers: a job was just queued.
func (s *Shop) Wake() { s.jobs.wake() }

// orderURL is the buyer's private order page.
func orderURL(baseURL string, o store.Order) string { return baseURL + "/orders/" + o.Token }

// host is the shop's host name, from BASE_URL.
func host(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}
