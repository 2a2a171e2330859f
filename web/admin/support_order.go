package admin

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/shop"
)

// handleNote serves POST /admin/orders/{number}/notes: a private note on
// the order's timeline (never shown to the buyer), audited.
func (s *support) handleNote(c *fiber.Ctx) error {
	o, err := s.adminOrder(c)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(httpx.BodyValue(c, "note"))
	if text == "" || len(text) > store.MaxNoteLen || !utf8.ValidString(text) {
		return done(c, orderURL(o.Number), "note-invalid")
	}
	text = utils.CopyString(text)
	dup, err := s.audit(c, "note", o.ID, "", "note on order "+o.Number)
	if err != nil || dup {
		return dupOr(c, o.Number, err)
	}
	if err := s.DB.AddOrderNote(c.UserContext(), o.ID, "note by "+signedIn(c).Email+": "+text); err != nil {
		return err
	}
	return done(c, orderURL(o.Number), "note-added")
}

// handleEmail serves POST /admin/orders/{number}/email: corrects the
// buyer's email (audited with old and new address); the operator then
// resends the eSIM email with the order page's action.
func (s *support) handleEmail(c *fiber.Ctx) error {
	o, err := s.adminOrder(c)
	if err != nil {
		return err
	}
	email := utils.CopyString(strings.TrimSpace(httpx.BodyValue(c, "email")))
	dup, err := s.audit(c, "change_email", o.ID, "", "email of order "+o.Number+": "+o.Email+" → "+email)
	if err != nil || dup {
		return dupOr(c, o.Number, err)
	}
	changed, err := s.DB.ChangeOrderEmail(c.UserContext(), o.ID, email, signedIn(c).Email)
	switch {
	case store.ErrorCode(err) == store.EINVALID:
		return done(c, orderURL(o.Number), "email-invalid")
	case err != nil:
		return err
	case !changed:
		return done(c, orderURL(o.Number), "nothing")
	}
	return done(c, orderURL(o.Number), "email-changed")
}

// dupOr is the answer to an audit that failed (err) or found the form
// submitted before (the "dup" flash).
func dupOr(c *fiber.Ctx, number string, err error) error {
	if err != nil {
		return err
	}
	return done(c, orderURL(number), "dup")
}

// handleEnterESIM serves POST /admin/orders/{number}/esims: an eSIM typed
// in from the vendor's console for a stuck order, delivered normally.
func (s *support) handleEnterESIM(c *fiber.Ctx) error {
	o, err := s.adminOrder(c)
	if err != nil {
		return err
	}
	m := shop.ManualESIM{
		Admin: signedIn(c).Email, Order: o,
		Line: utils.CopyString(httpx.BodyValue(c, "line")), ICCID: utils.CopyString(httpx.BodyValue(c, "iccid")),
		LPA: utils.CopyString(httpx.BodyValue(c, "lpa")), ConfirmationCode: utils.CopyString(httpx.BodyValue(c, "confirmation_code")),
	}
	dup, err := s.audit(c, "enter_esim", o.ID, "", "eSIM "+strings.TrimSpace(m.ICCID)+" entered by hand for order "+o.Number)
	if err != nil || dup {
		return dupOr(c, o.Number, err)
	}
	delivered, err := shop.EnterESIM(c.UserContext(), s.Shop, m)
	switch code := store.ErrorCode(err); {
	case code == store.EINVALID:
		return done(c, orderURL(o.Number), "esim-invalid")
	case code == store.ECONFLICT:
		return done(c, orderURL(o.Number), "not-allowed")
	case err != nil:
		return err
	case delivered:
		return done(c, orderURL(o.Number), "esim-delivered")
	}
	return done(c, orderURL(o.Number), "esim-entered")
}
