package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/devices"
	"github.com/esimshop/esimshop/web/httpx"
)

// deviceBrands turns the list's brands into the view's.
func deviceBrands(bs []devices.Brand) []views.DeviceBrand {
	out := make([]views.DeviceBrand, len(bs))
	for i, b := range bs {
		out[i] = views.DeviceBrand{Name: b.Name, Models: b.Models}
	}
	return out
}

// handleDevices serves /help/devices?model=: the eSIM compatibility list,
// searched by model. A function over the list rather than an App method:
// the list is all it needs besides the page chrome.
func handleDevices(a *App, list devices.List) fiber.Handler {
	all := deviceBrands(list.Brands)
	return func(c *fiber.Ctx) error {
		lang := httpx.LangOf(c)
		q := strings.TrimSpace(c.Query("model"))
		if len(q) > maxQueryLen {
			return httpx.BadRequest("error.query_too_long")
		}
		p := a.page(c, "/help/devices", views.T(lang, "devices.title"), views.T(lang, "devices.description"), nil)
		d := views.DevicesData{Page: p, Query: q, All: all}
		if q != "" {
			p.NoIndex = true
			d.Page = p
			d.Results = deviceBrands(list.Search(q))
		}
		return httpx.Render(c, fiber.StatusOK, views.Devices(d))
	}
}
