package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetrics boots the demo with METRICS_TOKEN, buys a plan, and reads
// /metrics: refused without the token, and with it every family the
// operator relies on is present with a non-zero value.
func TestMetrics(t *testing.T) {
	const token = "scrape-secret-1"
	m := startDemo(t, map[string]string{"METRICS_TOKEN": token})
	base := "http://" + m.Addr()
	waitCatalog(t, base)
	demoPurchase(t, base)
	fetch(t, base+"/no/such/page")

	scrape := func(auth string) (*http.Response, map[string]*dto.MetricFamily) {
		req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			body, _ := io.ReadAll(resp.Body)
			t.Logf("Authorization %q: %d: %.800s", auth, resp.StatusCode, body)
			return resp, nil
		}
		p := expfmt.NewTextParser(model.UTF8Validation)
		fams, err := p.TextToMetricFamilies(resp.Body)
		if err != nil {
			t.Fatalf("parsing /metrics: %v", err)
		}
		return resp, fams
	}
	for _, auth := range []string{"", "Bearer wrong", "Bearer " + token + "x", token} {
		if resp, _ := scrape(auth); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d, want 401", auth, resp.StatusCode)
		}
	}
	resp, fams := scrape("Bearer " + token)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("with the token: %d", resp.StatusCode)
	}
	tests := []struct {
		family string
		labels map[string]string
	}{
		{"esimshop_http_requests_total", map[string]string{"route": "/destinations/:cc", "method": "GET", "status": "200"}},
		{"esimshop_http_requests_total", map[string]string{"route": "not_found", "status": "404"}},
		{"esimshop_http_request_duration_seconds", map[string]string{"route": "/plans/:sku"}},
		{"esimshop_vendor_calls_total", map[string]string{"interface": "F040", "outcome": "ok"}},
		{"esimshop_vendor_call_duration_seconds", map[string]string{"interface": "F040"}},
		{"esimshop_orders", map[string]string{}},
		{"esimshop_jobs", map[string]string{"state": "done"}},
		{"esimshop_vendor_notices", map[string]string{"verdict": "accepted"}},
		{"esimshop_mails", map[string]string{}},
		{"esimshop_catalog_sync_ok", nil},
		{"esimshop_catalog_sync_duration_seconds", nil},
		{"esimshop_catalog_products", nil},
	}
	for _, tt := range tests {
		f := fams[tt.family]
		if f == nil {
			t.Errorf("family %s missing", tt.family)
			continue
		}
		if !hasNonZero(f, tt.labels) {
			t.Errorf("%s has no non-zero series with labels %v", tt.family, tt.labels)
		}
	}
	for _, name := range []string{"esimshop_job_oldest_due_seconds", "esimshop_metrics_db_error"} {
		if fams[name] == nil {
			t.Errorf("family %s missing", name)
		}
	}
	if v := fams["esimshop_metrics_db_error"].GetMetric()[0].GetGauge().GetValue(); v != 0 {
		t.Errorf("db error gauge %v", v)
	}
}

// hasNonZero reports whether f has a series carrying labels (a subset)
// whose value (or observation count) is not zero.
func hasNonZero(f *dto.MetricFamily, labels map[string]string) bool {
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		match := true
		for k, v := range labels {
			if got[k] != v {
				match = false
			}
		}
		if !match {
			continue
		}
		switch {
		case m.GetCounter().GetValue() > 0, m.GetGauge().GetValue() > 0, m.GetHistogram().GetSampleCount() > 0:
			return true
		}
	}
	return false
}

// startDemo runs the demo shop on a loopback port with env as its
// environment, until the test ends.
func startDemo(t *testing.T, env map[string]string) *Main {
	t.Helper()
	cfg, err := loadConfig("serve", []string{"-demo", "-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "shop.db")},
		func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m := NewMain(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}
