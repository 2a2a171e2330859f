package main

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/esimshop/esimshop/web/tlsserve/pebbletest"
)

// TestGoLiveHTTPS follows the README's "Going live" steps with Pebble
// standing in for Let's Encrypt: the shop is started with TLS_DOMAINS,
// ACME_EMAIL and ACME_CA (and ACME_CA_ROOT, as the test CA's directory is
// not publicly trusted), obtains a certificate on its own, serves the
// storefront over https with HSTS, and redirects http to https.
func TestGoLiveHTTPS(t *testing.T) {
	const domain = "shop.esimshop.test"
	pebble := pebbletest.Start(t, 0)
	dir := t.TempDir()
	root := filepath.Join(dir, "pebble.pem")
	if err := os.WriteFile(root, pebble.RootPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"TLS_DOMAINS": domain + ",www." + domain, "ACME_EMAIL": "ops@esimshop.test",
		"ACME_CA": pebble.URL, "ACME_CA_ROOT": root,
		// Not root here: loopback ports stand in for :80 and :443.
		"TLS_HTTP_ADDR": "127.0.0.1:0", "TLS_HTTPS_ADDR": "127.0.0.1:0",
	}
	db := filepath.Join(dir, "data", "shop.db")
	if err := os.Mkdir(filepath.Dir(db), 0o700); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig("serve", []string{"-demo", "-db", db}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.BaseURL != "https://"+domain {
		t.Errorf("BASE_URL defaults to %q, want https://%s", cfg.BaseURL, domain)
	}
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	pebble.SetPorts(portOf(t, m.tls.HTTPAddr()), portOf(t, m.tls.HTTPSAddr()))

	// A browser that trusts the CA: it connects to the shop's :443 for
	// the domain.
	browser := &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pebble.IssuerRoots()},
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				_, port, _ := net.SplitHostPort(addr)
				target := m.tls.HTTPSAddr()
				if port == "80" {
					target = m.tls.HTTPAddr()
				}
				return (&net.Dialer{}).DialContext(ctx, network, target)
			},
		},
	}
	var resp *http.Response
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err = browser.Get("https://www." + domain + "/destinations/jp")
		if err == nil && resp.StatusCode == http.StatusOK {
			break
		}
		if err == nil {
			resp.Body.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("no storefront over https within 30s: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	defer resp.Body.Close()
	if hsts := resp.Header.Get("Strict-Transport-Security"); hsts == "" {
		t.Error("no HSTS header over https")
	}
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Find("h1").Length() == 0 {
		t.Error("the destination page has no heading")
	}
	if names := resp.TLS.PeerCertificates[0].DNSNames; len(names) != 1 || names[0] != "www."+domain {
		t.Errorf("certificate names %v, want www.%s (one certificate per name)", names, domain)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(db), "tls", "acme")); err != nil {
		t.Errorf("ACME account not kept beside the database: %v", err)
	}

	// The demo sandbox's notices reach the shop on its loopback listener
	// (a junk notice is refused by the shop, not by the network).
	junk, err := http.Post("http://"+m.demoLn.Addr().String()+"/webhooks/billionconnect", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatalf("the sandbox's way in: %v", err)
	}
	junk.Body.Close()
	if junk.StatusCode < 400 || junk.StatusCode >= 500 {
		t.Errorf("a junk notice got %d, want the shop's 4xx", junk.StatusCode)
	}

	// http:// goes to https:// (same path), on the HTTPS port in use.
	browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	r80, err := browser.Get("http://" + domain + "/destinations/jp")
	if err != nil {
		t.Fatal(err)
	}
	r80.Body.Close()
	want := "https://" + net.JoinHostPort(domain, strconv.Itoa(portOf(t, m.tls.HTTPSAddr()))) + "/destinations/jp"
	if r80.StatusCode != http.StatusMovedPermanently || r80.Header.Get("Location") != want {
		t.Errorf("http answered %d %q, want 301 %q", r80.StatusCode, r80.Header.Get("Location"), want)
	}
}

func portOf(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(p)
	return n
}
