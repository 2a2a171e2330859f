package admin

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/httpx"
)

// orderAction is one operator action on an order. run returns the flash
// key to show (a shop.Outcome…); an error is for failures the page cannot
// explain.
type orderAction struct {
	confirm bool // the form must carry confirm=1 (money leaves the shop)
	run     func(ctx context.Context, admin string, o store.Order) (string, error)
}

// orderActions are the actions of the order page, by URL name.
func (a *Admin) orderActions() map[string]orderAction {
	return map[string]orderAction{
		"retry-placement": {run: a.Shop.RetryPlacement},
		"resend-email":    {run: a.Shop.ResendEmail},
		"vendor-resend":   {run: a.Shop.VendorResend},
		"refund":          {confirm: true, run: a.Shop.Refund},
		"check-status":    {run: a.Shop.CheckStatus},
	}
}

// handleOrderAction is the handler of POST /admin/orders/{number}/{name}.
// The action is written to the audit log under the form's action_id before
// anything happens, so a double-submitted form finds its id taken and does
// nothing: no second vendor order, no second refund.
func (a *Admin) handleOrderAction(name string, act orderAction) fiber.Handler {
	return func(c *fiber.Ctx) error {
		o, err := a.adminOrder(c)
		if err != nil {
			return err
		}
		back := orderURL(o.Number)
		if act.confirm && httpx.BodyValue(c, "confirm") != "1" {
			// Not audited: the same form, ticked, must still go through.
			return done(c, back, "confirm")
		}
		dup, err := a.audit(c, name, o.ID, "", "order "+o.Number+" ("+string(o.Status)+")")
		if err != nil {
			return err
		}
		if dup {
			return done(c, back, "dup")
		}
		key, err := act.run(c.UserContext(), signedIn(c).Email, o)
		if err != nil {
			return err
		}
		a.Log.InfoContext(c.UserContext(), "admin action", "action", name, "order", o.Number, "admin_id", signedIn(c).AdminID, "result", key)
		return done(c, back, key)
	}
}
