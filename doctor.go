package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/esimshop/esimshop/bc"
)

// doctorCheck is one line of `esimshop doctor`: ok, or what to fix.
type doctorCheck struct {
	ok  bool
	msg string
}

// runDoctor checks a production configuration before the shop is
// started and says in plain words what to fix. It changes nothing. The
// Stripe API is not called (the key's mode is read from its prefix).
func runDoctor(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var flagErr bytes.Buffer
	cfg, err := loadConfig("doctor", args, getenv, &flagErr)
	var checks []doctorCheck
	if err != nil {
		if errors.Is(err, flag.ErrHelp) || flagErr.Len() > 0 {
			stderr.Write(flagErr.Bytes())
			return err
		}
		for _, line := range strings.Split(strings.TrimPrefix(err.Error(), "configuration:\n"), "\n") {
			if line = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- ")); line != "" {
				checks = append(checks, doctorCheck{msg: line})
			}
		}
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		checks = doctorChecks(ctx, cfg)
	}
	failed := 0
	for _, c := range checks {
		mark := "ok  "
		if !c.ok {
			mark, failed = "FIX ", failed+1
		}
		fmt.Fprintln(stdout, mark+c.msg)
	}
	if failed > 0 {
		return fmt.Errorf("doctor: %d thing(s) to fix before going live", failed)
	}
	return nil
}

// doctorChecks runs the checks on a configuration that loaded.
func doctorChecks(ctx context.Context, cfg Config) []doctorCheck {
	var out []doctorCheck
	add := func(ok bool, format string, args ...any) {
		out = append(out, doctorCheck{ok: ok, msg: fmt.Sprintf(format, args...)})
	}
	if cfg.Demo {
		add(false, "-demo is set: the demo sells nothing real; start without -demo to go live")
	}
	if strings.HasPrefix(cfg.BaseURL, "https://") {
		how := "behind an https proxy"
		if len(cfg.TLSDomains) > 0 {
			how = "by the shop itself for " + strings.Join(cfg.TLSDomains, ", ")
		}
		add(true, "BASE_URL %s is https (served %s)", cfg.BaseURL, how)
	} else {
		add(false, "BASE_URL %s is not https: Stripe and the vendor need an https callback; set TLS_DOMAINS to your host names, or BASE_URL to the https address of your proxy", cfg.BaseURL)
	}
	out = append(out, dbCheck(cfg.DBPath))
	switch key := cfg.StripeSecretKey; {
	case key == "":
		add(cfg.Demo, "no STRIPE_SECRET_KEY: only the demo payment page can take orders")
	case strings.HasPrefix(key, "sk_live_") || strings.HasPrefix(key, "rk_live_"):
		add(true, "STRIPE_SECRET_KEY is a live key: buyers pay for real")
	case strings.HasPrefix(key, "sk_test_") || strings.HasPrefix(key, "rk_test_"):
		add(false, "STRIPE_SECRET_KEY is a test key: no buyer is charged; use the live key (sk_live_...) to go live")
	default:
		add(false, "STRIPE_SECRET_KEY does not look like a Stripe secret key (sk_live_... or sk_test_...)")
	}
	if !cfg.Demo {
		client := bc.New(bc.Config{URL: cfg.BCURL, AppKey: cfg.BCAppKey, AppSecret: cfg.BCAppSecret})
		if bal, err := client.Balance(ctx); err != nil {
			add(false, "the vendor at %s did not answer F014 (balance): %v; check BC_API_URL, BC_APP_KEY and BC_APP_SECRET", cfg.BCURL, err)
		} else {
			add(true, "the vendor answers (F014): balance %s %s", bal.AccountBalance, bal.Currency)
		}
		if cfg.BCURL == bc.TestURL {
			add(false, "BC_API_URL is the vendor's test endpoint: set the production one to sell real eSIMs")
		}
	}
	add(true, "paste at Billionconnect (notice callback URL): %s/webhooks/billionconnect", cfg.BaseURL)
	add(true, "paste at Stripe (webhook endpoint, event checkout.session.completed): %s/webhooks/stripe", cfg.BaseURL)
	return out
}

// dbCheck: the database's folder is writable, and the file (when it
// exists) readable by its owner only.
func dbCheck(path string) doctorCheck {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".doctor-*")
	if err != nil {
		return doctorCheck{msg: fmt.Sprintf("the database folder %s is not writable (%v): create it, owned by the user the shop runs as", dir, err)}
	}
	f.Close()
	os.Remove(f.Name())
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return doctorCheck{ok: true, msg: fmt.Sprintf("the database %s will be created in a writable folder", path)}
	}
	if err != nil {
		return doctorCheck{msg: fmt.Sprintf("the database %s: %v", path, err)}
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return doctorCheck{msg: fmt.Sprintf("the database %s is readable by others (mode %04o): chmod 600 %s", path, perm, path)}
	}
	return doctorCheck{ok: true, msg: fmt.Sprintf("the database %s is writable and private", path)}
}
