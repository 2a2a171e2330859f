package tlsserve

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/esimshop/esimshop/web/tlsserve/pebbletest"
)

const testDomain = "shop.esimshop.test"

// TestObtainServeRenew runs Pebble on loopback, lets the server obtain a
// certificate for a made-up domain (resolved to 127.0.0.1 by the test's
// DNS) over each challenge type, serves a page with it, checks :80
// answers the challenge and redirects everything else, and waits for the
// certificate to be renewed on its own before it expires.
func TestObtainServeRenew(t *testing.T) {
	for _, tc := range []struct {
		challenge string
		onPort80  bool // the CA fetches the challenge from :80
	}{
		{"http-01", true},
		{"tls-alpn-01", false},
	} {
		t.Run(tc.challenge, func(t *testing.T) { obtainServeRenew(t, tc.challenge, tc.onPort80) })
	}
}

func obtainServeRenew(t *testing.T, challenge string, onPort80 bool) {
	const validity = 8 * time.Second // renewed in its last third, after ~5s
	pebble := pebbletest.Start(t, validity)
	dir := t.TempDir()
	var challenges atomic.Int32
	s, err := Listen(Config{
		Domains: []string{testDomain}, Email: "ops@esimshop.test",
		CA: pebble.URL, Roots: pebble.Roots, Dir: dir,
		HTTPAddr: "127.0.0.1:0", HTTPSAddr: "127.0.0.1:0",
		RenewCheck: 500 * time.Millisecond, only: challenge,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		wrapHTTP: func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/.well-known/acme-challenge/") {
					challenges.Add(1)
				}
				h.ServeHTTP(w, r)
			})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	app := &http.Server{ErrorLog: log.New(io.Discard, "", 0), Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello over "+r.Proto)
	})}
	go app.Serve(s.Listener())
	t.Cleanup(func() {
		app.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	})
	pebble.SetPorts(port(mustAddr(t, s.HTTPAddr())), port(mustAddr(t, s.HTTPSAddr())))
	if err := s.Manage(context.Background()); err != nil {
		t.Fatal(err)
	}

	roots := pebble.IssuerRoots()
	first := waitCert(t, s.HTTPSAddr(), roots, nil, 20*time.Second)
	if got := get(t, s.HTTPSAddr(), roots, "/"); got != "hello over HTTP/1.1" {
		t.Errorf("page over TLS = %q", got)
	}
	if n := challenges.Load(); (n > 0) != onPort80 {
		t.Errorf("%d challenge requests reached :80 over %s", n, challenge)
	}
	t.Logf("obtained: serial %s, expires %s", first.SerialNumber, first.NotAfter.Format(time.TimeOnly))
	files, _ := filepath.Glob(filepath.Join(dir, "certificates", "*", testDomain, testDomain+".crt"))
	if len(files) != 1 {
		t.Errorf("certificate not stored under %s: %v", dir, files)
	}

	// :80 redirects to https (same host, path and query), except the
	// challenge, which Pebble fetched there.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("GET", "http://"+s.HTTPAddr()+"/destinations/jp?lang=es", nil)
	req.Host = testDomain
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := "https://" + net.JoinHostPort(testDomain, strconv.Itoa(port(mustAddr(t, s.HTTPSAddr())))) + "/destinations/jp?lang=es"
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
		t.Errorf(":80 answered %d Location %q, want 301 %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}

	renewed := waitCert(t, s.HTTPSAddr(), roots, first, 20*time.Second)
	if !renewed.NotAfter.After(first.NotAfter) {
		t.Errorf("renewed certificate expires %v, not after the first's %v", renewed.NotAfter, first.NotAfter)
	}
	t.Logf("renewed: serial %s, expires %s", renewed.SerialNumber, renewed.NotAfter.Format(time.TimeOnly))
}

// waitCert waits until addr presents a certificate for testDomain that
// verifies against roots and differs from prev, and returns it.
func waitCert(t *testing.T, addr string, roots *x509.CertPool, prev *x509.Certificate, within time.Duration) *x509.Certificate {
	t.Helper()
	deadline := time.Now().Add(within)
	var lastErr error
	for time.Now().Before(deadline) {
		conn, err := tls.Dial("tcp", addr, &tls.Config{ServerName: testDomain, RootCAs: roots})
		if err == nil {
			cert := conn.ConnectionState().PeerCertificates[0]
			conn.Close()
			if prev == nil || cert.SerialNumber.Cmp(prev.SerialNumber) != 0 {
				return cert
			}
			lastErr = nil
		} else {
			lastErr = err
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no new certificate for %s within %s (last handshake error: %v)", testDomain, within, lastErr)
	return nil
}

// get fetches path over https from addr, verifying the certificate.
func get(t *testing.T, addr string, roots *x509.CertPool, path string) string {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	resp, err := c.Get("https://" + testDomain + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func mustAddr(t *testing.T, s string) net.Addr {
	t.Helper()
	a, err := net.ResolveTCPAddr("tcp", s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
