package admin

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// reportPeriods are the report's groupings with the longest range (in
// days) each may cover, so a chart never has thousands of bars.
var reportPeriods = []struct {
	period  store.Period
	maxDays int
}{
	{store.PeriodDay, 400},
	{store.PeriodWeek, 3 * 366},
	{store.PeriodMonth, 10 * 366},
}

// defaultReportDays is the range shown without a filter: the last 30 days.
const defaultReportDays = 30

// reportQuery is a validated report filter.
type reportQuery struct {
	store.ReportFilter
	fromText, toText string
}

// handleReports serves GET /admin/reports: revenue, vendor cost, refunds,
// margin, paid orders and eSIMs per day, week or month over a range (the
// whole "to" day included), as a chart and a table, then conversion and
// the top plans and destinations.
func (b Business) handleReports(c *fiber.Ctx) error {
	q, err := b.parseReportQuery(c)
	if err != nil {
		return err
	}
	d, err := buildReport(c.UserContext(), b.DB, b.Catalog.Rule(), q)
	if err != nil {
		return err
	}
	if d.AdminPage, err = b.adminPage(c, "Reports", "reports"); err != nil {
		return err
	}
	return httpx.Render(c, fiber.StatusOK, views.AdminReports(d))
}

// parseReportQuery reads from, to (YYYY-MM-DD, default the last 30 days
// to today in UTC), period (day, week, month) and currency (default the
// pricing rule's); anything else is a 400.
func (b Business) parseReportQuery(c *fiber.Ctx) (reportQuery, error) {
	today := b.Now().UTC().Truncate(24 * time.Hour)
	q := reportQuery{}
	var err error
	if q.To, err = dateParam(c.Query("to")); err != nil {
		return q, err
	}
	if q.To.IsZero() {
		q.To = today
	}
	if q.From, err = dateParam(c.Query("from")); err != nil {
		return q, err
	}
	if q.From.IsZero() {
		q.From = q.To.AddDate(0, 0, 1-defaultReportDays)
	}
	if q.From.After(q.To) {
		return q, httpx.BadRequest("error.bad_query_value", c.Query("from"))
	}
	q.fromText, q.toText = q.From.Format(dateLayout), q.To.Format(dateLayout)
	q.To = q.To.AddDate(0, 0, 1) // the whole "to" day
	q.Period = store.Period(c.Query("period", string(store.PeriodDay)))
	maxDays := 0
	for _, p := range reportPeriods {
		if p.period == q.Period {
			maxDays = p.maxDays
		}
	}
	if maxDays == 0 {
		return q, httpx.BadRequest("error.bad_query_value", string(q.Period))
	}
	if q.To.Sub(q.From) > time.Duration(maxDays)*24*time.Hour {
		return q, httpx.BadRequest("error.bad_query_value", q.fromText+" – "+q.toText)
	}
	q.Currency = b.Catalog.Rule().Currency()
	if cur := c.Query("currency"); cur != "" {
		m, err := billing.NewMoney(0, cur)
		if err != nil {
			return q, httpx.BadRequest("error.bad_query_value", cur)
		}
		q.Currency = m.Currency
	}
	return q, nil
}
