package mail

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// testHost is the relay's name in tests. It is not loopback, so the
// client applies its production rules (TLS required); the dial hook of
// newTestSMTP routes it to the in-process server.
const testHost = "mail.example.test"

// testCert returns a self-signed certificate for testHost and loopback,
// and a pool that trusts it.
func testCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: testHost},
		DNSNames:              []string{testHost, "localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// serverOpts shapes the test relay's behaviour.
type serverOpts struct {
	implicitTLS   bool   // TLS from the first byte (port 465 style)
	offerSTARTTLS bool   // advertise and accept STARTTLS
	authMechs     string // advertised after AUTH; "" = no AUTH extension
	user, pass    string // accepted credentials
	rcptReply     string // reply to RCPT; "" = 250
	dataReply     string // reply after the message; "" = 250
	stall         bool   // accept the connection and never answer
}

// session is what the relay saw on one connection.
type session struct {
	helo       string
	tls        bool
	authMech   string
	user, pass string
	authOK     bool
	mailFrom   string
	rcptTo     []string
	data       []byte
	quit       bool
}

// testServer is a small SMTP server: EHLO/HELO, STARTTLS, AUTH PLAIN and
// LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT. It records each session.
type testServer struct {
	t    *testing.T
	opts serverOpts
	ln   net.Listener
	tls  *tls.Config
	wg   sync.WaitGroup

	mu       sync.Mutex
	sessions []*session
	conns    []net.Conn
}

// startServer listens on a loopback port until the test ends.
func startServer(t *testing.T, opts serverOpts) (*testServer, *x509.CertPool) {
	t.Helper()
	cert, pool := testCert(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{t: t, opts: opts, ln: ln, tls: &tls.Config{Certificates: []tls.Certificate{cert}}}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s, pool
}

// addr is the listener's host:port.
func (s *testServer) addr() string { return s.ln.Addr().String() }

// port is the listener's port.
func (s *testServer) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// got returns copies of the recorded sessions.
func (s *testServer) got() []session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]session, len(s.sessions))
	for i, p := range s.sessions {
		out[i] = *p
	}
	return out
}

// update changes a session under the lock (the test reads concurrently).
func (s *testServer) update(sess *session, f func(*session)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(sess)
}

func (s *testServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, c)
		sess := &session{}
		s.sessions = append(s.sessions, sess)
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			s.serve(c, sess)
		}()
	}
}

// reply writes one or more reply lines with the given code.
func reply(tp *textproto.Conn, code int, lines ...string) {
	for i, l := range lines {
		sep := "-"
		if i == len(lines)-1 {
			sep = " "
		}
		tp.PrintfLine("%d%s%s", code, sep, l)
	}
}

func (s *testServer) serve(conn net.Conn, sess *session) {
	if s.opts.implicitTLS {
		tc := tls.Server(conn, s.tls)
		if err := tc.Handshake(); err != nil {
			return
		}
		conn = tc
		s.update(sess, func(x *session) { x.tls = true })
	}
	if s.opts.stall {
		io.Copy(io.Discard, conn) // until the client gives up and closes
		return
	}
	tp := textproto.NewConn(conn)
	reply(tp, 220, testHost+" ESMTP test")
	encrypted := s.opts.implicitTLS
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			s.update(sess, func(x *session) { x.helo = arg })
			lines := []string{testHost + " hello " + arg, "8BITMIME"}
			if s.opts.offerSTARTTLS && !encrypted {
				lines = append(lines, "STARTTLS")
			}
			if s.opts.authMechs != "" {
				lines = append(lines, "AUTH "+s.opts.authMechs)
			}
			reply(tp, 250, lines...)
		case "HELO":
			s.update(sess, func(x *session) { x.helo = arg })
			reply(tp, 250, testHost)
		case "STARTTLS":
			if !s.opts.offerSTARTTLS || encrypted {
				reply(tp, 503, "5.5.1 not now")
				continue
			}
			reply(tp, 220, "2.0.0 go ahead")
			tc := tls.Server(conn, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			conn, encrypted = tc, true
			tp = textproto.NewConn(tc)
			s.update(sess, func(x *session) { x.tls = true })
		case "AUTH":
			s.auth(tp, sess, arg)
		case "MAIL":
			s.update(sess, func(x *session) { x.mailFrom = envelopeAddr(arg, "FROM:") })
			reply(tp, 250, "2.1.0 ok")
		case "RCPT":
			if s.opts.rcptReply != "" {
				tp.PrintfLine("%s", s.opts.rcptReply)
				continue
			}
			s.update(sess, func(x *session) { x.rcptTo = append(x.rcptTo, envelopeAddr(arg, "TO:")) })
			reply(tp, 250, "2.1.5 ok")
		case "DATA":
			reply(tp, 354, "end with <CRLF>.<CRLF>")
			data, err := readData(tp.R)
			if err != nil {
				return
			}
			s.update(sess, func(x *session) { x.data = data })
			if s.opts.dataReply != "" {
				tp.PrintfLine("%s", s.opts.dataReply)
				continue
			}
			reply(tp, 250, "2.0.0 queued")
		case "RSET", "NOOP":
			reply(tp, 250, "2.0.0 ok")
		case "QUIT":
			s.update(sess, func(x *session) { x.quit = true })
			reply(tp, 221, "2.0.0 bye")
			return
		default:
			reply(tp, 502, "5.5.2 unknown command")
		}
	}
}

// auth handles AUTH PLAIN (with or without an initial response) and LOGIN.
func (s *testServer) auth(tp *textproto.Conn, sess *session, arg string) {
	mech, initial, _ := strings.Cut(arg, " ")
	mech = strings.ToUpper(mech)
	prompt := func(challenge string) (string, bool) {
		reply(tp, 334, base64.StdEncoding.EncodeToString([]byte(challenge)))
		l, err := tp.ReadLine()
		if err != nil || l == "*" {
			return "", false
		}
		b, err := base64.StdEncoding.DecodeString(l)
		return string(b), err == nil
	}
	var user, pass string
	switch {
	case mech == "PLAIN" && strings.Contains(s.opts.authMechs, "PLAIN"):
		resp := initial
		if resp == "" {
			r, ok := prompt("")
			if !ok {
				reply(tp, 501, "5.5.2 cancelled")
				return
			}
			resp = base64.StdEncoding.EncodeToString([]byte(r))
		}
		b, err := base64.StdEncoding.DecodeString(resp)
		parts := strings.Split(string(b), "\x00")
		if err != nil || len(parts) != 3 {
			reply(tp, 501, "5.5.2 malformed")
			return
		}
		user, pass = parts[1], parts[2]
	case mech == "LOGIN" && strings.Contains(s.opts.authMechs, "LOGIN"):
		var ok bool
		if user, ok = prompt("Username:"); !ok {
			reply(tp, 501, "5.5.2 cancelled")
			return
		}
		if pass, ok = prompt("Password:"); !ok {
			reply(tp, 501, "5.5.2 cancelled")
			return
		}
	default:
		reply(tp, 504, "5.5.4 mechanism not supported")
		return
	}
	okCreds := user == s.opts.user && pass == s.opts.pass
	s.update(sess, func(x *session) { x.authMech, x.user, x.pass, x.authOK = mech, user, pass, okCreds })
	if !okCreds {
		reply(tp, 535, "5.7.8 authentication credentials invalid")
		return
	}
	reply(tp, 235, "2.7.0 authenticated")
}

// envelopeAddr extracts the address from "FROM:<a@b> BODY=8BITMIME".
func envelopeAddr(arg, prefix string) string {
	arg = strings.TrimSpace(arg)
	if len(arg) >= len(prefix) && strings.EqualFold(arg[:len(prefix)], prefix) {
		arg = arg[len(prefix):]
	}
	arg, _, _ = strings.Cut(arg, " ")
	return strings.Trim(arg, "<>")
}

// readData reads the message after DATA byte for byte (unlike
// textproto's DotReader, which rewrites CRLF), undoing dot-stuffing.
func readData(r *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if line == ".\r\n" {
			return out, nil
		}
		out = append(out, strings.TrimPrefix(line, ".")...)
	}
}
