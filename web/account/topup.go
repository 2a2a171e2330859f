package account

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/present"
)

// maxICCIDLen bounds the ICCID a form or URL may carry.
const maxICCIDLen = 32

// handleTopUp shows the plans that can be added to one eSIM of the order.
func (h *Handlers) handleTopUp(c *fiber.Ctx) error {
	o, err := h.d.OrderByToken(c.UserContext(), utils.CopyString(c.Params("token")))
	if err != nil {
		return err
	}
	iccid := strings.TrimSpace(utils.CopyString(c.Query("iccid")))
	d, err := h.topUpData(c, o, iccid)
	if err != nil {
		return err
	}
	return httpx.Render(c, fiber.StatusOK, views.TopUp(d))
}

// handleStartTopUp creates the top-up order and sends the buyer to pay.
// A choice that is not on offer re-renders the page saying so.
func (h *Handlers) handleStartTopUp(c *fiber.Ctx) error {
	o, err := h.d.OrderByToken(c.UserContext(), utils.CopyString(c.Params("token")))
	if err != nil {
		return err
	}
	iccid := strings.TrimSpace(utils.CopyString(httpx.BodyValue(c, "iccid")))
	sku, copiesText, _ := strings.Cut(utils.CopyString(httpx.BodyValue(c, "choice")), ":")
	copies, cerr := strconv.Atoi(copiesText)
	lang := httpx.LangOf(c)
	var payURL string
	if cerr != nil || copies < 1 || len(iccid) > maxICCIDLen {
		err = store.Errorf(store.EINVALID, "invalid choice")
	} else {
		payURL, err = h.d.TopUps.Start(c.UserContext(), o, iccid, sku, copies, lang)
	}
	if err == nil {
		return c.Redirect(payURL, fiber.StatusSeeOther)
	}
	if store.ErrorCode(err) == store.ENOTFOUND {
		return httpx.NotFound("error.unknown_order")
	}
	status, key := fiber.StatusUnprocessableEntity, "topup.invalid"
	if store.ErrorCode(err) != store.EINVALID {
		h.d.Log.ErrorContext(c.UserContext(), "starting a top-up", "order", o.Number, "err", err)
		status, key = fiber.StatusServiceUnavailable, "topup.failed"
	}
	d, derr := h.topUpData(c, o, iccid)
	if derr != nil {
		return derr
	}
	d.Error = views.T(lang, key)
	return httpx.Render(c, status, views.TopUp(d))
}

// topUpData builds the top-up page for one eSIM of o.
func (h *Handlers) topUpData(c *fiber.Ctx, o store.Order, iccid string) (views.TopUpData, error) {
	lang := httpx.LangOf(c)
	plans, err := h.d.TopUps.Offers(c.UserContext(), o, iccid)
	switch store.ErrorCode(err) {
	case "":
	case store.ENOTFOUND, store.EINVALID:
		return views.TopUpData{}, httpx.NotFound("error.unknown_order")
	default:
		// The vendor did not answer: the page says there is nothing to add
		// now rather than failing.
		h.d.Log.WarnContext(c.UserContext(), "listing top-ups", "order", o.Number, "err", err)
	}
	token, err := httpx.CSRFToken(c, h.d.Secure)
	if err != nil {
		return views.TopUpData{}, err
	}
	httpx.PrivateHeaders(c)
	path := "/orders/" + o.Token + "/top-up"
	return views.TopUpData{
		Page: h.d.Page(c, path+"?iccid="+url.QueryEscape(iccid), views.T(lang, "topup.title")),
		CSRF: token, Action: path, BackURL: "/orders/" + o.Token, ICCID: iccid, Offers: topUpOffers(lang, plans),
	}, nil
}

// topUpOffers words the plans and their tiers.
func topUpOffers(lang string, plans []*catalog.Plan) []views.TopUpOfferView {
	out := make([]views.TopUpOfferView, 0, len(plans))
	for _, p := range plans {
		v := views.TopUpOfferView{SKU: p.SKUID, Title: present.PlanTitle(lang, p)}
		for _, t := range p.Priced {
			v.Tiers = append(v.Tiers, views.TopUpTierView{
				Copies: strconv.Itoa(t.Copies), Label: present.TierTitle(lang, p, t),
				Price: present.Money(t.Price.Amount, t.Price.Currency, lang),
			})
		}
		out = append(out, v)
	}
	return out
}
