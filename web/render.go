package web

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// page returns the layout data for a page at path (no query string):
// localised title and description, the canonical URL in the request's
// language, and the alternates in every language. extra holds query
// parameters that are part of the page's identity (kept in every link).
func (a *App) page(c *fiber.Ctx, path, title, description string, extra url.Values) views.Page {
	lang := httpx.LangOf(c)
	alts := make(map[string]string, len(views.Languages))
	for _, l := range views.Languages {
		q := url.Values{}
		for k, v := range extra {
			q[k] = v
		}
		q.Set("lang", l)
		alts[l] = a.cfg.BaseURL + path + "?" + q.Encode()
	}
	return views.Page{
		Lang:        lang,
		Title:       title,
		Description: description,
		Canonical:   alts[lang],
		Alternates:  alts,
		Demo:        a.cfg.Demo,
		Nonce:       httpx.Nonce(c),
		Legal:       a.site.legal(lang),
	}
}

// csrfToken is the buyer's CSRF token for a form on the page.
func (a *App) csrfToken(c *fiber.Ctx) (string, error) {
	return httpx.CSRFToken(c, httpx.Secure(a.cfg.BaseURL))
}
