package admin

import (
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// Dashboard tuning.
const (
	attentionLimit = 50
)

// handleDashboard serves GET /admin: what happened today, this week
// and this month, and what needs the operator now.
func (a *Admin) handleDashboard(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := a.adminPage(c, "Dashboard", "dashboard")
	if err != nil {
		return err
	}
	d := views.DashboardData{AdminPage: p, NoticesURL: "/admin/notices", ContentMissing: a.Content.Missing()}
	now := a.Now().UTC()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for _, period := range []struct {
		label string
		since time.Time
	}{{"Today", today}, {"7 days", now.AddDate(0, 0, -7)}, {"30 days", now.AddDate(0, 0, -30)}} {
		st, err := a.DB.OrderStats(ctx, period.since)
		if err != nil {
			return err
		}
		d.Periods = append(d.Periods, views.PeriodStats{Label: period.label, Orders: st.Orders, Paid: st.Paid, Revenue: revenueText(st.Revenue)})
	}
	all, err := a.DB.OrderStats(ctx, time.Time{})
	if err != nil {
		return err
	}
	d.ByStatus = statusCounts(all.ByStatus)
	attention, err := a.DB.OrdersNeedingAttention(ctx, attentionLimit)
	if err != nil {
		return err
	}
	d.Attention = orderRows(attention)
	if run, err := a.DB.LastSync(ctx); err == nil {
		row := syncRow(run, true)
		d.LastSync = &row
	} else if store.ErrorCode(err) != store.ENOTFOUND {
		return err
	}
	vendor, stripe, err := a.DB.RejectedNoticesSince(ctx, now.Add(-24*time.Hour))
	if err != nil {
		return err
	}
	d.RejectedNotices = vendor + stripe
	if d.UnusableNotices, err = a.DB.UnusableNoticesSince(ctx, now.Add(-24*time.Hour)); err != nil {
		return err
	}
	b, at, berr := a.Shop.VendorBalance(ctx)
	if b != nil {
		d.Balance = strings.TrimSpace(string(b.AvailableBalance) + " " + string(b.Currency))
		d.BalanceAt = adminTime(at)
		d.BalanceLow = a.balanceLow(b)
	}
	if berr != nil {
		d.BalanceError = "Billionconnect did not report the balance (F014); retrying in a minute."
	}
	return httpx.Render(c, fiber.StatusOK, views.AdminDashboard(d))
}

// balanceLow reports whether the available balance is below
// Config.BalanceAlert. A negative balance is always low; an unreadable
// threshold disables the warning (and is logged).
func (a *Admin) balanceLow(b *bc.Balance) bool {
	limit := strings.TrimSpace(a.BalanceAlert)
	if limit == "" {
		return false
	}
	threshold, err := billing.ParseDecimal(limit)
	if err != nil {
		a.Log.Warn("BalanceAlert is not a decimal; balance warning disabled", "value", limit)
		return false
	}
	text := strings.TrimSpace(string(b.AvailableBalance))
	if text == "" {
		text = strings.TrimSpace(string(b.AccountBalance))
	}
	if strings.HasPrefix(text, "-") {
		return true
	}
	v, err := billing.ParseDecimal(text)
	if err != nil {
		return false
	}
	return v.Cmp(threshold) < 0
}

// revenueText lists revenue per currency, e.g. "$120.00 · €40.00".
func revenueText(rev map[string]int64) string {
	codes := make([]string, 0, len(rev))
	for code := range rev {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	parts := make([]string, 0, len(codes))
	for _, code := range codes {
		parts = append(parts, adminMoney(rev[code], code))
	}
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, " · ")
}

// orderStatuses lists every order status in the order of an order's life.
var orderStatuses = []store.OrderStatus{
	store.StatusPendingPayment, store.StatusPaid, store.StatusPlacing, store.StatusPlaced,
	store.StatusDelivered, store.StatusNeedsAttention, store.StatusRefunded,
	store.StatusPaymentFailed, store.StatusExpired,
}

// statusCounts lists the statuses with orders, linking to the filtered list.
func statusCounts(by map[store.OrderStatus]int) []views.StatusCount {
	var out []views.StatusCount
	for _, st := range orderStatuses {
		if n := by[st]; n > 0 {
			out = append(out, views.StatusCount{Status: string(st), Count: n, URL: "/admin/orders?status=" + url.QueryEscape(string(st))})
		}
	}
	return out
}

// orderRows turns order summaries into list rows.
func orderRows(os []store.OrderSummary) []views.AdminOrderRow {
	out := make([]views.AdminOrderRow, 0, len(os))
	for _, o := range os {
		out = append(out, views.AdminOrderRow{
			Number: o.Number, URL: "/admin/orders/" + url.PathEscape(o.Number), Email: o.Email,
			Status: string(o.Status), Total: adminMoney(o.Total, o.Currency), Created: adminTime(o.CreatedAt),
			Title: o.Title, Attention: o.Attention,
		})
	}
	return out
}

// syncRow turns a sync run into its row. latest is whether it is the
// newest run: only that one, when held, can still be applied.
func syncRow(r store.SyncRun, latest bool) views.SyncRow {
	row := views.SyncRow{
		At: adminTime(r.StartedAt), Duration: r.Duration.Round(time.Millisecond).String(), Error: r.Error, OK: r.OK,
		Products: r.Products, Added: r.Added, Removed: r.Removed, PriceChanges: r.PriceChanges,
		AddedSKUs: r.AddedSKUs, RemovedSKUs: r.RemovedSKUs, ChangedSKUs: r.ChangedSKUs,
		Skipped: r.Skipped, Held: r.Held, RunID: r.ID,
	}
	for _, s := range r.SkippedSKUs {
		row.SkippedSKUs = append(row.SkippedSKUs, views.SkippedSKU{SKU: s.SKU, Reason: s.Reason})
	}
	if r.Held && latest {
		row.ApplyAction = "/admin/catalog/sync/apply"
	}
	return row
}
