// Package tlsserve puts the shop on the internet by itself: it listens on
// :443 with certificates it obtains and renews over ACME (Let's Encrypt by
// default, through github.com/caddyserver/certmagic), and on :80, where it
// answers the ACME HTTP-01 challenge and redirects everything else to
// https. Certificates and the ACME account live in a directory on disk, so
// a restart reuses them instead of asking the CA again.
//
// The package knows nothing of the shop: it hands out a TLS listener that
// the caller serves its application on.
package tlsserve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/caddyserver/certmagic"
	"github.com/mholt/acmez/v3"
)

// LetsEncrypt is the ACME directory used when Config.CA is empty.
const LetsEncrypt = certmagic.LetsEncryptProductionCA

// Config says which names to serve and where to get their certificates.
type Config struct {
	// Domains are the host names to obtain certificates for
	// (TLS_DOMAINS); the first is where :80 redirects a request that
	// names no host of these.
	Domains []string
	// Email is the ACME account's contact, where the CA writes about
	// expiring certificates (ACME_EMAIL); optional.
	Email string
	// CA is the ACME directory URL (ACME_CA); "" is Let's Encrypt.
	CA string
	// Roots, when set, are the only roots trusted for the CA's own HTTPS
	// endpoint: a private or test CA (ACME_CA_ROOT). nil trusts the system.
	Roots *x509.CertPool
	// Dir keeps certificates, keys and the ACME account.
	Dir string
	// HTTPAddr and HTTPSAddr are the listen addresses; "" means ":80"
	// and ":443".
	HTTPAddr, HTTPSAddr string
	// RenewCheck is how often certificates are checked for renewal; 0 is
	// certmagic's default (10 minutes). Tests shorten it.
	RenewCheck time.Duration
	// Log receives certificate events and certmagic's own messages.
	Log *slog.Logger

	// wrapHTTP, set by this package's tests, wraps the :80 handler to
	// watch the challenge requests arrive.
	wrapHTTP func(http.Handler) http.Handler
	// only, set by this package's tests, limits the ACME challenges to
	// one type ("http-01" or "tls-alpn-01"), so each path is shown to
	// work; in production certmagic may use either.
	only string
}

// Server holds both listeners and the certificate manager.
type Server struct {
	cfg    Config
	cache  *certmagic.Cache
	magic  *certmagic.Config
	issuer *certmagic.ACMEIssuer
	http   *http.Server
	httpLn net.Listener
	tlsLn  net.Listener
	served chan error
}

// Listen binds :80 and :443 (or the configured addresses) and starts
// answering on :80. It fails before anything is served if the
// configuration is wrong or a port cannot be bound (a missing
// CAP_NET_BIND_SERVICE, say). Call Manage to get certificates.
func Listen(cfg Config) (*Server, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg}
	var err error
	if s.httpLn, err = net.Listen("tcp", cfg.HTTPAddr); err != nil {
		return nil, fmt.Errorf("tls: listening on %s: %w", cfg.HTTPAddr, err)
	}
	raw, err := net.Listen("tcp", cfg.HTTPSAddr)
	if err != nil {
		s.httpLn.Close()
		return nil, fmt.Errorf("tls: listening on %s: %w", cfg.HTTPSAddr, err)
	}
	s.setupCertmagic() // after binding: its cache runs a goroutine
	// certmagic answers an ACME HTTP-01 challenge itself by binding the
	// HTTP port; told ours, it finds the port taken by a listener that
	// answers and leaves the challenge to the handler below. Likewise for
	// TLS-ALPN-01 on the HTTPS port.
	s.issuer.ListenHost, _, _ = net.SplitHostPort(cfg.HTTPAddr)
	s.issuer.AltHTTPPort = port(s.httpLn.Addr())
	s.issuer.AltTLSALPNPort = port(raw.Addr())

	tc := s.magic.TLSConfig()
	// The application speaks HTTP/1.1 only (fasthttp): never offer h2.
	tc.NextProtos = []string{"http/1.1", acmez.ACMETLS1Protocol}
	tc.MinVersion = tls.VersionTLS12
	s.tlsLn = tls.NewListener(raw, tc)

	var h http.Handler = s.issuer.HTTPChallengeHandler(redirect{domains: cfg.Domains, httpsPort: port(raw.Addr())})
	if cfg.wrapHTTP != nil {
		h = cfg.wrapHTTP(h)
	}
	s.http = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       30 * time.Second,
	}
	s.served = make(chan error, 1)
	go func() { s.served <- s.http.Serve(s.httpLn) }()
	return s, nil
}

// check fills the defaults and refuses what cannot work.
func (c *Config) check() error {
	if len(c.Domains) == 0 {
		return errors.New("tls: no domains")
	}
	for _, d := range c.Domains {
		if err := CheckDomain(d); err != nil {
			return err
		}
	}
	if c.Dir == "" {
		return errors.New("tls: no directory for certificates")
	}
	if c.CA == "" {
		c.CA = LetsEncrypt
	}
	if c.HTTPAddr == "" {
		c.HTTPAddr = ":80"
	}
	if c.HTTPSAddr == "" {
		c.HTTPSAddr = ":443"
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	return nil
}

// CheckDomain refuses what a public CA cannot issue a certificate for
// over HTTP-01: an IP address, a wildcard, a name without a dot, a port
// or a scheme pasted with it.
func CheckDomain(d string) error {
	switch {
	case d == "":
		return errors.New("an empty domain")
	case net.ParseIP(d) != nil:
		return fmt.Errorf("%q is an IP address: give the host name that points to it", d)
	case strings.Contains(d, "*"):
		return fmt.Errorf("%q is a wildcard: list each host name (wildcards need the DNS challenge)", d)
	case strings.ContainsAny(d, ":/ "):
		return fmt.Errorf("%q is not a bare host name (no scheme, port or path)", d)
	case !strings.Contains(strings.Trim(d, "."), "."):
		return fmt.Errorf("%q is not a full host name like shop.example.com", d)
	}
	return nil
}

// setupCertmagic builds the certificate cache, its configuration and the
// ACME issuer, storing everything under cfg.Dir.
func (s *Server) setupCertmagic() {
	zl := zapLogger(s.cfg.Log)
	s.cache = certmagic.NewCache(certmagic.CacheOptions{
		GetConfigForCert:   func(certmagic.Certificate) (*certmagic.Config, error) { return s.magic, nil },
		RenewCheckInterval: s.cfg.RenewCheck,
		Logger:             zl,
	})
	s.magic = certmagic.New(s.cache, certmagic.Config{
		Storage: &certmagic.FileStorage{Path: s.cfg.Dir},
		Logger:  zl,
		OnEvent: s.onEvent,
		// A name the client gives no SNI for (an old client, a bare IP)
		// still gets the first domain's certificate.
		DefaultServerName: s.cfg.Domains[0],
	})
	s.issuer = certmagic.NewACMEIssuer(s.magic, certmagic.ACMEIssuer{
		CA:           s.cfg.CA,
		Email:        s.cfg.Email,
		Agreed:       true,
		TrustedRoots: s.cfg.Roots,
		Logger:       zl,
		// Only this process answers challenges: no other instance shares
		// the directory.
		DisableDistributedSolvers: true,
	})
	s.issuer.DisableHTTPChallenge = s.cfg.only == "tls-alpn-01"
	s.issuer.DisableTLSALPNChallenge = s.cfg.only == "http-01"
	s.magic.Issuers = []certmagic.Issuer{s.issuer}
}

// Manage loads the stored certificates and obtains or renews what is
// missing or due, in the background: the shop keeps serving (and :80
// keeps answering the challenge) while the CA is asked. Renewals follow
// for as long as the server runs.
func (s *Server) Manage(ctx context.Context) error {
	return s.magic.ManageAsync(ctx, s.cfg.Domains)
}

// Listener is the TLS listener to serve the application on. Closing it
// (as the application's shutdown does) stops :443.
func (s *Server) Listener() net.Listener { return s.tlsLn }

// HTTPAddr is the address :80 is bound to (useful with port 0).
func (s *Server) HTTPAddr() string { return s.httpLn.Addr().String() }

// HTTPSAddr is the address :443 is bound to.
func (s *Server) HTTPSAddr() string { return s.tlsLn.Addr().String() }

// Shutdown stops :80 gracefully and the renewals. The caller closes
// Listener (the application's own shutdown does).
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	if serr := <-s.served; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	s.cache.Stop()
	return err
}

// onEvent logs what happens to certificates in the shop's own log.
func (s *Server) onEvent(_ context.Context, event string, data map[string]any) error {
	switch event {
	case "cert_obtained", "cert_failed", "cached_managed_cert":
		args := []any{"event", event}
		for _, k := range []string{"identifier", "sans", "renewal", "issuer", "error"} {
			if v, ok := data[k]; ok {
				args = append(args, k, fmt.Sprint(v))
			}
		}
		level := slog.LevelInfo
		if event == "cert_failed" {
			level = slog.LevelError
		}
		s.cfg.Log.Log(context.Background(), level, "tls certificate", args...)
	}
	return nil
}

// port is the TCP port of a listener's address.
func port(a net.Addr) int {
	_, p, _ := net.SplitHostPort(a.String())
	n, _ := strconv.Atoi(p)
	return n
}
