package mail

import (
	"context"
	"crypto/tls"
	"net"
	"net/mail"
	"net/smtp"
	"os"
	"strconv"
	"strings"
	"time"
)

// defaultTimeout bounds a whole send when SMTPConfig.Timeout is zero:
// long enough for a slow relay and a few QR images, short enough that a
// stuck relay does not hold a job worker.
const defaultTimeout = 60 * time.Second

// SMTP sends messages through one relay. It holds no connection: each
// Send dials, delivers and quits, which suits a shop's low mail volume
// and leaves nothing to go stale between orders. Safe for concurrent use.
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

// Send composes m (From defaults to the configured From) and delivers it:
// dial, EHLO, STARTTLS or implicit TLS, AUTH when credentials are set,
// MAIL FROM, RCPT TO, DATA, QUIT, all bounded by ctx and the configured
// timeout. Errors are classified by Temporary. Once the relay has accepted
// DATA the message counts as sent, even if QUIT then fails.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := s.cfg.Validate(); err != nil {
		return refuse("config", "%w: %w", ErrInvalid, err)
	}
	if m.From == "" {
		m.From = s.cfg.From
	}
	data, err := Compose(m, s.now(), "")
	if err != nil {
		return err
	}
	// Compose has validated both; parsing again yields the bare addresses
	// for the envelope.
	from, _ := mail.ParseAddress(m.From)
	to, _ := mail.ParseAddress(m.To)
	return s.deliver(ctx, from.Address, to.Address, data)
}

// deliver runs one SMTP session for an already composed message.
func (s *SMTP) deliver(ctx context.Context, from, to string, data []byte) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	host := s.cfg.Host
	raw, err := s.dial(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(s.cfg.Port)))
	if err != nil {
		return classify(ctx, "dial", err)
	}
	defer raw.Close()
	// The deadline bounds every read and write; closing on cancellation
	// also unblocks them when ctx is cancelled before its deadline.
	deadline, _ := ctx.Deadline()
	if err := raw.SetDeadline(deadline); err != nil {
		return classify(ctx, "dial", err)
	}
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	defer stop()

	conn := raw
	if s.cfg.Mode == ModeTLS {
		tc := tls.Client(raw, s.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			return classify(ctx, "tls handshake", err)
		}
		conn = tc // net/smtp sees a *tls.Conn and knows the session is encrypted
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return classify(ctx, "greeting", err)
	}
	defer c.Close()
	if err := c.Hello(s.cfg.HeloName); err != nil {
		return classify(ctx, "ehlo", err)
	}
	if s.cfg.Mode == ModeSTARTTLS {
		ok, _ := c.Extension("STARTTLS") // sends EHLO; its failure shows up below
		switch {
		case ok:
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return classify(ctx, "starttls", err)
			}
		case !isLoopback(host):
			// A relay without STARTTLS, or an attacker stripping it:
			// either way the message and credentials stay unsent.
			return refuse("starttls", "%s does not offer STARTTLS; refusing to send in clear text", host)
		}
	}
	if s.cfg.Username != "" {
		ok, mechs := c.Extension("AUTH")
		if !ok {
			return refuse("auth", "%s does not offer AUTH but credentials are configured", host)
		}
		a := pickAuth(mechs, s.cfg.Username, s.cfg.Password, host)
		if a == nil {
			return refuse("auth", "%s offers AUTH %s; only PLAIN and LOGIN are supported", host, mechs)
		}
		if err := c.Auth(a); err != nil {
			return classify(ctx, "auth", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return classify(ctx, "mail from", err)
	}
	if err := c.Rcpt(to); err != nil {
		return classify(ctx, "rcpt to", err)
	}
	w, err := c.Data()
	if err != nil {
		return classify(ctx, "data", err)
	}
	if _, err := w.Write(data); err != nil {
		return classify(ctx, "data", err)
	}
	if err := w.Close(); err != nil { // the relay's verdict on the message
		return classify(ctx, "data", err)
	}
	// The relay has taken responsibility for the message: a failed QUIT
	// must not make the caller send it twice.
	_ = c.Quit()
	return nil
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

// splitFields splits an EHLO parameter list, upper-cased.
func splitFields(s string) []string {
	return strings.Fields(strings.ToUpper(s))
}
