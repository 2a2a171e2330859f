// Package metrics exposes the shop's operational numbers in the
// Prometheus text format at GET /metrics: HTTP requests by route and
// status with their latency, vendor calls by interface and outcome with
// their latency, mail sends by outcome, and, read from the database at
// each scrape, orders by status, jobs by kind and state with the age of
// the oldest due one, vendor notices by type and verdict, the mail log by
// kind and status, and the last catalog sync.
package metrics

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/mail"
)

// Metrics owns a registry and the instruments the shop updates.
type Metrics struct {
	reg      *prometheus.Registry
	token    string
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	vendor   *prometheus.CounterVec
	vendorLt *prometheus.HistogramVec
	mails    *prometheus.CounterVec
}

// New returns metrics that read database counts from db at each scrape.
// token, when not empty, is the bearer token /metrics requires; empty
// means /metrics answers only loopback clients that no proxy forwarded.
func New(db *store.DB, token string) *Metrics {
	m := &Metrics{
		reg:   prometheus.NewRegistry(),
		token: token,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "esimshop_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "esimshop_http_request_duration_seconds", Help: "HTTP request latency by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		vendor: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "esimshop_vendor_calls_total", Help: "Billionconnect calls by interface (tradeType) and outcome.",
		}, []string{"interface", "outcome"}),
		vendorLt: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "esimshop_vendor_call_duration_seconds", Help: "Billionconnect call latency by interface.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"interface"}),
		mails: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "esimshop_mail_sends_total", Help: "SMTP sends by outcome (sent, temporary, permanent).",
		}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.vendor, m.vendorLt, m.mails,
		&dbCollector{db: db}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ReplicationLag exports lag (seconds since the replica last had every
// change) as esimshop_replication_lag_seconds.
func (m *Metrics) ReplicationLag(lag func() time.Duration) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "esimshop_replication_lag_seconds", Help: "Seconds since the Litestream replica last confirmed every change.",
	}, func() float64 { return lag().Seconds() }))
}

// Registry is where the metrics live, for tests and further collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ObserveVendor is bc.Config.Observe: it counts one finished vendor call.
func (m *Metrics) ObserveVendor(tradeType string, elapsed time.Duration, err error) {
	m.vendor.WithLabelValues(tradeType, vendorOutcome(err)).Inc()
	m.vendorLt.WithLabelValues(tradeType).Observe(elapsed.Seconds())
}

// vendorOutcome names a vendor call's result by the bc error classes.
func vendorOutcome(err error) string {
	var (
		api *bc.APIError
		bad *bc.BadAnswerError
		hte *bc.HTTPError
	)
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &api):
		return "refused" // the vendor answered with a non-success tradeCode
	case errors.As(err, &bad):
		return "bad_answer"
	case errors.As(err, &hte):
		return "http_error"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case bc.Temporary(err):
		return "transport_error"
	}
	return "error"
}

// Sender wraps a mail sender so each send is counted; nil stays nil (the
// shop then keeps mails in the log only).
func (m *Metrics) Sender(s mail.Sender) mail.Sender {
	if s == nil {
		return nil
	}
	return countingSender{next: s, sends: m.mails}
}

// countingSender counts the outcome of every Send.
type countingSender struct {
	next  mail.Sender
	sends *prometheus.CounterVec
}

// Send delivers m and counts the outcome.
func (c countingSender) Send(ctx context.Context, msg mail.Message) error {
	err := c.next.Send(ctx, msg)
	outcome := "sent"
	switch {
	case err == nil:
	case mail.Temporary(err):
		outcome = "temporary"
	default:
		outcome = "permanent"
	}
	c.sends.WithLabelValues(outcome).Inc()
	return err
}
