package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/bc/sandbox"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web"
	"github.com/esimshop/esimshop/web/mail"
	"github.com/esimshop/esimshop/web/metrics"
	"github.com/esimshop/esimshop/web/replica"
	"github.com/esimshop/esimshop/web/shop"
	"github.com/esimshop/esimshop/web/tlsserve"
)

// demoNoticeDelay is how long the demo sandbox waits before delivering an
// eSIM: long enough to see "being prepared", short enough to wait for.
const demoNoticeDelay = 4 * time.Second

// demoInstallStep is how long each step of the demo traveller installing a
// delivered eSIM takes (downloaded, installed, enabled; F042 and N012), so
// the order page's install status visibly moves within a minute.
const demoInstallStep = 20 * time.Second

// Main is the whole program wired together: database, vendor client (or
// sandbox), and the web application. Tests boot it on port 0.
type Main struct {
	cfg Config
	log *slog.Logger

	db      *store.DB
	app     *web.App
	ln      net.Listener
	served  chan error
	sandbox *sandbox.Sandbox
	sandSrv *http.Server
	tls     *tlsserve.Server // nil without TLS_DOMAINS
	demoLn  net.Listener     // with TLS in -demo: the sandbox's way in
	metrics *metrics.Metrics
	replica *replica.Replicator
	closed  bool
}

// NewMain returns an unstarted Main.
func NewMain(cfg Config, log *slog.Logger) *Main {
	return &Main{cfg: cfg, log: log}
}

// open opens the database and builds the vendor client and the app.
// callback is the shop's own address for the demo sandbox's notices.
func (m *Main) open(callback string) error {
	db, err := store.Open(m.cfg.DBPath)
	if err != nil {
		return fmt.Errorf("opening database %s: %w", m.cfg.DBPath, err)
	}
	m.db = db
	m.metrics = metrics.New(db, m.cfg.MetricsToken)
	if m.cfg.ReplicaURL != "" {
		if m.replica, err = replica.Start(context.Background(), m.cfg.DBPath, m.cfg.ReplicaURL, m.log); err != nil {
			return err
		}
	}
	var lag func() time.Duration
	if m.replica != nil {
		lag = m.replica.Lag
		m.metrics.ReplicationLag(lag)
	}
	vendor, secret, err := m.vendor(callback)
	if err != nil {
		return err
	}
	wcfg := web.Config{
		BaseURL:      m.cfg.BaseURL,
		Demo:         m.cfg.Demo,
		SalesMethod:  m.cfg.SalesMethod,
		SyncInterval: m.cfg.SyncInterval,
		Pricing:      m.cfg.Pricing,
		Payments:     billing.Demo{BaseURL: m.cfg.BaseURL},
		VendorSecret: secret,
		VendorAppKey: m.vendorKey(),
		// In -demo the sandbox signs with a one-off secret; a previous one
		// only makes sense against the real vendor.
		VendorSecretPrevious: m.previousSecret(),
		SyncMaxDrop:          m.cfg.SyncMaxDrop,
		VendorOrderEmail:     m.cfg.VendorOrderEmail,
		MailFrom:             m.cfg.MailFrom,
		ReconcileAfter:       m.cfg.ReconcileAfter,
		UsageRefresh:         m.cfg.UsageRefresh,
		Devices:              m.cfg.Devices,
		NoticeRetention:      m.cfg.NoticeRetention,
		Jobs:                 shop.JobConfig{MaxAttempts: m.cfg.JobMaxAttempts, Lease: m.cfg.JobLease},
		Logger:               m.log,
		Metrics:              m.metrics,
		ReplicaLag:           lag,

		ProxyHeader:       m.cfg.ProxyHeader,
		TrustedProxies:    m.cfg.TrustedProxies,
		CheckoutPerMinute: m.cfg.CheckoutPerMinute,
		BalanceAlert:      m.cfg.BalanceAlert,
	}
	if m.cfg.SMTP != nil {
		wcfg.Mailer = m.metrics.Sender(mail.NewSMTP(*m.cfg.SMTP))
	}
	if m.cfg.StripeSecretKey != "" {
		s, err := billing.NewStripe(billing.StripeConfig{
			SecretKey: m.cfg.StripeSecretKey, WebhookSecret: m.cfg.StripeWebhookSecret, APIURL: m.cfg.StripeAPIURL,
		})
		if err != nil {
			return err
		}
		wcfg.Payments, wcfg.StripeWebhooks = s, s
	}
	if m.app, err = web.New(wcfg, db, vendor); err != nil {
		return err
	}
	if m.cfg.AdminEmail != "" {
		created, err := m.app.EnsureAdmin(context.Background(), m.cfg.AdminEmail, m.cfg.AdminPassword)
		if err != nil {
			return fmt.Errorf("ADMIN_EMAIL/ADMIN_PASSWORD: %w", err)
		}
		if created {
			m.log.Info("admin created from ADMIN_EMAIL", "email", m.cfg.AdminEmail)
		}
	}
	return nil
}

// vendor returns the Billionconnect client and the secret its notices are
// signed with: the real API, or in -demo the sandbox served on a loopback
// port with a one-off random secret, sending its notices to callback.
func (m *Main) vendor(callback string) (*bc.Client, string, error) {
	if !m.cfg.Demo {
		return bc.New(bc.Config{Observe: m.metrics.ObserveVendor, URL: m.cfg.BCURL, AppKey: m.cfg.BCAppKey, AppSecret: m.cfg.BCAppSecret, OrderTimeout: m.cfg.BCOrderTimeout}), m.cfg.BCAppSecret, nil
	}
	if m.cfg.DemoVendor != "" {
		return bc.New(bc.Config{Observe: m.metrics.ObserveVendor, URL: m.cfg.DemoVendor, AppKey: m.cfg.BCAppKey, AppSecret: m.cfg.BCAppSecret}), m.cfg.BCAppSecret, nil
	}
	// A one-off random secret, unless one is given (the load benchmark
	// signs its own notices with it).
	key, secret := m.vendorKey(), m.cfg.BCAppSecret
	if secret == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, "", err
		}
		secret = hex.EncodeToString(b[:])
	}
	cat := sandbox.Default()
	if m.cfg.DemoSKUs > 0 {
		cat = sandbox.Generate(m.cfg.DemoSKUs, 1)
	}
	m.sandbox = sandbox.New(sandbox.Config{
		AppKey: key, AppSecret: secret, SalesMethod: m.cfg.SalesMethod,
		CallbackURL: callback,
		NoticeDelay: demoNoticeDelay, InstallStep: demoInstallStep, Catalog: cat,
		Logf: func(format string, args ...any) { m.log.Info("sandbox: " + fmt.Sprintf(format, args...)) },
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("starting the vendor sandbox: %w", err)
	}
	m.sandSrv = &http.Server{Handler: m.sandbox, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = m.sandSrv.Serve(ln) }()
	url := "http://" + ln.Addr().String() + "/Flow/saler/2.0/invoke"
	m.log.Info("demo mode: vendor sandbox running", "url", url)
	return bc.New(bc.Config{Observe: m.metrics.ObserveVendor, URL: url, AppKey: key, AppSecret: secret, OrderTimeout: m.cfg.BCOrderTimeout}), secret, nil
}

// previousSecret is BC_APP_SECRET_PREVIOUS, except in -demo without a
// given secret (the sandbox's secret is then random).
func (m *Main) previousSecret() string {
	if m.cfg.Demo && m.cfg.BCAppSecret == "" {
		return ""
	}
	return m.cfg.BCAppSecretPrevious
}

// vendorKey is the app key: BC_APP_KEY, or in -demo "demo-channel" when
// none is given.
func (m *Main) vendorKey() string {
	if m.cfg.BCAppKey == "" && m.cfg.Demo {
		return "demo-channel"
	}
	return m.cfg.BCAppKey
}

// Run opens everything, starts the background work and serves HTTP on
// cfg.Addr; it returns once the listener is up.
func (m *Main) Run(ctx context.Context) error {
	ln, err := m.listen()
	if err != nil {
		return err
	}
	m.ln = ln
	// The demo sandbox calls the shop on loopback, whatever BASE_URL says.
	lns := []net.Listener{ln}
	port := ln.Addr().(*net.TCPAddr).Port
	if m.tls != nil && m.cfg.Demo {
		// Over TLS the sandbox could not verify the shop's certificate for
		// 127.0.0.1: its notices get a plain loopback listener of their own.
		if m.demoLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return errors.Join(err, m.tls.Shutdown(context.Background()))
		}
		lns, port = append(lns, m.demoLn), m.demoLn.Addr().(*net.TCPAddr).Port
	}
	if err := m.open(fmt.Sprintf("http://127.0.0.1:%d/webhooks/billionconnect", port)); err != nil {
		for _, l := range lns {
			l.Close()
		}
		if m.tls != nil {
			_ = m.tls.Shutdown(context.Background())
		}
		return err
	}
	m.app.Start()
	m.served = make(chan error, len(lns))
	for _, l := range lns {
		go func() { m.served <- m.app.Serve(l) }()
	}
	if m.tls != nil {
		// Certificates are obtained in the background (the stored ones
		// load at once); a failure is logged and retried.
		if err := m.tls.Manage(context.WithoutCancel(ctx)); err != nil {
			return fmt.Errorf("TLS_DOMAINS: %w", err)
		}
	}
	return nil
}

// listen binds cfg.Addr, or with TLS_DOMAINS :443 and :80 (see
// web/tlsserve).
func (m *Main) listen() (net.Listener, error) {
	if len(m.cfg.TLSDomains) == 0 {
		ln, err := net.Listen("tcp", m.cfg.Addr)
		if err != nil {
			return nil, fmt.Errorf("listening on %s: %w", m.cfg.Addr, err)
		}
		return ln, nil
	}
	tc, err := m.cfg.tlsConfig()
	if err != nil {
		return nil, err
	}
	tc.Log = m.log
	if m.tls, err = tlsserve.Listen(tc); err != nil {
		return nil, err
	}
	return m.tls.Listener(), nil
}

// Addr is the address the shop listens on (useful with port 0).
func (m *Main) Addr() string {
	if m.ln == nil {
		return ""
	}
	return m.ln.Addr().String()
}

// SyncOnce runs one catalog sync and prints its result.
func (m *Main) SyncOnce(ctx context.Context, out io.Writer) error {
	if err := m.open(""); err != nil {
		return err
	}
	run, err := m.app.SyncCatalog(ctx)
	if err != nil {
		return fmt.Errorf("catalog sync failed: %w", err)
	}
	_, err = fmt.Fprintf(out, "catalog synced in %s: %d products (%d added, %d removed, %d price changes)\n",
		run.Duration.Round(time.Millisecond), run.Products, run.Added, run.Removed, run.PriceChanges)
	return err
}

// Close shuts down gracefully: stop accepting, finish in-flight requests,
// stop background work, then close the database.
func (m *Main) Close() error {
	if m.closed {
		return nil // a test may close early and again in its cleanup
	}
	m.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	var errs []error
	if m.app != nil {
		errs = append(errs, m.app.Shutdown(ctx))
	}
	for range cap(m.served) {
		if err := <-m.served; err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	if m.tls != nil {
		errs = append(errs, m.tls.Shutdown(ctx))
	}
	if m.sandSrv != nil {
		errs = append(errs, m.sandSrv.Shutdown(ctx))
		m.sandbox.Close()
	}
	if m.replica != nil {
		// After the last write, before the database closes: ships the
		// tail of the WAL.
		errs = append(errs, m.replica.Close(ctx))
	}
	if m.db != nil {
		errs = append(errs, m.db.Close())
	}
	return errors.Join(errs...)
}

// App returns the web application (nil before Run), for tests and the
// admin command.
func (m *Main) App() *web.App { return m.app }
