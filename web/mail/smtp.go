package mail

import (
	"context"
	"crypto/tls"
	"net"
	"os"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// defaultTimeout bounds a whole send when SMTPConfig.Timeout is zero:
// long enough for a slow relay and a few QR images, short enough that a
// stuck relay does not hold a job worker.
const defaultTimeout = 60 * time.Second

// SMTP sends messages through one relay with go-mail. It holds no
// connection: each Send dials, delivers and quits, which suits a shop's
// low mail volume and leaves nothing to go stale between orders. Safe for
// concurrent use.
type SMTP struct {
	cfg SMTPConfig
	// now and dial are replaced by tests (a fixed clock; a dialler that
	// reaches the test server under a non-loopback host name).
	now  func() time.Time
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

var _ Sender = (*SMTP)(nil)

// NewSMTP returns a Sender for cfg, with its defaults applied. The
// configuration is checked on every Send (call cfg.Validate at startup to
// fail early).
func NewSMTP(cfg SMTPConfig) *SMTP {
	cfg.Mode = cfg.mode()
	if cfg.Timeout == 0 {
		cfg.Timeout = defaultTimeout
	}
	if cfg.HeloName == "" {
		cfg.HeloName = defaultHeloName()
	}
	var d net.Dialer
	return &SMTP{cfg: cfg, now: time.Now, dial: d.DialContext}
}

// String describes the relay without the password, so logging the sender
// is safe. (Value receivers: they cover both SMTP and *SMTP.)
func (s SMTP) String() string { return "mail.SMTP(" + s.cfg.String() + ")" }

// GoString keeps %#v from printing the password field.
func (s SMTP) GoString() string { return s.String() }

// Send composes m (From defaults to the configured From) and delivers it
// with go-mail: STARTTLS required (loopback excepted) or implicit TLS,
// AUTH PLAIN or LOGIN when credentials are set, all bounded by ctx and the
// configured timeout. Errors are classified by Temporary. Once the relay
// has accepted the message it counts as sent, even if RSET or QUIT fail.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := s.cfg.Validate(); err != nil {
		return refuse("%w: %w", ErrInvalid, err)
	}
	if m.From == "" {
		m.From = s.cfg.From
	}
	msg, err := build(m, s.now(), "")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	c, err := gomail.NewClient(s.cfg.Host, s.options(ctx)...)
	if err != nil {
		return refuse("%w: %w", ErrInvalid, err)
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return classifyDial(ctx, err)
	}
	defer c.CloseWithSMTPClient(conn) // QUIT; the relay has decided by then
	if err := c.SendWithSMTPClient(conn, msg); err != nil && !msg.IsDelivered() {
		return classifySend(ctx, err)
	}
	return nil
}

// options translates the configuration into go-mail's settings.
func (s *SMTP) options(ctx context.Context) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(s.cfg.Timeout),
		gomail.WithHELO(s.cfg.HeloName),
		gomail.WithTLSConfig(s.tlsConfig()),
		gomail.WithDialContextFunc(s.dialer(ctx)),
		gomail.WithoutNoop(), // a fresh connection needs no liveness check
	}
	switch s.cfg.Mode {
	case ModeTLS:
		opts = append(opts, gomail.WithSSL())
	case ModePlain:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case ModeSTARTTLS:
		if isLoopback(s.cfg.Host) {
			// A local catcher (mailpit) may lack STARTTLS; nothing
			// crosses a network.
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
		} else {
			// A relay without STARTTLS, or an attacker stripping it:
			// either way the message and credentials stay unsent.
			opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
		}
	}
	if s.cfg.Username != "" {
		// PLAIN, else LOGIN; go-mail's PLAIN and LOGIN refuse to send
		// credentials unencrypted except to localhost.
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

// dialer connects for go-mail (which, given a dial function, leaves
// implicit TLS to it) and closes the connection when ctx ends, so a
// cancelled send does not wait for the I/O timeout.
func (s *SMTP) dialer(ctx context.Context) gomail.DialContextFunc {
	return func(dctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := s.dial(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		context.AfterFunc(ctx, func() { conn.Close() })
		if s.cfg.Mode != ModeTLS {
			return conn, nil
		}
		tc := tls.Client(conn, s.tlsConfig())
		if err := tc.HandshakeContext(dctx); err != nil {
			conn.Close()
			return nil, err
		}
		return tc, nil // go-mail's client sees a *tls.Conn and knows it is encrypted
	}
}

// tlsConfig returns the TLS settings for one connection: the configured
// ones (cloned, never shared) with the server name and TLS 1.2 floor
// enforced.
func (s *SMTP) tlsConfig() *tls.Config {
	c := &tls.Config{}
	if s.cfg.TLSConfig != nil {
		c = s.cfg.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.cfg.Host
	}
	if c.MinVersion < tls.VersionTLS12 {
		c.MinVersion = tls.VersionTLS12
	}
	return c
}

// defaultHeloName is this machine's name when it looks fully qualified;
// relays reject or score down a bare host name more than "localhost".
func defaultHeloName() string {
	if h, err := os.Hostname(); err == nil && strings.Contains(h, ".") && !strings.ContainsAny(h, " \t\r\n") {
		return h
	}
	return "localhost"
}
