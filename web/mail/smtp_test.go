package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fixedNow is the clock of every test send, so DATA can be compared with
// Compose's output byte for byte.
var fixedNow = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

const (
	testUser = "shop@example.com"
	testPass = "p@ss:w/rd%ñ"
)

// newTestSMTP returns a client for srv under the name host, trusting the
// test certificate. Whatever host says, the connection goes to srv.
func newTestSMTP(srv *testServer, pool *x509.CertPool, cfg SMTPConfig) *SMTP {
	if cfg.Host == "" {
		cfg.Host = testHost
	}
	cfg.Port = srv.port()
	if pool != nil {
		cfg.TLSConfig = &tls.Config{RootCAs: pool}
	}
	s := NewSMTP(cfg)
	s.now = func() time.Time { return fixedNow }
	s.dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, srv.addr())
	}
	return s
}

// testMessage has a fixed Message-ID so its composition is reproducible.
func testMessage() Message {
	return Message{
		From:    "Tienda eSIM <tienda@esimshop.example>",
		To:      "María Núñez <maria@example.org>",
		Subject: "Tu eSIM está lista",
		Text:    "Hola María,\n.línea que empieza con punto\nAdiós\n",
		HTML:    `<p>Hola María</p><img src="cid:qr-1">`,
		Attachments: []Attachment{
			{Filename: "esim-1.png", ContentType: "image/png", ContentID: "qr-1", Data: bytes.Repeat([]byte{0x89, 'P', 'N', 'G', 0, 0xff}, 200)},
		},
		Headers: map[string]string{"X-Order": "ES-1001", "Message-ID": "<order-ES-1001@esimshop.example>"},
	}
}

func TestSendDelivers(t *testing.T) {
	tests := []struct {
		name     string
		opts     serverOpts
		mode     string
		wantMech string
	}{
		{"starttls auth plain", serverOpts{offerSTARTTLS: true, authMechs: "LOGIN PLAIN"}, ModeSTARTTLS, "PLAIN"},
		{"starttls auth login only", serverOpts{offerSTARTTLS: true, authMechs: "LOGIN"}, ModeSTARTTLS, "LOGIN"},
		{"implicit tls", serverOpts{implicitTLS: true, authMechs: "PLAIN"}, ModeTLS, "PLAIN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.user, tt.opts.pass = testUser, testPass
			srv, pool := startServer(t, tt.opts)
			c := newTestSMTP(srv, pool, SMTPConfig{Mode: tt.mode, Username: testUser, Password: testPass, HeloName: "shop.example"})
			m := testMessage()
			if err := c.Send(context.Background(), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			want, err := Compose(m, fixedNow, "")
			if err != nil {
				t.Fatal(err)
			}
			got := srv.got()
			if len(got) != 1 {
				t.Fatalf("sessions = %d, want 1", len(got))
			}
			s := got[0]
			if !s.tls {
				t.Error("session was not encrypted")
			}
			if s.helo != "shop.example" {
				t.Errorf("EHLO %q, want shop.example", s.helo)
			}
			if s.authMech != tt.wantMech || s.user != testUser || s.pass != testPass || !s.authOK {
				t.Errorf("auth = %s %q %q ok=%v, want %s with the configured credentials", s.authMech, s.user, s.pass, s.authOK, tt.wantMech)
			}
			if s.mailFrom != "tienda@esimshop.example" {
				t.Errorf("MAIL FROM %q", s.mailFrom)
			}
			if len(s.rcptTo) != 1 || s.rcptTo[0] != "maria@example.org" {
				t.Errorf("RCPT TO %q", s.rcptTo)
			}
			if !bytes.Equal(normalizeBoundaries(s.data), normalizeBoundaries(want)) {
				t.Errorf("DATA differs from Compose:\n got: %q\nwant: %q", s.data, want)
			}
			if !s.quit {
				t.Error("no QUIT")
			}
		})
	}
}

func TestSendDefaultsFromToConfig(t *testing.T) {
	srv, pool := startServer(t, serverOpts{offerSTARTTLS: true})
	c := newTestSMTP(srv, pool, SMTPConfig{From: "Tienda <noreply@esimshop.example>"})
	m := testMessage()
	m.From = ""
	if err := c.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	s := srv.got()[0]
	if s.mailFrom != "noreply@esimshop.example" || !bytes.Contains(s.data, []byte("From: \"Tienda\" <noreply@esimshop.example>\r\n")) {
		t.Errorf("MAIL FROM %q; data header missing configured From:\n%s", s.mailFrom, s.data)
	}
}

func TestSendReplyClassification(t *testing.T) {
	tests := []struct {
		name     string
		opts     serverOpts
		wantTemp bool
		wantCode int
	}{
		{"rcpt 550 permanent", serverOpts{rcptReply: "550 5.1.1 no such user"}, false, 550},
		{"rcpt 451 temporary", serverOpts{rcptReply: "451 4.3.0 try later"}, true, 451},
		{"data 552 permanent", serverOpts{dataReply: "552 5.3.4 too big"}, false, 552},
		{"data 421 temporary", serverOpts{dataReply: "421 4.4.2 shutting down"}, true, 421},
		{"bad credentials permanent", serverOpts{authMechs: "PLAIN", user: "other", pass: "other"}, false, 535},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.offerSTARTTLS = true
			srv, pool := startServer(t, tt.opts)
			cfg := SMTPConfig{}
			if tt.opts.authMechs != "" {
				cfg.Username, cfg.Password = testUser, testPass
			}
			err := newTestSMTP(srv, pool, cfg).Send(context.Background(), testMessage())
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if Temporary(err) != tt.wantTemp {
				t.Errorf("Temporary(%v) = %v, want %v", err, !tt.wantTemp, tt.wantTemp)
			}
			if ReplyCode(err) != tt.wantCode {
				t.Errorf("err %v does not carry code %d", err, tt.wantCode)
			}
			if strings.Contains(err.Error(), testPass) {
				t.Errorf("error leaks the password: %v", err)
			}
		})
	}
}

func TestSendRefusesInsecure(t *testing.T) {
	tests := []struct {
		name string
		opts serverOpts
		cfg  SMTPConfig
		pool bool
	}{
		{"no STARTTLS offered", serverOpts{authMechs: "PLAIN"}, SMTPConfig{Username: testUser, Password: testPass}, true},
		{"no STARTTLS offered, no auth", serverOpts{}, SMTPConfig{}, true},
		{"untrusted certificate", serverOpts{offerSTARTTLS: true, authMechs: "PLAIN"}, SMTPConfig{Username: testUser, Password: testPass}, false},
		{"untrusted certificate, implicit tls", serverOpts{implicitTLS: true}, SMTPConfig{Mode: ModeTLS}, false},
		{"credentials but no AUTH offered", serverOpts{offerSTARTTLS: true}, SMTPConfig{Username: testUser, Password: testPass}, true},
		{"plain mode to a remote host", serverOpts{authMechs: "PLAIN"}, SMTPConfig{Mode: ModePlain}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.user, tt.opts.pass = testUser, testPass
			srv, pool := startServer(t, tt.opts)
			if !tt.pool {
				pool = nil
			}
			err := newTestSMTP(srv, pool, tt.cfg).Send(context.Background(), testMessage())
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if Temporary(err) {
				t.Errorf("Temporary(%v) = true, want a permanent refusal", err)
			}
			for _, s := range srv.got() {
				if s.mailFrom != "" || s.data != nil || s.user != "" {
					t.Errorf("server received MAIL %q, user %q, %d data bytes", s.mailFrom, s.user, len(s.data))
				}
			}
		})
	}
}

// TestSendLoopbackClearText: a local relay (mailpit) may be used without
// TLS, with credentials, in plain mode and in starttls mode when the relay
// offers no STARTTLS.
func TestSendLoopbackClearText(t *testing.T) {
	for _, mode := range []string{ModePlain, ModeSTARTTLS} {
		t.Run(mode, func(t *testing.T) {
			srv, _ := startServer(t, serverOpts{authMechs: "PLAIN", user: testUser, pass: testPass})
			c := newTestSMTP(srv, nil, SMTPConfig{Host: "127.0.0.1", Mode: mode, Username: testUser, Password: testPass})
			if err := c.Send(context.Background(), testMessage()); err != nil {
				t.Fatal(err)
			}
			s := srv.got()[0]
			if s.tls || !s.authOK || s.data == nil {
				t.Errorf("tls=%v authOK=%v data=%d bytes", s.tls, s.authOK, len(s.data))
			}
		})
	}
}

func TestSendTimeout(t *testing.T) {
	tests := []struct {
		name    string
		ctx     time.Duration
		timeout time.Duration
	}{
		{"context deadline", 200 * time.Millisecond, time.Minute},
		{"config timeout", 0, 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, pool := startServer(t, serverOpts{stall: true})
			ctx := context.Background()
			if tt.ctx > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.ctx)
				defer cancel()
			}
			c := newTestSMTP(srv, pool, SMTPConfig{Timeout: tt.timeout})
			start := time.Now()
			err := c.Send(ctx, testMessage())
			if err == nil {
				t.Fatal("Send succeeded against a silent server")
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("Send took %v", d)
			}
			if !Temporary(err) || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v; want a temporary deadline error", err)
			}
		})
	}
}

func TestSendCancel(t *testing.T) {
	srv, pool := startServer(t, serverOpts{stall: true})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	err := newTestSMTP(srv, pool, SMTPConfig{}).Send(ctx, testMessage())
	if !errors.Is(err, context.Canceled) || !Temporary(err) {
		t.Errorf("err = %v; want a temporary cancellation", err)
	}
}

func TestSendInvalidMessage(t *testing.T) {
	srv, pool := startServer(t, serverOpts{offerSTARTTLS: true})
	m := testMessage()
	m.Subject = "Hola\r\nBcc: everyone@example.org"
	err := newTestSMTP(srv, pool, SMTPConfig{}).Send(context.Background(), m)
	if !errors.Is(err, ErrInvalid) || Temporary(err) {
		t.Errorf("err = %v; want permanent ErrInvalid", err)
	}
	if n := len(srv.got()); n != 0 {
		t.Errorf("client connected %d times for an invalid message", n)
	}
}

func TestTemporary(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"invalid", ErrInvalid, false},
		{"4xx", &textproto.Error{Code: 421, Msg: "busy"}, true},
		{"5xx", &textproto.Error{Code: 554, Msg: "rejected"}, false},
		{"network", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, true},
		{"deadline", context.DeadlineExceeded, true},
		{"unknown authority", x509.UnknownAuthorityError{}, false},
		{"refusal", refuse("no"), false},
	}
	for _, tt := range tests {
		if got := Temporary(tt.err); got != tt.want {
			t.Errorf("%s: Temporary = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSMTPStringHidesPassword(t *testing.T) {
	c := NewSMTP(SMTPConfig{Host: testHost, Port: 587, Username: testUser, Password: testPass})
	for _, s := range []string{c.String(), fmtAll(c), fmtAll(*c)} {
		if strings.Contains(s, testPass) {
			t.Errorf("password in %q", s)
		}
	}
}

// boundaryRE finds the multipart boundaries Compose declares.
var boundaryRE = regexp.MustCompile(`boundary=([0-9a-f]+)`)

// normalizeBoundaries replaces the random multipart boundaries with
// numbered placeholders, so two compositions of one message compare equal.
func normalizeBoundaries(b []byte) []byte {
	for i, m := range boundaryRE.FindAllSubmatch(b, -1) {
		b = bytes.ReplaceAll(b, m[1], []byte(fmt.Sprintf("BOUNDARY%d", i)))
	}
	return b
}
