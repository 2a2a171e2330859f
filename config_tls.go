package main

import (
	"crypto/x509"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/esimshop/esimshop/web/tlsserve"
)

// tlsProblems checks the automatic-HTTPS settings: each domain a host
// name a CA can certify, BASE_URL https on one of them, a plausible
// contact address, and a CA that is an https URL.
func (c Config) tlsProblems() []string {
	if len(c.TLSDomains) == 0 {
		var p []string
		for key, v := range map[string]string{"ACME_EMAIL": c.ACMEEmail, "ACME_CA": c.ACMECA, "ACME_CA_ROOT": c.ACMECARoot} {
			if v != "" {
				p = append(p, key+" is set but TLS_DOMAINS is not: set TLS_DOMAINS to the shop's host names to serve https")
			}
		}
		slices.Sort(p)
		return p
	}
	var p []string
	for _, d := range c.TLSDomains {
		if err := tlsserve.CheckDomain(d); err != nil {
			p = append(p, "TLS_DOMAINS: "+err.Error())
		}
	}
	if u, err := url.Parse(c.BaseURL); err == nil && u.Host != "" {
		if u.Scheme != "https" || !slices.Contains(c.TLSDomains, u.Hostname()) {
			p = append(p, fmt.Sprintf("BASE_URL %q must be https:// on one of TLS_DOMAINS (%s)", c.BaseURL, strings.Join(c.TLSDomains, ", ")))
		}
	}
	if c.ACMEEmail != "" {
		if _, err := netmail.ParseAddress(c.ACMEEmail); err != nil || strings.ContainsAny(c.ACMEEmail, "<> ") {
			p = append(p, fmt.Sprintf("ACME_EMAIL %q is not a plain email address", c.ACMEEmail))
		}
	}
	if c.ACMECA != "" {
		if u, err := url.Parse(c.ACMECA); err != nil || u.Scheme != "https" || u.Host == "" {
			p = append(p, fmt.Sprintf("ACME_CA %q must be the https URL of an ACME directory", c.ACMECA))
		}
	}
	for key, addr := range map[string]string{"TLS_HTTP_ADDR": c.TLSHTTPAddr, "TLS_HTTPS_ADDR": c.TLSHTTPSAddr} {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			p = append(p, fmt.Sprintf("%s %q must be host:port, like :443", key, addr))
		}
	}
	return p
}

// tlsConfig is the automatic-HTTPS configuration: certificates under
// "tls" beside the database, so a backup of the directory keeps them.
func (c Config) tlsConfig() (tlsserve.Config, error) {
	tc := tlsserve.Config{
		Domains: c.TLSDomains, Email: c.ACMEEmail, CA: c.ACMECA,
		Dir:      filepath.Join(filepath.Dir(c.DBPath), "tls"),
		HTTPAddr: c.TLSHTTPAddr, HTTPSAddr: c.TLSHTTPSAddr,
	}
	if c.ACMECARoot != "" {
		pem, err := os.ReadFile(c.ACMECARoot)
		if err != nil {
			return tc, fmt.Errorf("ACME_CA_ROOT: %w", err)
		}
		tc.Roots = x509.NewCertPool()
		if !tc.Roots.AppendCertsFromPEM(pem) {
			return tc, fmt.Errorf("ACME_CA_ROOT %s holds no PEM certificate", c.ACMECARoot)
		}
	}
	return tc, nil
}

// splitList splits a comma-separated setting, lower-cased, dropping
// blanks and repeats.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.ToLower(strings.TrimSpace(f)); f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}
