package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// noticesShown is how many recent notices the log lists.
const noticesShown = 200

// Notice sources, as in /admin/notices?source= and /admin/notices/{source}/{id}.
const (
	sourceVendor = "vendor"
	sourceStripe = "stripe"
)

// noticeRow turns a vendor notice into its row; number names its order.
func noticeRow(n store.VendorNotice, number string) views.RecordRow {
	r := views.RecordRow{
		ID: n.ID, At: adminTime(n.ReceivedAt), Source: sourceVendor, Type: n.TradeType, Verdict: verdictOf(n.Verdict),
		SignedWith: n.SignedWith,
		URL:        "/admin/notices/" + sourceVendor + "/" + strconv.FormatInt(n.ID, 10),
	}
	if number != "" {
		r.OrderNumber, r.OrderURL = number, orderURL(number)
	}
	return r
}

// paymentRow turns a payment event into its row; number names its order.
func paymentRow(e store.PaymentEvent, number string) views.RecordRow {
	r := views.RecordRow{
		ID: e.ID, At: adminTime(e.ReceivedAt), Source: sourceStripe, Type: e.Type, Verdict: verdictOf(e.Verdict),
		URL: "/admin/notices/" + sourceStripe + "/" + strconv.FormatInt(e.ID, 10),
	}
	if number != "" {
		r.OrderNumber, r.OrderURL = number, orderURL(number)
	}
	return r
}

// verdictOf shows the store's "" verdict as "received".
func verdictOf(v string) string {
	if v == "" {
		return store.VerdictReceived
	}
	return v
}

// orderNumbers resolves order ids to numbers, once per id.
type orderNumbers struct {
	db    *store.DB
	known map[int64]string
}

// of returns the number of order id, "" when there is none.
func (n *orderNumbers) of(ctx context.Context, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	if num, ok := n.known[id]; ok {
		return num, nil
	}
	o, err := n.db.OrderByID(ctx, id)
	if err != nil && store.ErrorCode(err) != store.ENOTFOUND {
		return "", err
	}
	n.known[id] = o.Number
	return o.Number, nil
}

// handleNotices serves GET /admin/notices?source=vendor|stripe: the
// newest incoming notices with their verdicts.
func (a *Admin) handleNotices(c *fiber.Ctx) error {
	source, err := httpx.OneOf(c.Query("source"), sourceVendor, sourceVendor, sourceStripe)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	p, err := a.adminPage(c, "Notices", "notices")
	if err != nil {
		return err
	}
	d := views.NoticesData{AdminPage: p, Source: source, SourceURLs: map[string]string{
		sourceVendor: "/admin/notices?source=" + sourceVendor, sourceStripe: "/admin/notices?source=" + sourceStripe,
	}}
	nums := &orderNumbers{db: a.DB, known: map[int64]string{}}
	if source == sourceVendor {
		list, err := a.DB.RecentVendorNotices(ctx, noticesShown)
		if err != nil {
			return err
		}
		for _, n := range list {
			num, err := nums.of(ctx, n.OrderID)
			if err != nil {
				return err
			}
			d.Rows = append(d.Rows, noticeRow(n, num))
		}
	} else {
		list, err := a.DB.RecentPaymentEvents(ctx, noticesShown)
		if err != nil {
			return err
		}
		for _, e := range list {
			num, err := nums.of(ctx, e.OrderID)
			if err != nil {
				return err
			}
			d.Rows = append(d.Rows, paymentRow(e, num))
		}
	}
	return httpx.Render(c, fiber.StatusOK, views.AdminNotices(d))
}

// handleNotice serves GET /admin/notices/{source}/{id}: one notice as
// received, its verdict and its order.
func (a *Admin) handleNotice(c *fiber.Ctx) error {
	source := c.Params("source")
	if source != sourceVendor && source != sourceStripe {
		return fiber.ErrNotFound
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id < 1 {
		return fiber.ErrNotFound
	}
	ctx := c.UserContext()
	nums := &orderNumbers{db: a.DB, known: map[int64]string{}}
	var d views.NoticeData
	if source == sourceVendor {
		n, err := a.DB.VendorNoticeByID(ctx, id)
		if err != nil {
			return err
		}
		num, err := nums.of(ctx, n.OrderID)
		if err != nil {
			return err
		}
		d = views.NoticeData{Record: noticeRow(n, num), Error: n.Error, Headers: prettyPayload([]byte(n.Headers)), Body: prettyPayload(n.Body)}
	} else {
		e, err := a.DB.PaymentEventByID(ctx, id)
		if err != nil {
			return err
		}
		num, err := nums.of(ctx, e.OrderID)
		if err != nil {
			return err
		}
		d = views.NoticeData{Record: paymentRow(e, num), Body: prettyPayload(e.Payload)}
	}
	p, err := a.adminPage(c, "Notice "+strconv.FormatInt(id, 10), "notices")
	if err != nil {
		return err
	}
	d.AdminPage = p
	return httpx.Render(c, fiber.StatusOK, views.AdminNotice(d))
}

// prettyPayload indents a JSON payload for reading; anything else is shown
// as received (invalid UTF-8 replaced, so the page stays valid).
func prettyPayload(b []byte) string {
	var out bytes.Buffer
	if json.Valid(b) && json.Indent(&out, b, "", "  ") == nil {
		return out.String()
	}
	if !utf8.Valid(b) {
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(b)
}
