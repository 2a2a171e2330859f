// Package pebbletest runs Let's Encrypt's ACME test CA, Pebble
// (github.com/letsencrypt/pebble/v2), inside a test process on loopback,
// together with a DNS server that resolves every name to 127.0.0.1, so a
// test can obtain and renew real ACME certificates for made-up domains
// without the network. Only tests import it.
package pebbletest

import (
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/letsencrypt/pebble/v2/ca"
	"github.com/letsencrypt/pebble/v2/db"
	"github.com/letsencrypt/pebble/v2/va"
	"github.com/letsencrypt/pebble/v2/wfe"
	"github.com/miekg/dns"
)

// CA is a running Pebble. Its validation authority needs to know which
// ports the client under test answers challenges on, so the CA starts
// answering only after SetPorts; requests that come earlier wait.
type CA struct {
	// URL is the ACME directory.
	URL string
	// Roots trusts the directory's HTTPS endpoint (ACME clients' TLS
	// to the CA), not the certificates the CA issues.
	Roots *x509.CertPool
	// RootPEM is Roots' certificate, PEM-encoded, for ACME_CA_ROOT.
	RootPEM []byte

	srv      *httptest.Server
	dnsAddr  string
	validity time.Duration
	ready    chan struct{}
	once     sync.Once
	wfe      http.Handler
	ca       *ca.CAImpl
}

// Start runs Pebble until the test ends. Certificates it issues are
// valid for validity (rounded to seconds; 0 is Pebble's 90 days). It
// switches off Pebble's random validation delays and nonce rejections,
// which exist to harden clients and would only make the test slow.
func Start(t testing.TB, validity time.Duration) *CA {
	t.Helper()
	for k, v := range map[string]string{"PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0", "PEBBLE_AUTHZREUSE": "0"} {
		t.Setenv(k, v)
	}
	c := &CA{validity: validity, ready: make(chan struct{})}
	c.dnsAddr = startDNS(t)
	c.srv = httptest.NewUnstartedServer(http.HandlerFunc(c.serve))
	c.srv.StartTLS()
	t.Cleanup(c.srv.Close)
	c.URL = c.srv.URL + wfe.DirectoryPath
	c.Roots = x509.NewCertPool()
	c.Roots.AddCert(c.srv.Certificate())
	c.RootPEM = pemCert(c.srv.Certificate().Raw)
	return c
}

// SetPorts starts the CA proper: HTTP-01 challenges are fetched from
// httpPort and TLS-ALPN-01 ones from tlsPort of 127.0.0.1.
func (c *CA) SetPorts(httpPort, tlsPort int) {
	c.once.Do(func() {
		logger := log.New(io.Discard, "", 0)
		if os.Getenv("PEBBLE_LOG") != "" {
			logger = log.New(os.Stderr, "pebble ", log.LstdFlags)
		}
		store := db.NewMemoryStore()
		profiles := map[string]ca.Profile{"default": {Description: "test", ValidityPeriod: uint64(c.validity / time.Second)}}
		c.ca = ca.New(logger, store, "", "ecdsa", 0, 1, profiles)
		v := va.New(logger, httpPort, tlsPort, false, c.dnsAddr, store)
		front := wfe.New(logger, store, v, c.ca, []string{"pebble.letsencrypt.org"}, false, false, 0, 0)
		c.wfe = front.Handler()
		close(c.ready)
	})
}

// IssuerRoots is the pool of the root that signs the certificates this CA
// issues: what a browser would have to trust.
func (c *CA) IssuerRoots() *x509.CertPool {
	<-c.ready
	pool := x509.NewCertPool()
	cert, err := x509.ParseCertificate(c.ca.GetRootCert(0).DER)
	if err != nil {
		panic(err) // Pebble made it: cannot happen
	}
	pool.AddCert(cert)
	return pool
}

func (c *CA) serve(w http.ResponseWriter, r *http.Request) {
	select {
	case <-c.ready:
		c.wfe.ServeHTTP(w, r)
	case <-time.After(30 * time.Second):
		http.Error(w, "pebbletest: SetPorts was never called", http.StatusServiceUnavailable)
	}
}

// startDNS serves DNS over TCP on loopback (Pebble's resolver uses TCP),
// answering every A question with 127.0.0.1 and every other with nothing.
func startDNS(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{Listener: ln, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		for _, question := range q.Question {
			if question.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, &dns.A{
					Hdr: dns.RR_Header{Name: question.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 0},
					A:   net.IPv4(127, 0, 0, 1),
				})
			}
		}
		_ = w.WriteMsg(m)
	})}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return ln.Addr().String()
}
