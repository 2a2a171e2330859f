package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/esimshop/esimshop/store"
)

// scrapeTimeout bounds the database read of one scrape.
const scrapeTimeout = 5 * time.Second

// Descriptions of the gauges read from the database at scrape time.
var (
	ordersDesc   = prometheus.NewDesc("esimshop_orders", "Orders by current status.", []string{"status"}, nil)
	jobsDesc     = prometheus.NewDesc("esimshop_jobs", "Jobs by kind and state (queued, running, done, failed).", []string{"kind", "state"}, nil)
	oldestDesc   = prometheus.NewDesc("esimshop_job_oldest_due_seconds", "How long the queued job that is most overdue has waited past its run time.", nil, nil)
	noticesDesc  = prometheus.NewDesc("esimshop_vendor_notices", "Stored vendor notices by trade type and verdict.", []string{"trade_type", "verdict"}, nil)
	mailLogDesc  = prometheus.NewDesc("esimshop_mails", "Mail log entries by kind and status (queued, sent, logged, failed).", []string{"kind", "status"}, nil)
	syncDurDesc  = prometheus.NewDesc("esimshop_catalog_sync_duration_seconds", "Duration of the last catalog sync.", nil, nil)
	syncOKDesc   = prometheus.NewDesc("esimshop_catalog_sync_ok", "1 when the last catalog sync succeeded, 0 when it failed.", nil, nil)
	syncTimeDesc = prometheus.NewDesc("esimshop_catalog_sync_timestamp_seconds", "Unix time the last catalog sync started.", nil, nil)
	syncProdDesc = prometheus.NewDesc("esimshop_catalog_products", "Active products after the last catalog sync.", nil, nil)
	scrapeErr    = prometheus.NewDesc("esimshop_metrics_db_error", "1 when reading the database for this scrape failed.", nil, nil)
)

// dbCollector reads store.OpsStats at each scrape, so the numbers are the
// database's, not counters that a restart would reset.
type dbCollector struct{ db *store.DB }

// Describe sends every description the collector uses.
func (d *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, desc := range []*prometheus.Desc{ordersDesc, jobsDesc, oldestDesc, noticesDesc, mailLogDesc,
		syncDurDesc, syncOKDesc, syncTimeDesc, syncProdDesc, scrapeErr} {
		ch <- desc
	}
}

// Collect reads the counts in one read transaction.
func (d *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	st, err := d.db.OpsStats(ctx, time.Now())
	if err != nil {
		ch <- prometheus.MustNewConstMetric(scrapeErr, prometheus.GaugeValue, 1)
		return
	}
	ch <- prometheus.MustNewConstMetric(scrapeErr, prometheus.GaugeValue, 0)
	for _, g := range st.OrdersByStatus {
		ch <- prometheus.MustNewConstMetric(ordersDesc, prometheus.GaugeValue, float64(g.N), g.A)
	}
	groups := []struct {
		desc *prometheus.Desc
		rows []store.GroupCount
	}{{jobsDesc, st.JobsByState}, {noticesDesc, st.NoticesByVerdict}, {mailLogDesc, st.MailsByStatus}}
	for _, grp := range groups {
		for _, g := range grp.rows {
			ch <- prometheus.MustNewConstMetric(grp.desc, prometheus.GaugeValue, float64(g.N), g.A, g.B)
		}
	}
	ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, st.OldestQueued.Seconds())
	if st.LastSync.ID == 0 {
		return
	}
	ok := 0.0
	if st.LastSync.OK {
		ok = 1
	}
	ch <- prometheus.MustNewConstMetric(syncDurDesc, prometheus.GaugeValue, st.LastSync.Duration.Seconds())
	ch <- prometheus.MustNewConstMetric(syncOKDesc, prometheus.GaugeValue, ok)
	ch <- prometheus.MustNewConstMetric(syncTimeDesc, prometheus.GaugeValue, float64(st.LastSync.StartedAt.Unix()))
	ch <- prometheus.MustNewConstMetric(syncProdDesc, prometheus.GaugeValue, float64(st.LastSync.Products))
}
