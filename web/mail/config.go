package mail

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Connection security modes of SMTPConfig.Mode.
const (
	// ModeSTARTTLS connects in clear and upgrades with STARTTLS before
	// anything else; a server that does not offer it is refused unless
	// it is on loopback. The default, and what smtp:// URLs mean.
	ModeSTARTTLS = "starttls"
	// ModeTLS speaks TLS from the first byte (port 465, smtps:// URLs).
	ModeTLS = "tls"
	// ModePlain never encrypts. Only allowed for loopback hosts, for a
	// local catcher such as mailpit.
	ModePlain = "plain"
)

// Default ports for the two URL schemes (submission and submissions).
const (
	defaultSubmissionPort  = 587
	defaultSubmissionsPort = 465
)

// SMTPConfig says how to reach the outgoing mail relay.
type SMTPConfig struct {
	// Host is the relay's name; it is also the name its TLS
	// certificate is checked against.
	Host string
	// Port is the relay's TCP port.
	Port int
	// Username and Password, when set, are sent with AUTH PLAIN (or
	// LOGIN), only over TLS or to a loopback host.
	Username, Password string
	// Mode is ModeSTARTTLS (when empty), ModeTLS or ModePlain.
	Mode string
	// From is the sender used when a Message has none.
	From string
	// HeloName is the client name sent with EHLO; empty means this
	// machine's host name, or "localhost".
	HeloName string
	// Timeout bounds one whole send (dial to QUIT); zero means 60s.
	Timeout time.Duration
	// TLSConfig, when set, is cloned and used for the TLS connection (a
	// private CA in RootCAs, for example). ServerName defaults to Host and
	// the minimum version is raised to TLS 1.2 whatever it says.
	TLSConfig *tls.Config
}

// ParseSMTPURL parses the SMTP_URL setting:
//
//	smtp://user:pass@host[:587]     STARTTLS required (loopback excepted)
//	smtps://user:pass@host[:465]    implicit TLS
//	smtp://localhost:1025?insecure_plain=1   no TLS; loopback hosts only
//
// The user name and password are percent-decoded. Errors name SMTP_URL and
// never repeat the URL, so the password cannot leak into a log.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	var c SMTPConfig
	if strings.TrimSpace(raw) == "" {
		return c, errors.New("SMTP_URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the whole URL, and its cause can quote a piece
		// of a mistyped password: report neither.
		return c, errors.New("SMTP_URL is not a valid URL (percent-encode characters such as @ : / # ? in the user name and password)")
	}
	switch u.Scheme {
	case "smtp":
		c.Mode, c.Port = ModeSTARTTLS, defaultSubmissionPort
	case "smtps":
		c.Mode, c.Port = ModeTLS, defaultSubmissionsPort
	default:
		return c, errors.New("SMTP_URL must start with smtp:// or smtps://")
	}
	if u.Opaque != "" {
		return c, errors.New("SMTP_URL must look like smtp://user:password@host:port")
	}
	if c.Host = u.Hostname(); c.Host == "" {
		return c, errors.New("SMTP_URL has no host")
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return SMTPConfig{}, errors.New("SMTP_URL has an invalid port")
		}
	}
	if (u.Path != "" && u.Path != "/") || u.Fragment != "" {
		return SMTPConfig{}, errors.New("SMTP_URL must not have a path or fragment (percent-encode / and # in the password)")
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return SMTPConfig{}, errors.New("SMTP_URL has an invalid query string")
	}
	for k, vs := range q {
		switch k {
		case "insecure_plain":
			if len(vs) != 1 || (vs[0] != "1" && vs[0] != "true") {
				return SMTPConfig{}, errors.New("SMTP_URL: insecure_plain must be 1")
			}
			if c.Mode != ModeSTARTTLS {
				return SMTPConfig{}, errors.New("SMTP_URL: insecure_plain only goes with smtp://")
			}
			c.Mode = ModePlain
		default:
			return SMTPConfig{}, fmt.Errorf("SMTP_URL: unknown parameter %q (only insecure_plain is known)", k)
		}
	}
	if err := c.Validate(); err != nil {
		return SMTPConfig{}, fmt.Errorf("SMTP_URL: %w", err)
	}
	return c, nil
}

// Validate reports a configuration that cannot, or must not, be used:
// missing host, bad port, unknown mode, plain mode to a remote host, half
// of the credentials. Send calls it before dialling.
func (c SMTPConfig) Validate() error {
	if c.Host == "" || strings.ContainsAny(c.Host, " \t\r\n/@") {
		return errors.New("mail relay host is missing or invalid")
	}
	if c.Port < 1 || c.Port > 65535 {
		return errors.New("mail relay port must be between 1 and 65535")
	}
	switch c.mode() {
	case ModeSTARTTLS, ModeTLS:
	case ModePlain:
		if !isLoopback(c.Host) {
			return errors.New("unencrypted SMTP (insecure_plain) is only allowed to a loopback host")
		}
	default:
		return fmt.Errorf("unknown SMTP mode %q (want starttls, tls or plain)", c.Mode)
	}
	if (c.Username == "") != (c.Password == "") {
		return errors.New("SMTP user name and password must be given together")
	}
	if strings.ContainsAny(c.Username, "\r\n\x00") {
		return errors.New("SMTP user name contains a control character")
	}
	if strings.ContainsAny(c.HeloName, " \t\r\n") {
		return errors.New("SMTP HELO name must be one word")
	}
	if c.Timeout < 0 {
		return errors.New("SMTP timeout must not be negative")
	}
	if c.From != "" {
		if _, err := parseAddress("SMTP From", c.From); err != nil {
			return err
		}
	}
	return nil
}

// mode returns Mode with its default applied.
func (c SMTPConfig) mode() string {
	if c.Mode == "" {
		return ModeSTARTTLS
	}
	return c.Mode
}

// String describes the configuration as a URL for logs, with the password
// replaced by xxxxx.
func (c SMTPConfig) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	switch c.mode() {
	case ModeTLS:
		u.Scheme = "smtps"
	case ModePlain:
		u.RawQuery = "insecure_plain=1"
	}
	switch {
	case c.Password != "":
		u.User = url.UserPassword(c.Username, "xxxxx")
	case c.Username != "":
		u.User = url.User(c.Username)
	}
	return u.String()
}

// GoString keeps %#v from printing the password field.
func (c SMTPConfig) GoString() string { return "mail.SMTPConfig(" + c.String() + ")" }

// isLoopback reports whether host certainly names this machine: the
// literal name localhost or a loopback IP address. Traffic to it never
// crosses a network, so it may go unencrypted.
func isLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
