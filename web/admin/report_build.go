package admin

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
)

// topN is how many plans and destinations each ranking shows.
const topN = 10

// figures are one period's (or a ranking row's) numbers, in minor units.
type figures struct {
	paid, esims, refunds    int64
	revenue, cost, refunded int64
}

// costing converts the cost of eSIMs sold before costs were recorded with
// the current rule, counting how many it converted and whether some could
// not be (another currency than the rule's, or a malformed price).
type costing struct {
	rule      billing.Rule
	currency  string
	estimated int64
	missing   bool
}

// add returns recorded plus the converted cost of uncosted.
func (k *costing) add(recorded int64, uncosted []store.SettlementCount) int64 {
	for _, u := range uncosted {
		if k.rule.Currency() != k.currency {
			k.missing = true
			continue
		}
		c, err := k.rule.CostOf(u.Settlement, u.Quantity)
		if err != nil {
			k.missing = true
			continue
		}
		recorded += c
		k.estimated += u.Quantity
	}
	return recorded
}

// buildReport computes the report page's figures: the store's sums, the
// uncosted eSIMs converted at the current rule, margins (billing), every
// period of the range present (empty ones as zero, so the chart's x axis
// is time) and the rankings.
func buildReport(ctx context.Context, db *store.DB, rule billing.Rule, q reportQuery) (views.ReportData, error) {
	// The three reads are independent: each runs on its own reader
	// connection, so the page waits for the slowest, not their sum.
	var (
		buckets       []store.SalesBucket
		plans         []store.PlanSales
		created, paid int
		e1, e2, e3    error
		wg            sync.WaitGroup
	)
	wg.Go(func() { buckets, e1 = db.SalesReport(ctx, q.ReportFilter) })
	wg.Go(func() { plans, e2 = db.PlanSalesReport(ctx, q.ReportFilter) })
	wg.Go(func() { created, paid, e3 = db.CheckoutCounts(ctx, q.From, q.To, q.Currency) })
	wg.Wait()
	if err := errors.Join(e1, e2, e3); err != nil {
		return views.ReportData{}, err
	}
	k := &costing{rule: rule, currency: q.Currency}
	money := func(v int64) string { return billing.Money{Amount: v, Currency: q.Currency}.Format("en") }
	d := views.ReportData{
		From: q.fromText, To: q.toText, Period: string(q.Period), Currency: q.Currency,
		Currencies: []string{q.Currency}, Checkouts: created, CheckoutsPaid: paid,
		ConversionPct: percent(int64(paid), int64(created)),
	}
	for _, p := range reportPeriods {
		d.Periods = append(d.Periods, string(p.period))
	}
	filter := url.Values{"from": {q.fromText}, "to": {q.toText}}
	d.OrdersURL, d.CSVURL = views.AdminPath+"/orders?"+filter.Encode(), views.AdminPath+"/orders.csv?"+filter.Encode()

	byStart := map[string]store.SalesBucket{}
	for _, b := range buckets {
		byStart[b.Start] = b
	}
	var total figures
	var labels, titles []string
	var revenue, margin []int64
	for _, start := range periodStarts(q.From, q.To, q.Period) {
		b := byStart[start.Format(dateLayout)]
		f := figures{paid: int64(b.Paid), esims: int64(b.ESIMs), refunds: int64(b.Refunds),
			revenue: b.Revenue, cost: k.add(b.Cost, b.Uncosted), refunded: b.Refunded}
		row := reportRow(f, money)
		row.Start, row.Label = start.Format(dateLayout), periodLabel(start, q.Period)
		d.Rows = append(d.Rows, row)
		m := billing.Margin(f.revenue, f.refunded, f.cost)
		labels, revenue, margin = append(labels, chartLabel(start, q.Period)), append(revenue, f.revenue), append(margin, m)
		titles = append(titles, fmt.Sprintf("%s: revenue %s, margin %s, %d paid orders", row.Label, row.Revenue, row.Margin, f.paid))
		total = total.plus(f)
	}
	d.Total = reportRow(total, money)
	d.Chart = views.NewBarChart(labels, titles, revenue, margin)
	d.Chart.MaxLabel = money(d.Chart.Max)
	if d.Chart.Min < 0 {
		d.Chart.MinLabel = money(d.Chart.Min)
	}
	d.Chart.Summary = fmt.Sprintf("Revenue and margin per %s from %s to %s: revenue %s, margin %s in all.",
		q.Period, q.fromText, q.toText, d.Total.Revenue, d.Total.Margin)
	d.TopRevenue, d.TopMargin, d.TopDestination = rankings(plans, k, money)
	d.Estimated, d.NoCost = k.estimated, k.missing
	return d, nil
}

// plus adds two sets of figures.
func (f figures) plus(g figures) figures {
	return figures{f.paid + g.paid, f.esims + g.esims, f.refunds + g.refunds,
		f.revenue + g.revenue, f.cost + g.cost, f.refunded + g.refunded}
}

// reportRow formats one row of figures.
func reportRow(f figures, money func(int64) string) views.ReportRow {
	m := billing.Margin(f.revenue, f.refunded, f.cost)
	return views.ReportRow{
		Paid: strconv.FormatInt(f.paid, 10), ESIMs: strconv.FormatInt(f.esims, 10),
		Refunds: strconv.FormatInt(f.refunds, 10),
		Revenue: money(f.revenue), Cost: money(f.cost), Refunded: money(f.refunded),
		Margin: money(m), MarginPc: basisPoints(billing.MarginBasisPoints(m, f.revenue), f.revenue),
		Negative: m < 0,
	}
}

// rankings ranks plans by revenue and by margin (before refunds, which
// belong to orders, not plans) and destinations by revenue.
func rankings(plans []store.PlanSales, k *costing, money func(int64) string) (byRevenue, byMargin, byDestination []views.RankRow) {
	type ranked struct {
		name, url, sub string
		f              figures
	}
	var rows []ranked
	dests := map[string]*ranked{}
	for _, p := range plans {
		f := figures{paid: int64(p.Orders), esims: p.ESIMs, revenue: p.Revenue, cost: k.add(p.Cost, p.Uncosted)}
		rows = append(rows, ranked{name: p.Title, url: views.AdminPath + "/catalog/" + url.PathEscape(p.SKUID), sub: p.SKUID, f: f})
		dst := dests[p.Destination]
		if dst == nil {
			dst = &ranked{name: destinationName(p.Destination)}
			dests[p.Destination] = dst
		}
		dst.f = dst.f.plus(f)
	}
	toRows := func(rs []ranked) []views.RankRow {
		var out []views.RankRow
		for _, r := range rs[:min(len(rs), topN)] {
			row := reportRow(r.f, money)
			out = append(out, views.RankRow{Name: r.name, URL: r.url, Sub: r.sub, Orders: row.Paid, ESIMs: row.ESIMs,
				Revenue: row.Revenue, Cost: row.Cost, Margin: row.Margin, MarginPc: row.MarginPc})
		}
		return out
	}
	// Ties break by name so the page is stable between reloads.
	byValue := func(v func(figures) int64) func(a, b ranked) int {
		return func(a, b ranked) int {
			if c := cmp.Compare(v(b.f), v(a.f)); c != 0 {
				return c
			}
			return strings.Compare(a.name, b.name)
		}
	}
	rev := func(f figures) int64 { return f.revenue }
	mar := func(f figures) int64 { return billing.Margin(f.revenue, 0, f.cost) }
	slices.SortFunc(rows, byValue(rev))
	byRevenue = toRows(rows)
	slices.SortFunc(rows, byValue(mar))
	byMargin = toRows(rows)
	var ds []ranked
	for _, r := range dests {
		ds = append(ds, *r)
	}
	slices.SortFunc(ds, byValue(rev))
	return byRevenue, byMargin, toRows(ds)
}

// destinationName names a plan's destination: a country (ISO code) or a
// region (slug).
func destinationName(dest string) string {
	switch {
	case dest == "":
		return "unknown"
	case len(dest) == 2:
		return views.CountryName("en", dest)
	}
	return views.RegionName("en", dest)
}

// periodStarts lists the first day of every period that overlaps
// [from, to).
func periodStarts(from, to time.Time, p store.Period) []time.Time {
	start := from
	switch p {
	case store.PeriodWeek:
		start = from.AddDate(0, 0, -((int(from.Weekday()) + 6) % 7)) // back to Monday
	case store.PeriodMonth:
		start = time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	var out []time.Time
	for t := start; t.Before(to); {
		out = append(out, t)
		switch p {
		case store.PeriodWeek:
			t = t.AddDate(0, 0, 7)
		case store.PeriodMonth:
			t = t.AddDate(0, 1, 0)
		default:
			t = t.AddDate(0, 0, 1)
		}
	}
	return out
}

// periodLabel names a period in the table.
func periodLabel(start time.Time, p store.Period) string {
	switch p {
	case store.PeriodWeek:
		return "week of " + start.Format("Mon 2 Jan 2006")
	case store.PeriodMonth:
		return start.Format("January 2006")
	}
	return start.Format("Mon 2 Jan 2006")
}

// chartLabel is the short label under the chart's x axis.
func chartLabel(start time.Time, p store.Period) string {
	if p == store.PeriodMonth {
		return start.Format("Jan 2006")
	}
	return start.Format("2 Jan")
}

// percent is part of whole as "12.5 %", "–" without a whole.
func percent(part, whole int64) string {
	if whole <= 0 {
		return "–"
	}
	return basisPoints(part*10000/whole, whole)
}

// basisPoints writes hundredths of a percent as "25.37 %"; "–" when the
// share has no base.
func basisPoints(bp, base int64) string {
	if base <= 0 {
		return "–"
	}
	sign := ""
	if bp < 0 {
		sign, bp = "−", -bp
	}
	return fmt.Sprintf("%s%d.%02d %%", sign, bp/100, bp%100)
}
