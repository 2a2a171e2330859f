package web

import (
	"context"
	"errors"
	"net/mail"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
)

// checkoutForm is the parsed and validated buy form.
type checkoutForm struct {
	plan     *plan
	tier     pricedTier
	quantity int
	email    string
	errors   map[string]string // field → message key; empty when valid
}

// parseCheckoutForm reads the buy form against the current catalog. It
// never trusts a price from the browser: the price is the catalog's for the
// chosen tier. Field errors are collected so all are shown at once.
func parseCheckoutForm(cat *catalog, sku, copies, quantity, email string) checkoutForm {
	f := checkoutForm{errors: map[string]string{}}
	if skuPattern.MatchString(sku) {
		f.plan = cat.plans[sku]
	}
	if f.plan == nil {
		f.errors["form"] = "form.unavailable"
		return f
	}
	n, err := strconv.Atoi(strings.TrimSpace(copies))
	if t, ok := f.plan.tier(n); err == nil && ok {
		f.tier = t
	} else {
		f.errors["copies"] = "form.copies"
	}
	q, err := strconv.Atoi(strings.TrimSpace(quantity))
	if err != nil || q < 1 || q > store.MaxQuantity {
		f.errors["quantity"] = "form.quantity"
	}
	f.quantity = q
	if addr, ok := validEmail(email); ok {
		f.email = addr
	} else {
		f.email = strings.TrimSpace(email)
		f.errors["email"] = "form.email"
	}
	return f
}

// validEmail accepts a bare address (no display name) with a dotted domain,
// at most 254 bytes, and returns it trimmed.
func validEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 254 || strings.ContainsAny(s, "\r\n<>") {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", false
	}
	at := strings.LastIndexByte(s, '@')
	if domain := s[at+1:]; !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") || strings.HasPrefix(domain, ".") {
		return "", false
	}
	return s, true
}

// handleCheckout serves POST /checkout: validate, create the order, ask the
// payment provider for a payment page and send the buyer there. Invalid
// input re-renders the plan page with the errors and creates nothing.
func (a *App) handleCheckout(c *fiber.Ctx) error {
	lang := langOf(c)
	f := parseCheckoutForm(a.catalog(), c.FormValue("sku"), c.FormValue("copies"), c.FormValue("quantity"), c.FormValue("email"))
	if err := checkCSRF(c); err != nil {
		if f.plan == nil {
			return err
		}
		// Typically a phone that restored an old tab without its cookies:
		// show the form again, filled in, with a fresh token, instead of a
		// dead end. Nothing was stored.
		f.errors = map[string]string{"form": "form.csrf"}
		return a.renderCheckoutErrors(c, f, fiber.StatusForbidden)
	}
	if f.plan == nil {
		return notFound("error.unknown_plan")
	}
	if len(f.errors) > 0 {
		return a.renderCheckoutErrors(c, f, fiber.StatusBadRequest)
	}
	url, err := a.startCheckout(c.UserContext(), lang, f)
	if err != nil {
		a.log.ErrorContext(c.UserContext(), "checkout failed", "sku", f.plan.SKUID, "err", err)
		f.errors["form"] = "form.payment"
		return a.renderCheckoutErrors(c, f, fiber.StatusServiceUnavailable)
	}
	return c.Redirect(url, fiber.StatusSeeOther)
}

// renderCheckoutErrors re-renders the plan page with the form as sent and
// its errors next to the fields.
func (a *App) renderCheckoutErrors(c *fiber.Ctx, f checkoutForm, status int) error {
	lang := langOf(c)
	copies := f.tier.Copies
	if copies == 0 {
		copies = f.plan.cheapest().Copies
	}
	d, err := a.planData(c, f.plan, copies)
	if err != nil {
		return err
	}
	d.Quantity = f.quantity
	if d.Quantity < 1 || d.Quantity > store.MaxQuantity {
		d.Quantity = 1
	}
	d.Email = utils.CopyString(f.email)
	d.Errors = make(map[string]string, len(f.errors))
	for field, key := range f.errors {
		d.Errors[field] = views.T(lang, key)
	}
	d.Page.NoIndex = true
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return render(c, status, views.Plan(d))
}

// startCheckout creates the order and its payment page, returning the URL
// to send the buyer to. A provider failure marks the new order failed so
// it does not linger as pending.
func (a *App) startCheckout(ctx context.Context, lang string, f checkoutForm) (string, error) {
	p, t := f.plan, f.tier
	title := tierTitle(lang, p, t)
	amount, err := mulAmount(t.Price.Amount, f.quantity)
	if err != nil {
		return "", err
	}
	order, err := a.db.CreateOrder(ctx, store.NewOrder{
		Email: f.email, Lang: lang, Currency: t.Price.Currency, Provider: a.cfg.Payments.Name(),
		Lines: []store.OrderLine{{
			SKUID: p.SKUID, Title: title, Copies: t.Copies, Quantity: f.quantity,
			Days: t.Days, DataKB: t.DataKB, DailyKB: p.DailyKB,
			UnitAmount: t.Price.Amount, Amount: amount, Settlement: settlementOf(p, t.Copies),
		}},
	})
	if err != nil {
		return "", err
	}
	sess, err := a.cfg.Payments.CreateCheckout(ctx, billing.CheckoutRequest{
		OrderID: order.ID, OrderNumber: order.Number, OrderToken: order.Token,
		Email: order.Email, Lang: lang, Currency: order.Currency,
		UnitAmount: t.Price.Amount, Quantity: int64(f.quantity),
		ProductName:    title + " eSIM",
		ProductDesc:    productDescription(lang, p, t),
		SuccessURL:     a.cfg.BaseURL + "/orders/" + order.Token + "?session_id={CHECKOUT_SESSION_ID}",
		CancelURL:      a.cfg.BaseURL + "/plans/" + p.SKUID + "?copies=" + strconv.Itoa(t.Copies),
		IdempotencyKey: "checkout-" + order.Number,
	})
	if err == nil {
		err = a.db.SetPaymentRef(ctx, order.ID, sess.ID)
	}
	if err != nil {
		if _, ferr := a.db.MarkPaymentFailed(context.WithoutCancel(ctx), order.ID, "payment page could not be created"); ferr != nil {
			err = errors.Join(err, ferr)
		}
		return "", err
	}
	return sess.URL, nil
}

// mulAmount is unit × quantity without overflow.
func mulAmount(unit int64, quantity int) (int64, error) {
	if unit <= 0 || quantity <= 0 || unit > (1<<62)/int64(quantity) {
		return 0, errors.New("order amount out of range")
	}
	return unit * int64(quantity), nil
}

// settlementOf is the vendor's settlement price of a tier, kept on the
// order line for the operator's margin view.
func settlementOf(p *plan, copies int) string {
	for _, t := range p.Tiers {
		if t.Copies == copies {
			return t.SettlementPrice
		}
	}
	return ""
}

// productDescription is the line's description on the payment page:
// where it works, how much data, for how long.
func productDescription(lang string, p *plan, t pricedTier) string {
	data := views.FormatData(lang, t.DataKB)
	if p.daily() {
		data = views.T(lang, "checkout.per_day", views.FormatData(lang, p.DailyKB))
	}
	return views.T(lang, "checkout.product_desc", len(p.Coverage), data, t.Days)
}
