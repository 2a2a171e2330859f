package main

import (
	"bytes"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/esimshop/esimshop/bc/sandbox"
)

// TestDoctor runs `esimshop doctor` on configurations against the vendor
// sandbox and checks what it tells the operator to fix.
func TestDoctor(t *testing.T) {
	const key, secret = "doctor-key", "doctor-fake-secret"
	vendor := httptest.NewServer(sandbox.New(sandbox.Config{AppKey: key, AppSecret: secret}))
	defer vendor.Close()
	dir := t.TempDir()
	private := filepath.Join(dir, "private.db")
	if err := os.WriteFile(private, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	open := filepath.Join(dir, "open.db")
	if err := os.WriteFile(open, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	live := map[string]string{
		"BC_API_URL": vendor.URL, "BC_APP_KEY": key, "BC_APP_SECRET": secret,
		"STRIPE_SECRET_KEY": "sk_live_fake", "STRIPE_WEBHOOK_SECRET": "whsec_fake",
		"TLS_DOMAINS": "shop.example.com", "DB_PATH": private,
	}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range live {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	for _, tc := range []struct {
		name  string
		env   map[string]string
		ok    bool
		say   []string // lines the output must contain
		never string   // nor this (a secret)
	}{
		{"ready", live, true, []string{"ok  BASE_URL https://shop.example.com is https (served by the shop itself", "ok  STRIPE_SECRET_KEY is a live key",
			"ok  the vendor answers (F014)", "is writable and private", "https://shop.example.com/webhooks/billionconnect", "https://shop.example.com/webhooks/stripe"}, secret},
		{"test stripe key", with("STRIPE_SECRET_KEY", "sk_test_fake"), false, []string{"FIX STRIPE_SECRET_KEY is a test key"}, ""},
		{"plain http", with("TLS_DOMAINS", "", "BASE_URL", "http://shop.example.com"), false, []string{"FIX BASE_URL http://shop.example.com is not https"}, ""},
		{"wrong vendor secret", with("BC_APP_SECRET", "wrong-fake-secret"), false, []string{"FIX the vendor at " + vendor.URL + " did not answer F014"}, "wrong-fake-secret"},
		{"database readable by others", with("DB_PATH", open), false, []string{"FIX the database " + open + " is readable by others (mode 0644)"}, ""},
		{"database folder missing", with("DB_PATH", filepath.Join(dir, "nope", "shop.db")), false, []string{"FIX the database folder " + filepath.Join(dir, "nope") + " is not writable"}, ""},
		{"missing credentials", with("BC_APP_KEY", "", "STRIPE_SECRET_KEY", ""), false, []string{"FIX missing vendor credentials BC_APP_KEY", "FIX missing STRIPE_SECRET_KEY"}, ""},
		{"base url off the tls domains", with("BASE_URL", "https://other.example.com"), false, []string{"FIX BASE_URL \"https://other.example.com\" must be https:// on one of TLS_DOMAINS"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run([]string{"doctor"}, func(k string) string { return tc.env[k] }, &out, io.Discard)
			if (err == nil) != tc.ok {
				t.Errorf("error %v, want ok=%v\n%s", err, tc.ok, out.String())
			}
			for _, s := range tc.say {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output lacks %q:\n%s", s, out.String())
				}
			}
			if tc.never != "" && strings.Contains(out.String(), tc.never) {
				t.Error("output shows the secret")
			}
		})
	}
}
