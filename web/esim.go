package web

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
)

// qrSize is the QR image's side in pixels: large enough to scan from a
// second screen or paper, small enough for email.
const qrSize = 320

// qrPNG renders an LPA activation string as a QR code PNG. Medium error
// correction keeps the code sparse enough to scan from a phone screen.
func qrPNG(lpa string) ([]byte, error) {
	return qrcode.Encode(lpa, qrcode.Medium, qrSize)
}

// esimView describes the i-th eSIM of an order for the page and email.
func (a *App) esimView(lang string, o store.Order, i int, e store.ESIM) views.ESIMView {
	v := views.ESIMView{
		Index: i + 1, ICCID: e.ICCID, LPA: e.LPA, SMDP: e.SMDP, ActivationCode: e.ActivationCode,
		QRURL:      "/orders/" + o.Token + "/esims/" + strconv.FormatInt(e.ID, 10) + "/qr.png",
		AppleURL:   "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=" + url.QueryEscape(e.LPA),
		AndroidURL: "https://esimsetup.android.com/esim_qrcode_provisioning?carddata=" + url.QueryEscape(e.LPA),
		APN:        e.APN, PIN: e.PIN, PUK: e.PUK, MSISDN: e.MSISDN,
	}
	for _, l := range o.Lines {
		if l.ID == e.LineID {
			v.Title = l.Title
			v.APNManual = a.apnManual(l.SKUID)
		}
	}
	if !e.InstallBy.IsZero() {
		v.InstallBy = views.FormatDate(lang, e.InstallBy)
	}
	return v
}

// apnManual reports whether a plan needs the APN set by hand in any of
// its countries (vendor apnType 1). The eSIM notice does not say; the
// catalog does.
func (a *App) apnManual(sku string) bool {
	if p := a.catalog().plans[sku]; p != nil {
		for _, cv := range p.Coverage {
			if cv.APNManual {
				return true
			}
		}
	}
	return false
}

// handleQR serves an eSIM's QR code. Only the order's token reaches it;
// like the order page it is private and never cached.
func (a *App) handleQR(c *fiber.Ctx) error {
	privateHeaders(c)
	o, err := a.orderByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	return sendQR(c, o)
}

// sendQR answers with the QR code PNG of the order's eSIM named by the
// :id route parameter (for the buyer's page and the admin's alike).
func sendQR(c *fiber.Ctx, o store.Order) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return notFound("error.unknown_order")
	}
	for _, e := range o.ESIMs {
		if e.ID == id {
			png, err := qrPNG(e.LPA)
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, "image/png")
			return c.Send(png)
		}
	}
	return notFound("error.unknown_order")
}

// handleOrderStatus answers the order page's polling with the order's
// status, so the page reloads itself when the eSIM lands.
func (a *App) handleOrderStatus(c *fiber.Ctx) error {
	privateHeaders(c)
	o, err := a.orderByToken(c.UserContext(), c.Params("token"))
	if err != nil {
		return c.Status(fiber.StatusNotFound).JSON(fiber.Map{"error": "not found"})
	}
	return c.JSON(fiber.Map{"status": string(o.Status)})
}
