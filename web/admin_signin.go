package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
)

// Sign-in messages. One message for every wrong combination, so the page
// never tells whether an email has an account.
const (
	msgWrongLogin  = "Wrong email or password."
	msgRateLimited = "Too many failed sign-in attempts. Wait 15 minutes and try again."
)

// handleAdminSignIn serves GET /admin/sign-in.
func (a *App) handleAdminSignIn(c *fiber.Ctx) error {
	return a.renderSignIn(c, fiber.StatusOK, "", "", safeNext(c.Query("next")))
}

// renderSignIn renders the sign-in form.
func (a *App) renderSignIn(c *fiber.Ctx, status int, email, msg, next string) error {
	token, err := a.csrfToken(c)
	if err != nil {
		return err
	}
	return render(c, status, views.AdminSignIn(views.AdminSignInData{
		AdminPage: views.AdminPage{Title: "Sign in", CSRF: token, Nonce: nonceOf(c), Demo: a.cfg.Demo},
		Email:     email, Error: msg, Next: next,
	}))
}

// handleAdminSignInPost serves POST /admin/sign-in. Attempts are counted
// in the database per account and per IP; past the limits the answer is
// 429 even for the right password, so guessing gains nothing.
func (a *App) handleAdminSignInPost(c *fiber.Ctx) error {
	if err := checkCSRF(c); err != nil {
		return err
	}
	ctx := c.UserContext()
	email := truncate(strings.ToLower(strings.TrimSpace(c.FormValue("email"))), maxEmailInput)
	password := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	ip := truncate(a.clientIP(c), 64)
	now := a.adminNow()

	admitted, err := a.admin.enterSignIn(email, ip, func() (int, int, error) {
		return a.db.FailedLogins(ctx, email, ip, now.Add(-loginWindow))
	})
	if err != nil {
		return err
	}
	if !admitted {
		a.log.WarnContext(ctx, "admin sign-in rate limited", "ip", ip)
		return a.renderSignIn(c, fiber.StatusTooManyRequests, email, msgRateLimited, next)
	}
	defer a.admin.leaveSignIn(email, ip)

	admin, hash, err := a.db.AdminByEmail(ctx, email)
	switch {
	case store.ErrorCode(err) == store.ENOTFOUND || store.ErrorCode(err) == store.EINVALID:
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		hash = ""
	case err != nil:
		return err
	}
	ok := hash != "" && bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
	if err := a.db.RecordLoginAttempt(ctx, email, ip, ok, now); err != nil {
		return err
	}
	if !ok {
		a.log.InfoContext(ctx, "admin sign-in failed", "ip", ip)
		return a.renderSignIn(c, fiber.StatusUnauthorized, email, msgWrongLogin, next)
	}
	if err := a.startSession(c, admin); err != nil {
		return err
	}
	a.log.InfoContext(ctx, "admin signed in", "admin_id", admin.ID, "ip", ip)
	return c.Redirect(next, fiber.StatusSeeOther)
}

// handleAdminSignOut serves POST /admin/sign-out: the session is deleted on
// the server, not just forgotten by the browser.
func (a *App) handleAdminSignOut(c *fiber.Ctx) error {
	if err := checkCSRF(c); err != nil {
		return err
	}
	if token := c.Cookies(adminCookie); validToken(token) {
		if err := a.db.DeleteAdminSession(c.UserContext(), hashToken(token)); err != nil {
			return err
		}
	}
	a.setAdminCookie(c, "", time.Time{})
	return c.Redirect("/admin/sign-in", fiber.StatusSeeOther)
}
