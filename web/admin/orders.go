package admin

import (
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/present"
	"github.com/esimshop/esimshop/web/shop"
)

// Order list tuning.
const (
	ordersPerPage    = 50
	maxAdminQueryLen = 200
	dateLayout       = "2006-01-02"
)

// orderNumberPattern bounds an order number in an admin URL.
var orderNumberPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,40}$`)

// handleOrders serves GET /admin/orders: search (order number, email,
// ICCID, vendor order id, Stripe session id) and filters by status and
// creation date. Every parameter is validated; a bad one is a 400.
func (a *Admin) handleOrders(c *fiber.Ctx) error {
	f, err := orderFilterQuery(c)
	if err != nil {
		return err
	}
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = ordersPerPage, (page-1)*ordersPerPage
	rows, total, err := a.DB.SearchOrders(c.UserContext(), f)
	if err != nil {
		return err
	}
	p, err := a.adminPage(c, "Orders", "orders")
	if err != nil {
		return err
	}
	d := views.OrdersData{
		AdminPage: p, Q: f.Q, Status: string(f.Status),
		From: utils.CopyString(c.Query("from")), To: utils.CopyString(c.Query("to")),
		Rows: orderRows(rows), Total: total,
	}
	for _, st := range orderStatuses {
		d.Statuses = append(d.Statuses, string(st))
	}
	filters := url.Values{}
	for k, val := range map[string]string{"q": d.Q, "status": d.Status, "from": d.From, "to": d.To} {
		if val != "" {
			filters.Set(k, val)
		}
	}
	d.PrevURL, d.NextURL = pageLinks("/admin/orders", filters, page, ordersPerPage, total)
	d.CSVURL = views.AdminPath + "/orders.csv"
	if len(filters) > 0 {
		d.CSVURL += "?" + filters.Encode()
	}
	return httpx.Render(c, fiber.StatusOK, views.AdminOrders(d))
}

// orderFilterQuery reads the order list's filter from the query string
// (q, status, from, to; the whole "to" day included), shared by the list
// and its CSV export. Every parameter is validated; a bad one is a 400.
// The strings are copies: the export uses them after the handler returns.
func orderFilterQuery(c *fiber.Ctx) (store.OrderFilter, error) {
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > maxAdminQueryLen || strings.ContainsFunc(q, isControl) {
		return store.OrderFilter{}, httpx.BadRequest("error.bad_query_value", "q")
	}
	status := c.Query("status")
	if status != "" && !knownStatus(status) {
		return store.OrderFilter{}, httpx.BadRequest("error.bad_query_value", status)
	}
	from, err := dateParam(c.Query("from"))
	if err != nil {
		return store.OrderFilter{}, err
	}
	to, err := dateParam(c.Query("to"))
	if err != nil {
		return store.OrderFilter{}, err
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1) // the whole "to" day is included
	}
	return store.OrderFilter{Q: utils.CopyString(q), Status: store.OrderStatus(utils.CopyString(status)), From: from, To: to}, nil
}

// pageLinks returns the previous and next page URLs of a paged admin
// list ("" where there is none), keeping its filters.
func pageLinks(base string, filters url.Values, page, perPage, total int) (prev, next string) {
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range filters {
			v[k] = vs
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	if page > 1 {
		prev = link(page - 1)
	}
	if page*perPage < total {
		next = link(page + 1)
	}
	return prev, next
}

// isControl reports control characters, which no search term contains.
func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// knownStatus reports whether s names an order status.
func knownStatus(s string) bool {
	for _, st := range orderStatuses {
		if string(st) == s {
			return true
		}
	}
	return false
}

// dateParam reads a YYYY-MM-DD query value as midnight UTC; "" is zero.
func dateParam(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil || t.Year() < 2000 || t.Year() > 2999 {
		return time.Time{}, httpx.BadRequest("error.bad_query_value", v)
	}
	return t, nil
}

// adminOrder loads the order an admin URL names, or a 404.
func (a *Admin) adminOrder(c *fiber.Ctx) (store.Order, error) {
	number := c.Params("number")
	if !orderNumberPattern.MatchString(number) {
		return store.Order{}, httpx.NotFound("error.unknown_order")
	}
	o, err := a.DB.OrderByNumber(c.UserContext(), number)
	if store.ErrorCode(err) == store.ENOTFOUND {
		return o, httpx.NotFound("error.unknown_order")
	}
	return o, err
}

// orderURL is an order's admin page.
func orderURL(number string) string { return "/admin/orders/" + url.PathEscape(number) }

// handleOrder serves GET /admin/orders/{number}: everything known
// about one order, and the actions an operator can take on it.
func (a *Admin) handleOrder(c *fiber.Ctx) error {
	o, err := a.adminOrder(c)
	if err != nil {
		return err
	}
	p, err := a.adminPage(c, "Order "+o.Number, "orders")
	if err != nil {
		return err
	}
	d := views.AdminOrderData{
		AdminPage: p, Number: o.Number, Status: string(o.Status), Email: o.Email, Lang: o.Lang,
		Total: adminMoney(o.Total, o.Currency), Created: adminTime(o.CreatedAt), Paid: adminTime(o.PaidAt),
		TravelDate: o.TravelDate,
		Attention:  o.Attention, VendorCode: o.VendorCode, VendorMsg: o.VendorMsg,
		VendorOrderID: o.VendorOrderID, Provider: o.Provider, PaymentRef: o.PaymentRef,
		PaymentIntent: o.PaymentIntent, RefundID: o.RefundID, PublicURL: a.BaseURL + "/orders/" + o.Token,
		ActionBase: orderURL(o.Number),
	}
	for _, l := range o.Lines {
		d.Lines = append(d.Lines, views.AdminLine{
			Title: l.Title, SKU: l.SKUID, SKUURL: "/admin/catalog/" + url.PathEscape(l.SKUID),
			Amount: adminMoney(l.Amount, o.Currency), Settlement: l.Settlement, VendorSubOrderID: l.VendorSubOrderID,
			Copies: l.Copies, Quantity: l.Quantity,
		})
	}
	for i, e := range o.ESIMs {
		v := present.ESIMView("en", o, i, e, a.Catalog.Snapshot())
		v.QRURL = orderURL(o.Number) + "/esims/" + strconv.FormatInt(e.ID, 10) + "/qr.png"
		d.ESIMs = append(d.ESIMs, views.AdminESIM{
			ESIMView: v, ProfileStatus: shop.ProfileStatusName(e.ProfileStatus),
			PlanStart: adminTime(e.PlanStartAt), PlanEnd: adminTime(e.PlanEndAt),
		})
	}
	if err := a.orderRecords(c, o, &d); err != nil {
		return err
	}
	if o.TopUp != nil {
		if parent, err := a.DB.OrderByID(c.UserContext(), o.TopUp.ParentID); err == nil {
			d.TopUpOf, d.TopUpOfURL, d.TopUpICCID = parent.Number, orderURL(parent.Number), o.TopUp.ICCID
		}
	}
	topUps, err := a.DB.TopUpsOf(c.UserContext(), o.ID)
	if err != nil {
		return err
	}
	for _, t := range topUps {
		d.TopUps = append(d.TopUps, views.AdminTopUp{
			Number: t.Number, URL: orderURL(t.Number), Status: string(t.Status), Title: t.Title,
			Total: adminMoney(t.Total, t.Currency), Created: adminTime(t.CreatedAt),
		})
	}
	d.CanRetry = shop.Retryable(o)
	d.CanResendEmail = o.Status == store.StatusDelivered
	// F041 re-sends eSIMs; a top-up has none of its own.
	d.CanVendorResend = o.VendorOrderID != "" && o.Status != store.StatusRefunded && o.TopUp == nil
	d.CanRefund = shop.CanRefund(o, a.Shop.Payments.Name())
	d.CanEnterESIM = shop.CanEnterESIM(o)
	for _, l := range o.Lines {
		d.LineNumbers = append(d.LineNumbers, l.Number)
	}
	d.CanCheck = !o.PaidAt.IsZero()
	if c.Query("done") == "check-status" {
		d.StatusResult = lastStatusCheck(d.Events)
	}
	return httpx.Render(c, fiber.StatusOK, views.AdminOrder(d))
}

// orderRecords fills the order page's history: timeline, raw notices and
// payment events, mails, jobs and the audit log.
func (a *Admin) orderRecords(c *fiber.Ctx, o store.Order, d *views.AdminOrderData) error {
	ctx := c.UserContext()
	events, err := a.DB.OrderEvents(ctx, o.ID)
	if err != nil {
		return err
	}
	for _, e := range events {
		d.Events = append(d.Events, views.EventRow{At: adminTime(e.At), From: string(e.From), To: string(e.To), Cause: e.Cause})
	}
	notices, err := a.DB.VendorNotices(ctx, o.ID)
	if err != nil {
		return err
	}
	for _, n := range notices {
		d.Notices = append(d.Notices, noticeRow(n, o.Number))
	}
	payments, err := a.DB.PaymentEvents(ctx, o.ID)
	if err != nil {
		return err
	}
	for _, e := range payments {
		d.Payments = append(d.Payments, paymentRow(e, o.Number))
	}
	mails, err := a.DB.MailsForOrder(ctx, o.ID)
	if err != nil {
		return err
	}
	for _, m := range mails {
		d.Mails = append(d.Mails, views.MailRow{At: adminTime(m.CreatedAt), To: m.To, Subject: m.Subject, Status: m.Status, Error: m.Error})
	}
	jobs, err := a.DB.Jobs(ctx, o.ID)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		d.Jobs = append(d.Jobs, views.JobRow{Kind: j.Kind, State: j.State, RunAt: adminTime(j.RunAt), LastError: j.LastError, Attempts: j.Attempts})
	}
	audit, err := a.DB.AuditLog(ctx, o.ID, 200)
	if err != nil {
		return err
	}
	for _, e := range audit {
		d.Audit = append(d.Audit, views.AuditRow{At: adminTime(e.At), Admin: e.AdminEmail, Action: e.Action, Detail: e.Detail})
	}
	return nil
}

// lastStatusCheck returns the lines of the newest status-check note.
func lastStatusCheck(events []views.EventRow) []string {
	for i := len(events) - 1; i >= 0; i-- {
		if rest, ok := strings.CutPrefix(events[i].Cause, shop.StatusCheckNotePrefix); ok {
			return strings.Split(rest, "; ")
		}
	}
	return nil
}

// handleQR serves an eSIM's QR code to the operator (e.g. to read it
// out to a buyer); private like the buyer's own.
func (a *Admin) handleQR(c *fiber.Ctx) error {
	o, err := a.adminOrder(c)
	if err != nil {
		return err
	}
	png, found, err := present.ESIMQR(o, c.Params("id"))
	if err != nil || !found {
		return errors.Join(err, httpx.NotFound("error.unknown_order"))
	}
	return httpx.SendPNG(c, png)
}
