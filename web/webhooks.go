package web

import (
	"bytes"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/web/shop"
)

// handleVendorNotice serves POST /webhooks/billionconnect (and the old
// WordPress callback path): the raw body, signature and headers go to the
// core, which stores, verifies, applies and answers.
func (a *App) handleVendorNotice(c *fiber.Ctx) error {
	r := a.shop.VendorNotice(c.UserContext(), shop.Notice{
		Body: bytes.Clone(c.BodyRaw()), Signature: c.Get("x-sign-value"), Headers: a.noticeHeaders(c),
		ChannelID: c.Get("x-channel-id"), SignMethod: c.Get("x-sign-method"), ClientIP: a.ip.Of(c),
	})
	return sendReply(c, r)
}

// handleStripeWebhook serves POST /webhooks/stripe.
func (a *App) handleStripeWebhook(c *fiber.Ctx) error {
	r := a.shop.StripeWebhook(c.UserContext(), bytes.Clone(c.BodyRaw()), c.Get("Stripe-Signature"), a.ip.Of(c))
	return sendReply(c, r)
}

// sendReply writes the core's answer as it is.
func sendReply(c *fiber.Ctx, r shop.Reply) error {
	if r.JSON {
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	}
	return c.Status(r.Status).Send(r.Body)
}

// noticeHeaders keeps the request headers that matter for the operator.
// The signature is not a secret (it is derived from the body), but the
// app secret never appears anywhere.
func (a *App) noticeHeaders(c *fiber.Ctx) string {
	h := map[string]string{}
	for _, k := range []string{"x-channel-id", "x-sign-method", "x-sign-value", "content-type", "user-agent"} {
		if v := c.Get(k); v != "" {
			h[k] = v
		}
	}
	h["remote-ip"] = a.ip.Of(c)
	b, _ := json.Marshal(h)
	return string(b)
}
