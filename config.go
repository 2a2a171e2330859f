package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/web/devices"
	"github.com/esimshop/esimshop/web/mail"
)

// Config is every setting, from flags with environment fallbacks.
type Config struct {
	Addr     string
	BaseURL  string
	DBPath   string
	Demo     bool
	DemoSKUs int // demo only: generate a catalog of this many SKUs instead of the embedded one
	// DemoVendor, with -demo, is the API URL of a vendor sandbox running as
	// its own process (esimshop sandbox) to use instead of the built-in one.
	DemoVendor  string
	BCURL       string
	BCAppKey    string
	BCAppSecret string
	// BCAppSecretPrevious is also accepted on incoming notices while the
	// app secret is rotated (BC_APP_SECRET_PREVIOUS); outgoing calls
	// always sign with BCAppSecret.
	BCAppSecretPrevious string
	BCOrderTimeout      time.Duration // F040's time-out (BC_ORDER_TIMEOUT)
	SalesMethod         string
	SyncInterval        time.Duration
	SyncMaxDrop         float64 // share of the live catalog a sync may remove before it is held (SYNC_MAX_DROP_PCT)
	Pricing             billing.Rule

	StripeSecretKey     string // empty in -demo: the demo payment page is used
	StripeWebhookSecret string
	StripeAPIURL        string // optional: another Stripe API base (stripe-mock)

	SMTP     *mail.SMTPConfig // nil: mails are only logged
	MailFrom string
	// MetricsToken is the bearer token GET /metrics requires; empty means
	// loopback-only scrapes.
	MetricsToken string
	// ReplicaURL, when set, is where Litestream streams the database
	// (file:///path or s3://bucket/prefix).
	ReplicaURL string
	// OrderEmail is BC_ORDER_EMAIL: "shop" or "buyer", whose address F040
	// gives the vendor; VendorOrderEmail is the shop's address for "shop".
	OrderEmail       string
	VendorOrderEmail string
	ReconcileAfter   time.Duration
	// UsageRefresh is USAGE_REFRESH: the least time between two vendor
	// calls for one eSIM's usage and install status.
	UsageRefresh time.Duration
	// Devices is the eSIM compatibility list shown to buyers: the built-in
	// one, or the operator's file named by DEVICES_FILE.
	Devices        devices.List
	JobMaxAttempts int
	JobLease       time.Duration // JOB_LEASE: how long before a crashed worker's job is taken over
	// NoticeRetention is how long vendor notices are kept, except the
	// first copy of each notice about an order (NOTICE_RETENTION_DAYS).
	NoticeRetention time.Duration

	// TLS, when TLSDomains is set (TLS_DOMAINS), makes the shop serve
	// https on its own: see tlsConfig.
	TLSDomains []string
	ACMEEmail  string // ACME_EMAIL
	ACMECA     string // ACME_CA: the ACME directory; "" is Let's Encrypt
	ACMECARoot string // ACME_CA_ROOT: PEM file trusted for ACME_CA's own https
	// TLSHTTPAddr and TLSHTTPSAddr are where TLS listens (TLS_HTTP_ADDR,
	// TLS_HTTPS_ADDR; :80 and :443).
	TLSHTTPAddr, TLSHTTPSAddr string

	ProxyHeader       string   // TRUSTED_PROXY_HEADER
	TrustedProxies    []string // TRUSTED_PROXIES
	CheckoutPerMinute int
	BalanceAlert      string // vendor balance below which the dashboard warns
	AdminEmail        string // first admin, created at start-up when none exists
	AdminPassword     string
}

// String describes the configuration without secrets.
func (c Config) String() string {
	return fmt.Sprintf("addr=%s base_url=%s db=%s demo=%v", c.Addr, c.BaseURL, c.DBPath, c.Demo)
}

// loadConfig reads flags (for cmd) and the environment. Every problem is
// reported at once, naming the setting.
func loadConfig(cmd string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	env := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	var c Config
	fs := flag.NewFlagSet("esimshop "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", env("ADDR", ":8080"), "listen address (env ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", env("BASE_URL", "http://localhost:8080"), "public URL of the shop (env BASE_URL)")
	fs.StringVar(&c.DBPath, "db", env("DB_PATH", "esimshop.db"), "SQLite database file (env DB_PATH)")
	fs.BoolVar(&c.Demo, "demo", false, "run on the built-in Billionconnect sandbox")
	fs.IntVar(&c.DemoSKUs, "demo-skus", 0, "with -demo: generate a catalog of this many SKUs (for benchmarks)")
	fs.StringVar(&c.DemoVendor, "demo-vendor", "", "with -demo: the API URL of a separately running `esimshop sandbox` (needs BC_APP_KEY, BC_APP_SECRET)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}

	var problems []string
	baseSet := getenv("BASE_URL") != ""
	fs.Visit(func(f *flag.Flag) { baseSet = baseSet || f.Name == "base-url" })
	if c.Demo && !baseSet {
		// A demo on another port or interface still links to itself.
		c.BaseURL = demoBaseURL(c.Addr)
	}
	c.TLSDomains, c.ACMEEmail, c.ACMECA, c.ACMECARoot = splitList(env("TLS_DOMAINS", "")), env("ACME_EMAIL", ""), env("ACME_CA", ""), env("ACME_CA_ROOT", "")
	c.TLSHTTPAddr, c.TLSHTTPSAddr = env("TLS_HTTP_ADDR", ":80"), env("TLS_HTTPS_ADDR", ":443")
	if len(c.TLSDomains) > 0 && !baseSet {
		c.BaseURL = "https://" + c.TLSDomains[0]
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	problems = append(problems, c.tlsProblems()...)
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, fmt.Sprintf("BASE_URL (-base-url) %q must be an absolute http(s) URL", c.BaseURL))
	}
	c.BCURL = env("BC_API_URL", bc.TestURL)
	c.BCAppKey = env("BC_APP_KEY", "")
	c.BCAppSecret = env("BC_APP_SECRET", "")
	c.BCAppSecretPrevious = env("BC_APP_SECRET_PREVIOUS", "")
	if c.BCAppSecretPrevious != "" && c.BCAppSecretPrevious == c.BCAppSecret {
		problems = append(problems, "BC_APP_SECRET_PREVIOUS is the same as BC_APP_SECRET: set it to the secret being replaced, or leave it empty")
	}
	var rerr error
	if c.BCOrderTimeout, rerr = time.ParseDuration(env("BC_ORDER_TIMEOUT", "60s")); rerr != nil || c.BCOrderTimeout < 5*time.Second || c.BCOrderTimeout > 100*time.Second {
		// The job lease (2m, less a margin) must outlast one F040 call.
		problems = append(problems, fmt.Sprintf("BC_ORDER_TIMEOUT %q must be a duration from 5s to 100s, like 60s", getenv("BC_ORDER_TIMEOUT")))
	}
	if pct, err := strconv.Atoi(env("SYNC_MAX_DROP_PCT", "50")); err != nil || pct < 1 || pct > 100 {
		problems = append(problems, fmt.Sprintf("SYNC_MAX_DROP_PCT %q must be a whole percentage from 1 to 100 (100 never holds a sync)", getenv("SYNC_MAX_DROP_PCT")))
	} else {
		c.SyncMaxDrop = float64(pct) / 100
	}
	if !c.Demo {
		var missing []string
		if c.BCAppKey == "" {
			missing = append(missing, "BC_APP_KEY")
		}
		if c.BCAppSecret == "" {
			missing = append(missing, "BC_APP_SECRET")
		}
		if len(missing) > 0 {
			problems = append(problems, "missing vendor credentials "+strings.Join(missing, " and ")+" (or run with -demo to use the built-in sandbox)")
		}
	}
	c.StripeSecretKey = env("STRIPE_SECRET_KEY", "")
	c.StripeWebhookSecret = env("STRIPE_WEBHOOK_SECRET", "")
	c.StripeAPIURL = env("STRIPE_API_URL", "")
	if c.StripeSecretKey == "" && !c.Demo {
		problems = append(problems, "missing STRIPE_SECRET_KEY (or run with -demo to use the demo payment page)")
	}
	if c.StripeSecretKey != "" && c.StripeWebhookSecret == "" {
		problems = append(problems, "missing STRIPE_WEBHOOK_SECRET: without it Stripe's payment notifications cannot be verified")
	}
	if raw := env("SMTP_URL", ""); raw != "" {
		smtp, err := mail.ParseSMTPURL(raw)
		if err != nil {
			problems = append(problems, err.Error())
		} else {
			if u, err := url.Parse(c.BaseURL); err == nil && smtp.HeloName == "" {
				smtp.HeloName = u.Hostname() // relays dislike "localhost"
			}
			c.SMTP = &smtp
		}
	}
	c.MailFrom = env("MAIL_FROM", "")
	// Never logged or echoed: it guards /metrics.
	c.MetricsToken = env("METRICS_TOKEN", "")
	c.ReplicaURL = env("REPLICA_URL", "")
	if c.SMTP != nil {
		c.SMTP.From = c.MailFrom
	}
	if c.SMTP != nil && c.MailFrom == "" {
		problems = append(problems, "missing MAIL_FROM: the sender address of the eSIM emails (needed with SMTP_URL)")
	}
	if c.MailFrom == "" {
		c.MailFrom = "esimshop <no-reply@localhost>"
	}
	from, ferr := netmail.ParseAddress(c.MailFrom)
	if ferr != nil {
		problems = append(problems, fmt.Sprintf("MAIL_FROM %q is not an email address", c.MailFrom))
	}
	// F040's email: the vendor mails its own, supplier-branded eSIM email
	// there. "shop" sends the shop's own address so the traveller gets one
	// email, from the shop; the default when the shop sends mail itself.
	defaultOrderEmail := "buyer"
	if c.SMTP != nil {
		defaultOrderEmail = "shop"
	}
	switch c.OrderEmail = env("BC_ORDER_EMAIL", defaultOrderEmail); c.OrderEmail {
	case "buyer":
	case "shop":
		if ferr == nil {
			c.VendorOrderEmail = from.Address
		}
	default:
		problems = append(problems, fmt.Sprintf("BC_ORDER_EMAIL %q must be shop (the vendor's eSIM email goes to MAIL_FROM) or buyer", c.OrderEmail))
	}
	if c.ReconcileAfter, rerr = time.ParseDuration(env("RECONCILE_AFTER", "30m")); rerr != nil || c.ReconcileAfter < time.Minute {
		problems = append(problems, fmt.Sprintf("RECONCILE_AFTER %q must be a duration of at least 1m, like 30m", getenv("RECONCILE_AFTER")))
	}
	if c.UsageRefresh, rerr = time.ParseDuration(env("USAGE_REFRESH", "5m")); rerr != nil || c.UsageRefresh < time.Minute || c.UsageRefresh > 24*time.Hour {
		problems = append(problems, fmt.Sprintf("USAGE_REFRESH %q must be a duration from 1m to 24h, like 5m", getenv("USAGE_REFRESH")))
	}
	if c.Devices, rerr = devices.Load(env("DEVICES_FILE", "")); rerr != nil {
		problems = append(problems, fmt.Sprintf("DEVICES_FILE: %v (one \"Brand: model, model\" a line)", rerr))
	}
	if c.JobMaxAttempts, rerr = strconv.Atoi(env("JOB_MAX_ATTEMPTS", "8")); rerr != nil || c.JobMaxAttempts < 1 || c.JobMaxAttempts > 100 {
		problems = append(problems, fmt.Sprintf("JOB_MAX_ATTEMPTS %q must be a number from 1 to 100", getenv("JOB_MAX_ATTEMPTS")))
	}
	if c.JobLease, rerr = time.ParseDuration(env("JOB_LEASE", "2m")); rerr != nil || c.JobLease < 2*time.Second || c.JobLease > time.Hour {
		problems = append(problems, fmt.Sprintf("JOB_LEASE %q must be a duration from 2s to 1h, like 2m", getenv("JOB_LEASE")))
	}
	if days, err := strconv.Atoi(env("NOTICE_RETENTION_DAYS", "90")); err != nil || days < 1 || days > 3650 {
		problems = append(problems, fmt.Sprintf("NOTICE_RETENTION_DAYS %q must be a number of days from 1 to 3650", getenv("NOTICE_RETENTION_DAYS")))
	} else {
		c.NoticeRetention = time.Duration(days) * 24 * time.Hour
	}
	c.ProxyHeader = env("TRUSTED_PROXY_HEADER", "")
	for _, p := range strings.Split(env("TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p != "" {
			if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
				problems = append(problems, fmt.Sprintf("TRUSTED_PROXIES entry %q is not an IP address or CIDR", p))
			}
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	if c.ProxyHeader != "" && len(c.TrustedProxies) == 0 {
		problems = append(problems, "TRUSTED_PROXY_HEADER needs TRUSTED_PROXIES: the addresses of the proxies allowed to set it")
	}
	if c.CheckoutPerMinute, rerr = strconv.Atoi(env("CHECKOUT_RATE_LIMIT", "20")); rerr != nil || c.CheckoutPerMinute < 1 {
		problems = append(problems, fmt.Sprintf("CHECKOUT_RATE_LIMIT %q must be a positive number (checkouts per client IP per minute)", getenv("CHECKOUT_RATE_LIMIT")))
	}
	c.BalanceAlert = env("BALANCE_ALERT", "")
	if c.BalanceAlert != "" {
		if _, err := billing.ParseDecimal(c.BalanceAlert); err != nil {
			problems = append(problems, fmt.Sprintf("BALANCE_ALERT %q must be a decimal amount in the vendor account's currency", c.BalanceAlert))
		}
	}
	c.AdminEmail, c.AdminPassword = env("ADMIN_EMAIL", ""), getenv("ADMIN_PASSWORD")
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		problems = append(problems, "ADMIN_EMAIL and ADMIN_PASSWORD go together")
	}
	if c.DemoVendor != "" && (!c.Demo || c.BCAppKey == "" || c.BCAppSecret == "") {
		problems = append(problems, "-demo-vendor needs -demo, BC_APP_KEY and BC_APP_SECRET")
	}
	if c.DemoSKUs < 0 || (c.DemoSKUs > 0 && !c.Demo) {
		problems = append(problems, "-demo-skus needs -demo and a positive number")
	}
	c.SalesMethod = env("BC_SALES_METHOD", "5")
	if len(c.SalesMethod) != 1 || c.SalesMethod[0] < '1' || c.SalesMethod[0] > '6' {
		problems = append(problems, fmt.Sprintf("BC_SALES_METHOD %q must be one of 1-6", c.SalesMethod))
	}
	interval, err := time.ParseDuration(env("CATALOG_SYNC_INTERVAL", "6h"))
	if err != nil || interval < time.Minute {
		problems = append(problems, fmt.Sprintf("CATALOG_SYNC_INTERVAL %q must be a duration of at least 1m, like 6h", getenv("CATALOG_SYNC_INTERVAL")))
	}
	c.SyncInterval = interval
	// The demo sells the sandbox's CNY catalog in USD at a plausible rate
	// and margin, so a person trying it sees realistic prices.
	fx, markup, charm := "1", "0", ""
	if c.Demo {
		fx, markup, charm = "0.14", "25", "0.99"
	}
	c.Pricing, err = billing.ParseRule(env("PRICE_BASIS", "retail"), env("PRICE_FX_RATE", fx),
		env("PRICE_MARKUP_PCT", markup), env("PRICE_CHARM", charm), env("STORE_CURRENCY", "usd"))
	if err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return c, errors.New("configuration:\n  - " + strings.Join(problems, "\n  - "))
	}
	return c, nil
}

// demoBaseURL is the URL of a demo listening on addr: "localhost" for the
// wildcard address, so links work from the machine it runs on.
func demoBaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://localhost:8080"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
