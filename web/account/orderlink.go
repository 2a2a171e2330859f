package account

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/shop"
)

// Outcomes of "email me this link again", shown on the order page it
// redirects back to (?link=…).
const (
	LinkSent    = "sent"
	LinkLimited = "limited"
)

// handleEmailOrderLink emails the order page's link to the order's own
// address, then goes back to the order page saying so.
func (h *Handlers) handleEmailOrderLink(c *fiber.Ctx) error {
	o, err := h.d.OrderByToken(c.UserContext(), utils.CopyString(c.Params("token")))
	if err != nil {
		return err
	}
	outcome := LinkSent
	err = h.d.SignIn.EmailOrderLink(c.UserContext(), o, h.d.ClientIP.Of(c))
	switch {
	case rateLimited(err):
		outcome = LinkLimited
	case err != nil:
		return err
	}
	return httpx.Redirect(c, "/orders/"+o.Token+"?link="+outcome)
}

// handleDemoOutbox shows, in the demo without SMTP, the sign-in links
// "sent" in the last hour: the demo's stand-in for the buyer's inbox.
func (h *Handlers) handleDemoOutbox(c *fiber.Ctx) error {
	httpx.PrivateHeaders(c)
	lang := httpx.LangOf(c)
	mails, err := h.d.DB.Mails(c.UserContext(), 200)
	if err != nil {
		return err
	}
	var out []views.OutboxMail
	since := time.Now().Add(-time.Hour)
	for _, m := range mails { // newest first
		if m.Kind != shop.MailSignInLink || m.CreatedAt.Before(since) {
			continue
		}
		out = append(out, views.OutboxMail{
			To: m.To, Subject: m.Subject, Status: m.Status, Text: m.Text, HTML: m.HTML,
			CreatedAt: views.FormatDate(lang, m.CreatedAt) + " " + m.CreatedAt.UTC().Format("15:04 UTC"),
		})
	}
	// The preview iframe inherits this page's policy; the email's inline
	// styles need 'unsafe-inline' for styles (scripts stay forbidden).
	c.Set(fiber.HeaderContentSecurityPolicy, httpx.CSP(httpx.Nonce(c), "'self' 'unsafe-inline'"))
	p := h.d.Page(c, "/my-esims/demo-outbox", views.T(lang, "title.outbox"))
	return httpx.Render(c, fiber.StatusOK, views.Outbox(views.OutboxData{Page: p, Mails: out}))
}

// OrderLinkState is what the order page says about "email me this link
// again", from its ?link= query: LinkSent, LinkLimited or "".
func OrderLinkState(c *fiber.Ctx) string {
	switch v := strings.TrimSpace(c.Query("link")); v {
	case LinkSent, LinkLimited:
		return v
	}
	return ""
}
