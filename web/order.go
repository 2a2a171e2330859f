package web

import (
	"context"
	"net/url"
	"regexp"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/account"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/present"
)

// tokenPattern is the shape of an order token (base64url, ≥128 bits).
// Anything else gets the same 404 as an unknown token.
var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{22,64}$`)

// sessionPattern is the shape of a Stripe Checkout Session id.
var sessionPattern = regexp.MustCompile(`^cs_[A-Za-z0-9_]{8,250}$`)

// orderRefreshSeconds is how often a moving order's page reloads itself.
const orderRefreshSeconds = 5

// orderByToken loads the order a URL token names, or a 404.
func (a *App) orderByToken(ctx context.Context, token string) (store.Order, error) {
	if !tokenPattern.MatchString(token) {
		return store.Order{}, httpx.NotFound("error.unknown_order")
	}
	o, err := a.db.OrderByToken(ctx, token)
	if store.ErrorCode(err) == store.ENOTFOUND {
		return o, httpx.NotFound("error.unknown_order")
	}
	return o, err
}

// handleOrder serves /orders/{token}, the buyer's private order page. Coming
// back from Stripe with ?session_id=, a still-pending order is confirmed
// from the session itself, so a late webhook does not leave the buyer
// looking at "pending".
func (a *App) handleOrder(c *fiber.Ctx) error {
	httpx.PrivateHeaders(c)
	ctx := c.UserContext()
	o, err := a.orderByToken(ctx, c.Params("token"))
	if err != nil {
		return err
	}
	if sid := c.Query("session_id"); sid != "" {
		if sessionPattern.MatchString(sid) {
			a.shop.ConfirmFromSession(ctx, o, sid)
		}
		// Asked once: the page's own refreshes go to the plain URL, so
		// Stripe is not queried again and again.
		return c.Redirect("/orders/"+o.Token, fiber.StatusSeeOther)
	}
	return httpx.Render(c, fiber.StatusOK, views.Order(a.orderData(c, o)))
}

// orderData builds the order page.
func (a *App) orderData(c *fiber.Ctx, o store.Order) views.OrderData {
	lang := httpx.LangOf(c)
	p := a.page(c, "/orders/"+o.Token, views.T(lang, "title.order", o.Number), "", nil)
	p.NoIndex = true
	d := views.OrderData{
		Page:       p,
		Number:     o.Number,
		Status:     string(o.Status),
		Email:      o.Email,
		Lines:      present.OrderLines(lang, o),
		Total:      present.Money(o.Total, o.Currency, lang),
		CreatedAt:  o.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"),
		TravelDate: present.TravelDate(lang, o),
		CreatedISO: o.CreatedAt.UTC().Format(time.RFC3339),
	}
	switch o.Status {
	case store.StatusPendingPayment, store.StatusPaid, store.StatusPlacing, store.StatusPlaced:
		d.Refresh = orderRefreshSeconds
		d.StatusURL = "/orders/" + o.Token + "/status"
	}
	if o.Status == store.StatusDelivered {
		ctx := c.UserContext()
		usage := a.usage.ForOrder(ctx, o)
		if fresh, err := a.db.OrderByID(ctx, o.ID); err == nil {
			o = fresh // the refresh may have stored a newer install status
		}
		for i, e := range o.ESIMs {
			v := present.ESIMView(lang, o, i, e, a.snapshot())
			var u *store.ESIMUsage
			if got, ok := usage[e.ICCID]; ok {
				u = &got
			}
			v.Status = present.ESIMStatus(lang, e, u, time.Now())
			if e.Rechargeable && o.TopUp == nil {
				v.Status.TopUpURL = "/orders/" + o.Token + "/top-up?iccid=" + url.QueryEscape(e.ICCID)
			}
			d.ESIMs = append(d.ESIMs, v)
		}
		if topUps, err := a.db.TopUpsOf(ctx, o.ID); err == nil {
			d.TopUps = account.OrderRows(lang, topUps)
		} else {
			a.log.ErrorContext(ctx, "listing top-ups", "order", o.Number, "err", err)
		}
		d.MailState = a.mailState(c.UserContext(), o)
	}
	if o.TopUp != nil {
		if parent, err := a.db.OrderByID(c.UserContext(), o.TopUp.ParentID); err == nil {
			d.ParentURL, d.TopUpICCID = "/orders/"+parent.Token, o.TopUp.ICCID
			if len(o.Lines) > 0 {
				d.TopUpPlan = o.Lines[0].Title
			}
		}
	}
	if token, err := a.csrfToken(c); err == nil {
		d.CSRF, d.ResendAction = token, "/orders/"+o.Token+"/email-link"
		d.LinkState = account.OrderLinkState(c)
	}
	if a.cfg.Demo && a.cfg.Mailer == nil && o.Status == store.StatusDelivered {
		d.OutboxURL = "/demo/outbox/" + o.Token
	}
	if o.Status == store.StatusPendingPayment && o.Provider == store.ProviderDemo && a.cfg.Demo {
		d.PayURL = "/demo/pay/" + o.Token
	}
	return d
}

// mailState tells the order page what to say about the delivery email:
// sent, on its way (a mailer is configured), or nothing at all.
func (a *App) mailState(ctx context.Context, o store.Order) string {
	mails, err := a.db.MailsForOrder(ctx, o.ID)
	if err != nil {
		a.log.ErrorContext(ctx, "reading the mail log", "order", o.Number, "err", err)
	}
	for _, m := range mails {
		if m.Kind == store.MailESIMDelivery && m.Status == store.MailSent {
			return views.MailSent
		}
	}
	if a.cfg.Mailer != nil {
		return views.MailSending
	}
	return ""
}
