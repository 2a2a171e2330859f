package admin

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// topNotFound is how many 404 paths the redirects page lists.
const topNotFound = 50

// handleRedirects serves GET /admin/redirects (?from= fills the form, as
// the "create redirect" link of a 404 row does).
func (a *contentAdmin) handleRedirects(c *fiber.Ctx) error {
	return a.renderRedirects(c, fiber.StatusOK, views.RedirectsData{From: strings.TrimSpace(c.Query("from")), Status: 301})
}

// renderRedirects renders the page around d's form values and errors.
func (a *contentAdmin) renderRedirects(c *fiber.Ctx, status int, d views.RedirectsData) error {
	ctx := c.UserContext()
	p, err := a.adminPage(c, "Redirects", "redirects")
	if err != nil {
		return err
	}
	d.AdminPage = p
	rs, err := a.DB.Redirects(ctx)
	if err != nil {
		return err
	}
	for _, r := range rs {
		d.Rows = append(d.Rows, views.RedirectRow{From: r.From, To: r.To, Status: r.Status, Source: r.Source, Created: adminTime(r.CreatedAt)})
	}
	nf, err := a.DB.TopNotFound(ctx, topNotFound)
	if err != nil {
		return err
	}
	for _, n := range nf {
		d.NotFound = append(d.NotFound, views.NotFoundRow{Path: n.Path, Hits: n.Hits, FirstSeen: adminTime(n.FirstSeen), LastSeen: adminTime(n.LastSeen)})
	}
	return httpx.Render(c, status, views.AdminRedirects(d))
}

// handleRedirectSave serves POST /admin/redirects: add or replace one.
func (a *contentAdmin) handleRedirectSave(c *fiber.Ctx) error {
	r := store.Redirect{
		From:   strings.TrimSpace(httpx.BodyValue(c, "from")),
		To:     strings.TrimSpace(httpx.BodyValue(c, "to")),
		Source: store.RedirectOperator,
	}
	r.Status, _ = strconv.Atoi(httpx.BodyValue(c, "status"))
	dup, err := a.audit(c, "redirect_save", 0, "", r.From+" -> "+r.To)
	if err != nil || dup {
		return errOr(err, c, "/admin/redirects")
	}
	if err := a.DB.SetRedirect(c.UserContext(), r); store.ErrorCode(err) == store.EINVALID {
		return a.renderRedirects(c, fiber.StatusUnprocessableEntity, views.RedirectsData{From: r.From, To: r.To, Status: r.Status,
			Errors: map[string]string{"form": store.ErrorMessage(err)}})
	} else if err != nil {
		return err
	}
	return done(c, "/admin/redirects", "redirect-saved")
}

// handleRedirectDelete serves POST /admin/redirects/delete.
func (a *contentAdmin) handleRedirectDelete(c *fiber.Ctx) error {
	from := httpx.BodyValue(c, "from")
	dup, err := a.audit(c, "redirect_delete", 0, "", from)
	if err != nil || dup {
		return errOr(err, c, "/admin/redirects")
	}
	if err := a.DB.DeleteRedirect(c.UserContext(), from); err != nil {
		return err
	}
	return done(c, "/admin/redirects", "redirect-deleted")
}
