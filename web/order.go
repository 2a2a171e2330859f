package web

import (
	"context"
	"regexp"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
)

// tokenPattern is the shape of an order token (base64url, ≥128 bits).
// Anything else gets the same 404 as an unknown token.
var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{22,64}$`)

// sessionPattern is the shape of a Stripe Checkout Session id.
var sessionPattern = regexp.MustCompile(`^cs_[A-Za-z0-9_]{8,250}$`)

// orderRefreshSeconds is how often a moving order's page reloads itself.
const orderRefreshSeconds = 5

// privateHeaders marks a response as the buyer's private page: never
// cached, never indexed, never leaked to another site in a Referer.
func privateHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	c.Set("X-Robots-Tag", "noindex, nofollow")
}

// orderByToken loads the order a URL token names, or a 404.
func (a *App) orderByToken(ctx context.Context, token string) (store.Order, error) {
	if !tokenPattern.MatchString(token) {
		return store.Order{}, notFound("error.unknown_order")
	}
	o, err := a.db.OrderByToken(ctx, token)
	if store.ErrorCode(err) == store.ENOTFOUND {
		return o, notFound("error.unknown_order")
	}
	return o, err
}

// handleOrder serves /orders/{token}, the buyer's private order page. Coming
// back from Stripe with ?session_id=, a still-pending order is confirmed
// from the session itself, so a late webhook does not leave the buyer
// looking at "pending".
func (a *App) handleOrder(c *fiber.Ctx) error {
	privateHeaders(c)
	ctx := c.UserContext()
	o, err := a.orderByToken(ctx, c.Params("token"))
	if err != nil {
		return err
	}
	if sid := c.Query("session_id"); sid != "" {
		if o.Status == store.StatusPendingPayment && a.cfg.Payments.Name() == o.Provider && sessionPattern.MatchString(sid) && sid == o.PaymentRef {
			a.confirmFromSession(ctx, sid)
		}
		// Asked once: the page's own refreshes go to the plain URL, so
		// Stripe is not queried again and again.
		return c.Redirect("/orders/"+o.Token, fiber.StatusSeeOther)
	}
	return render(c, fiber.StatusOK, views.Order(a.orderData(c, o)))
}

// confirmFromSession asks the payment provider about a session and marks
// its order paid when the session says so. Failures are logged: the
// webhook will still arrive, and the page refreshes until then.
func (a *App) confirmFromSession(ctx context.Context, sid string) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := a.cfg.Payments.Session(ctx, sid)
	if err != nil {
		a.log.WarnContext(ctx, "retrieving checkout session", "session", sid, "err", err)
		return
	}
	if st.ID != sid || st.PaymentStatus != "paid" {
		return
	}
	if _, err := a.confirmPayment(ctx, a.cfg.Payments.Name(), st, "checkout session retrieved on the order page"); err != nil {
		a.log.ErrorContext(ctx, "confirming payment from the order page", "session", sid, "err", err)
	}
}

// orderData builds the order page.
func (a *App) orderData(c *fiber.Ctx, o store.Order) views.OrderData {
	lang := langOf(c)
	p := a.page(c, "/orders/"+o.Token, views.T(lang, "title.order", o.Number), "", nil)
	p.NoIndex = true
	d := views.OrderData{
		Page:      p,
		Number:    o.Number,
		Status:    string(o.Status),
		Email:     o.Email,
		Lines:     orderLines(lang, o),
		Total:     money(o.Total, o.Currency, lang),
		CreatedAt: o.CreatedAt.UTC().Format("2006-01-02 15:04 UTC"),
	}
	switch o.Status {
	case store.StatusPendingPayment, store.StatusPaid, store.StatusPlacing, store.StatusPlaced:
		d.Refresh = orderRefreshSeconds
		d.StatusURL = "/orders/" + o.Token + "/status"
	}
	if o.Status == store.StatusDelivered {
		for i, e := range o.ESIMs {
			d.ESIMs = append(d.ESIMs, a.esimView(lang, o, i, e))
		}
		d.MailState = a.mailState(c.UserContext(), o)
	}
	if a.cfg.Demo && a.cfg.Mailer == nil && o.Status == store.StatusDelivered {
		d.OutboxURL = "/demo/outbox/" + o.Token
	}
	if o.Status == store.StatusPendingPayment && o.Provider == store.ProviderDemo && a.cfg.Demo {
		d.PayURL = "/demo/pay/" + o.Token
	}
	return d
}

// orderLines turns order lines into their view.
func orderLines(lang string, o store.Order) []views.OrderLineView {
	out := make([]views.OrderLineView, 0, len(o.Lines))
	for _, l := range o.Lines {
		out = append(out, views.OrderLineView{
			Title: l.Title, Copies: l.Copies, Quantity: l.Quantity, Days: l.Days,
			Amount: money(l.Amount, o.Currency, lang), PlanURL: "/plans/" + l.SKUID,
		})
	}
	return out
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
