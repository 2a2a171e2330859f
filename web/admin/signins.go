package admin

import (
	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// signInsURL is the sign-in limits page.
const signInsURL = "/admin/signins"

// handleSignIns serves GET /admin/signins: who is failing to sign in,
// and what the limits do to them.
func (a *Admin) handleSignIns(c *fiber.Ctx) error {
	locks, err := a.DB.LoginLocks(c.UserContext(), a.Now().Add(-loginWindow))
	if err != nil {
		return err
	}
	p, err := a.adminPage(c, "Sign-in limits", "signins")
	if err != nil {
		return err
	}
	d := views.SignInsData{AdminPage: p, LiftAction: signInsURL + "/lift"}
	for _, l := range locks {
		d.Rows = append(d.Rows, signInRow(l))
	}
	return httpx.Render(c, fiber.StatusOK, views.AdminSignIns(d))
}

// signInRow describes one lock for the operator.
func signInRow(l store.LoginLock) views.SignInRow {
	r := views.SignInRow{Kind: "account", Key: l.Email, Field: "email", Failures: l.Failures, Last: adminTime(l.Last), Effect: "counting"}
	if l.Email == "" {
		r.Kind, r.Key, r.Field = "address", l.IP, "ip"
		if l.Failures >= maxIPFails {
			r.Effect = "refused"
		}
		return r
	}
	if d := signInDelay(l.Failures); d > 0 {
		r.Effect = "each attempt waits " + d.String()
	}
	return r
}

// handleLiftSignIn serves POST /admin/signins/lift: forget the failures
// of one account or address, audited.
func (a *Admin) handleLiftSignIn(c *fiber.Ctx) error {
	email, ip := httpx.Truncate(httpx.BodyValue(c, "email"), maxEmailInput), httpx.Truncate(httpx.BodyValue(c, "ip"), 64)
	if (email == "") == (ip == "") {
		return httpx.BadRequest("error.bad_request")
	}
	dup, err := a.audit(c, "lift_signin_limit", 0, "", "lifted sign-in limits of "+email+ip)
	if err != nil {
		return err
	}
	if dup {
		return done(c, signInsURL, "dup")
	}
	n, err := a.DB.ClearLoginFailures(c.UserContext(), email, ip)
	if err != nil {
		return err
	}
	a.Log.InfoContext(c.UserContext(), "sign-in limits lifted", "failures", n, "admin_id", signedIn(c).AdminID)
	return done(c, signInsURL, "lifted")
}
