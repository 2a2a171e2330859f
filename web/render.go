package web

import (
	"net/url"
	"strconv"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/views"
)

// render writes a templ component as the HTML response.
func render(c *fiber.Ctx, status int, comp templ.Component) error {
	c.Status(status)
	c.Type("html", "utf-8")
	ctx := templ.WithNonce(c.UserContext(), nonceOf(c))
	return comp.Render(ctx, c.Response().BodyWriter())
}

// page returns the layout data for a page at path (no query string):
// localised title and description, the canonical URL in the request's
// language, and the alternates in every language. extra holds query
// parameters that are part of the page's identity (kept in every link).
func (a *App) page(c *fiber.Ctx, path, title, description string, extra url.Values) views.Page {
	lang := langOf(c)
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
		Nonce:       nonceOf(c),
	}
}

// money formats an amount in minor units for lang.
func money(amount int64, currency, lang string) string {
	return billing.Money{Amount: amount, Currency: currency}.Format(lang)
}

// itoa64 formats an id.
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
