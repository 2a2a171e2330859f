// Package account is the buyer's side after the sale, over HTTP: "My
// eSIMs" (a sign-in link by email, then a list of the address's orders)
// and "email me this link again" on the order page. Handlers parse,
// validate, make one call into the core (shop.SignIn) and render; CSRF is
// middleware on the group.
package account

import (
	"context"
	"errors"
	"log/slog"
	"regexp"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/shop"
)

// SessionCookie holds a signed-in buyer's session secret.
const SessionCookie = "esims_session"

// linkTokenPattern is the shape of a sign-in token (256 bits, base64url).
var linkTokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// Deps is what the handlers need.
type Deps struct {
	SignIn   *shop.SignIn
	TopUps   *shop.TopUps
	DB       *store.DB
	ClientIP *httpx.ClientIP
	// Page builds the layout Page of a buyer's page (language, demo banner,
	// nonce) for path with a localised title.
	Page func(c *fiber.Ctx, path, title string) views.Page
	// OrderByToken loads the order an order-page token names, or the 404
	// page error.
	OrderByToken func(ctx context.Context, token string) (store.Order, error)
	Secure       bool // BASE_URL is https: Secure cookies
	// DemoOutbox shows the sent sign-in link on the page (demo without SMTP).
	DemoOutbox bool
	Log        *slog.Logger
}

// Handlers serves the account pages.
type Handlers struct{ d Deps }

// New builds the handlers.
func New(d Deps) *Handlers {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	return &Handlers{d: d}
}

// Mount registers the routes on the buyer's page group (language already
// resolved). Every POST needs the CSRF token.
func (h *Handlers) Mount(r fiber.Router) {
	g := r.Group("/my-esims", csrfOnPost)
	g.Get("", h.handleMyESIMs)
	g.Post("", h.handleRequestLink)
	g.Get("/link/:token", h.handleLink)
	g.Post("/link/:token", h.handleRedeem)
	g.Post("/signout", h.handleSignOut)
	if h.d.DemoOutbox {
		g.Get("/demo-outbox", h.handleDemoOutbox)
	}
	r.Post("/orders/:token/email-link", httpx.RequireCSRF, h.handleEmailOrderLink)
	r.Get("/orders/:token/top-up", h.handleTopUp)
	r.Post("/orders/:token/top-up", httpx.RequireCSRF, h.handleStartTopUp)
}

// csrfOnPost refuses a form post without the CSRF token.
func csrfOnPost(c *fiber.Ctx) error {
	if c.Method() == fiber.MethodPost {
		return httpx.RequireCSRF(c)
	}
	return c.Next()
}

// data is the common part of every account page.
func (h *Handlers) data(c *fiber.Ctx, path string) (views.AccountData, error) {
	lang := httpx.LangOf(c)
	token, err := httpx.CSRFToken(c, h.d.Secure)
	if err != nil {
		return views.AccountData{}, err
	}
	httpx.PrivateHeaders(c)
	return views.AccountData{
		Page: h.d.Page(c, path, views.T(lang, "account.title")), CSRF: token,
		Action: path, SignOutAction: "/my-esims/signout", Minutes: int(shop.SignInLinkTTL / time.Minute),
	}, nil
}

// sessionEmail is the signed-in buyer's email, or "" for none.
func (h *Handlers) sessionEmail(c *fiber.Ctx) string {
	secret := utils.CopyString(c.Cookies(SessionCookie))
	if secret == "" {
		return ""
	}
	email, err := h.d.SignIn.Session(c.UserContext(), secret)
	if err != nil {
		if store.ErrorCode(err) != store.ENOTFOUND {
			h.d.Log.ErrorContext(c.UserContext(), "reading a buyer session", "err", err)
		}
		return ""
	}
	return email
}

// setSession sets (or, with secret "", clears) the session cookie.
func (h *Handlers) setSession(c *fiber.Ctx, secret string, expires time.Time) {
	ck := &fiber.Cookie{
		Name: SessionCookie, Value: secret, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: h.d.Secure, Expires: expires,
	}
	if secret == "" {
		ck.MaxAge = -1
	}
	c.Cookie(ck)
}

// rateLimited is the 429 page for too many link requests.
func rateLimited(err error) bool { return errors.Is(err, shop.ErrRateLimited) }
