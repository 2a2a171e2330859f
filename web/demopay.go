package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/present"
	"github.com/esimshop/esimshop/web/shop"
)

// The demo payment page stands in for Stripe Checkout in -demo mode. Its
// "Pay" goes through shop.PayDemo, which confirms the payment, the same path as Stripe's webhook.

// handleDemoPay shows the demo payment page for a pending order.
func (a *App) handleDemoPay(c *fiber.Ctx) error {
	httpx.PrivateHeaders(c)
	o, err := a.demoOrder(c)
	if err != nil {
		return err
	}
	if o.Status != store.StatusPendingPayment {
		return c.Redirect("/orders/"+o.Token, fiber.StatusSeeOther)
	}
	lang := httpx.LangOf(c)
	token, err := a.csrfToken(c)
	if err != nil {
		return err
	}
	p := a.page(c, "/demo/pay/"+o.Token, views.T(lang, "title.demo_pay"), "", nil)
	p.NoIndex = true
	return httpx.Render(c, fiber.StatusOK, views.DemoPay(views.DemoPayData{
		Page: p, Number: o.Number, Email: o.Email, Total: present.Money(o.Total, o.Currency, lang),
		Lines:        present.OrderLines(lang, o),
		PayAction:    "/demo/pay/" + o.Token + "/pay",
		CancelAction: "/demo/pay/" + o.Token + "/cancel",
		CSRF:         token,
	}))
}

// handleDemoPayConfirm pays a demo order: exactly what a Stripe webhook
// reporting a paid session for the order's full amount would do.
func (a *App) handleDemoPayConfirm(c *fiber.Ctx) error {
	o, err := a.demoOrder(c)
	if err != nil {
		return err
	}
	if err := a.shop.PayDemo(c.UserContext(), o); err != nil {
		return err
	}
	return c.Redirect("/orders/"+o.Token, fiber.StatusSeeOther)
}

// handleDemoPayCancel is the demo's "Cancel": like leaving Stripe
// Checkout, it returns to the plan page and leaves the order pending.
func (a *App) handleDemoPayCancel(c *fiber.Ctx) error {
	o, err := a.demoOrder(c)
	if err != nil {
		return err
	}
	return c.Redirect(shop.CancelURL("", o.Lines[0].SKUID, o.Lines[0].Copies, o.Token), fiber.StatusSeeOther)
}

// demoOrder loads the demo-paid order a URL token names.
func (a *App) demoOrder(c *fiber.Ctx) (store.Order, error) {
	o, err := a.orderByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return o, err
	}
	if o.Provider != store.ProviderDemo || len(o.Lines) == 0 {
		return o, httpx.NotFound("error.unknown_order")
	}
	return o, nil
}

// handleDemoOutbox shows, in -demo without SMTP, the emails "sent" about
// one order — reachable only with the order's token, like the order page.
// The stored HTML refers to its QR codes by cid:; here they point at the
// order's QR URLs instead.
func (a *App) handleDemoOutbox(c *fiber.Ctx) error {
	httpx.PrivateHeaders(c)
	ctx := c.UserContext()
	o, err := a.orderByToken(ctx, c.Params("token"))
	if err != nil {
		return err
	}
	mails, err := a.db.MailsForOrder(ctx, o.ID)
	if err != nil {
		return err
	}
	lang := httpx.LangOf(c)
	var out []views.OutboxMail
	for i := len(mails) - 1; i >= 0; i-- { // newest first
		m := mails[i]
		html := m.HTML
		for _, e := range o.ESIMs {
			id := strconv.FormatInt(e.ID, 10)
			html = strings.ReplaceAll(html, `"cid:qr-`+id+`"`, `"/orders/`+o.Token+`/esims/`+id+`/qr.png"`)
		}
		out = append(out, views.OutboxMail{
			To: m.To, Subject: m.Subject, Status: m.Status, Text: m.Text, HTML: html,
			CreatedAt: views.FormatDate(lang, m.CreatedAt) + " " + m.CreatedAt.UTC().Format("15:04 UTC"),
		})
	}
	// The preview iframe inherits this page's policy; the email's inline
	// styles need 'unsafe-inline' for styles here (scripts stay forbidden).
	c.Set(fiber.HeaderContentSecurityPolicy, httpx.CSP(httpx.Nonce(c), "'self' 'unsafe-inline'"))
	p := a.page(c, "/demo/outbox/"+o.Token, views.T(lang, "title.outbox"), "", nil)
	return httpx.Render(c, fiber.StatusOK, views.Outbox(views.OutboxData{Page: p, Mails: out}))
}
