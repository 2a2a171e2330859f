package account

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// handleMyESIMs serves /my-esims: the signed-in buyer's orders, or the
// form that asks for a sign-in link.
func (h *Handlers) handleMyESIMs(c *fiber.Ctx) error {
	d, err := h.data(c, "/my-esims")
	if err != nil {
		return err
	}
	email := h.sessionEmail(c)
	if email == "" {
		return httpx.Render(c, fiber.StatusOK, views.MyESIMs(d))
	}
	orders, err := h.d.SignIn.Orders(c.UserContext(), email)
	if err != nil {
		return err
	}
	d.Email, d.Orders = email, OrderRows(d.Lang, orders)
	return httpx.Render(c, fiber.StatusOK, views.MyESIMsList(d))
}

// handleRequestLink asks for a sign-in link. The answer is the same page
// whether or not the address has orders.
func (h *Handlers) handleRequestLink(c *fiber.Ctx) error {
	d, err := h.data(c, "/my-esims")
	if err != nil {
		return err
	}
	d.Email = utils.CopyString(httpx.BodyValue(c, "email"))
	err = h.d.SignIn.RequestLink(c.UserContext(), d.Email, h.d.ClientIP.Of(c), d.Lang)
	switch {
	case store.ErrorCode(err) == store.EINVALID:
		d.Error = views.T(d.Lang, "form.email")
		return httpx.Render(c, fiber.StatusUnprocessableEntity, views.MyESIMs(d))
	case rateLimited(err):
		d.Error = views.T(d.Lang, "account.rate_limited")
		return httpx.Render(c, fiber.StatusTooManyRequests, views.MyESIMs(d))
	case err != nil:
		return err
	}
	d.Sent = true
	if h.d.DemoOutbox {
		d.OutboxURL = "/my-esims/demo-outbox"
	}
	return httpx.Render(c, fiber.StatusOK, views.MyESIMs(d))
}

// handleLink is where the emailed link lands: a button that signs in, so
// that a mail scanner opening the link does not use it up.
func (h *Handlers) handleLink(c *fiber.Ctx) error {
	token := c.Params("token")
	if !linkTokenPattern.MatchString(token) {
		return httpx.NotFound("account.link_invalid")
	}
	d, err := h.data(c, "/my-esims/link/"+token)
	if err != nil {
		return err
	}
	return httpx.Render(c, fiber.StatusOK, views.MyESIMsLink(d))
}

// handleRedeem uses the link's token and opens the session. A used,
// expired or unknown link shows the sign-in form with that said.
func (h *Handlers) handleRedeem(c *fiber.Ctx) error {
	token := utils.CopyString(c.Params("token"))
	if !linkTokenPattern.MatchString(token) {
		return httpx.NotFound("account.link_invalid")
	}
	secret, expires, err := h.d.SignIn.Redeem(c.UserContext(), token)
	if store.ErrorCode(err) == store.ENOTFOUND {
		d, derr := h.data(c, "/my-esims")
		if derr != nil {
			return derr
		}
		d.Error = views.T(d.Lang, "account.link_invalid")
		return httpx.Render(c, fiber.StatusGone, views.MyESIMs(d))
	}
	if err != nil {
		return err
	}
	h.setSession(c, secret, expires)
	return httpx.Redirect(c, "/my-esims")
}

// handleSignOut ends the session.
func (h *Handlers) handleSignOut(c *fiber.Ctx) error {
	if secret := utils.CopyString(c.Cookies(SessionCookie)); secret != "" {
		if err := h.d.SignIn.SignOut(c.UserContext(), secret); err != nil {
			return err
		}
	}
	h.setSession(c, "", time.Time{})
	return httpx.Redirect(c, "/my-esims")
}

// OrderRows turns order summaries into the rows of an order list (My
// eSIMs, the top-ups on an order page).
func OrderRows(lang string, orders []store.OrderSummary) []views.AccountOrder {
	out := make([]views.AccountOrder, 0, len(orders))
	for _, o := range orders {
		title := o.Title
		if o.Lines > 1 {
			title = views.T(lang, "account.more_lines", o.Title, o.Lines-1)
		}
		out = append(out, views.AccountOrder{
			Number: o.Number, URL: "/orders/" + o.Token, Title: title, Status: string(o.Status),
			StatusText: views.OrderStatusText(lang, string(o.Status)), Date: views.FormatDate(lang, o.CreatedAt),
		})
	}
	return out
}
