package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/present"
)

// handleQR serves an eSIM's QR code. Only the order's token reaches it;
// like the order page it is private and never cached.
func (a *App) handleQR(c *fiber.Ctx) error {
	httpx.PrivateHeaders(c)
	o, err := a.orderByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	png, found, err := present.ESIMQR(o, c.Params("id"))
	if err != nil || !found {
		return errors.Join(err, httpx.NotFound("error.unknown_order"))
	}
	return httpx.SendPNG(c, png)
}

// handleOrderStatus answers the order page's polling with the order's
// status, so the page reloads itself when the eSIM lands.
func (a *App) handleOrderStatus(c *fiber.Ctx) error {
	httpx.PrivateHeaders(c)
	o, err := a.orderByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return c.Status(fiber.StatusNotFound).JSON(fiber.Map{"error": "not found"})
	}
	return c.JSON(fiber.Map{"status": string(o.Status)})
}
