package web

import (
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/shop"
)

// checkoutForm is the parsed and validated buy form.
type checkoutForm struct {
	plan     *catalog.Plan
	tier     catalog.Tier
	quantity int
	email    string
	travel   string            // travel start date, for plans that need one
	errors   map[string]string // field → message key; empty when valid
}

// checkoutInput is the buy form as posted.
type checkoutInput struct {
	sku, copies, quantity, email, travelDate string
}

// checkout is the validated form as the core takes it.
func (f checkoutForm) checkout(lang string) shop.Checkout {
	return shop.Checkout{Lang: lang, Plan: f.plan, Tier: f.tier, Quantity: f.quantity, Email: f.email, TravelDate: f.travel}
}

// parseCheckoutForm reads the buy form against the current catalog. It
// never trusts a price from the browser: the price is the catalog's for the
// chosen tier. Field errors are collected so all are shown at once. now
// is the shop's clock, for the travel date's window.
func parseCheckoutForm(cat *catalog.Snapshot, in checkoutInput, now time.Time) checkoutForm {
	f := checkoutForm{errors: map[string]string{}}
	if catalog.ValidSKU(in.sku) {
		f.plan = cat.Plan(in.sku)
	}
	if f.plan == nil {
		f.errors["form"] = "form.unavailable"
		return f
	}
	n, err := strconv.Atoi(strings.TrimSpace(in.copies))
	if t, ok := f.plan.Tier(n); err == nil && ok {
		f.tier = t
	} else {
		f.errors["copies"] = "form.copies"
	}
	q, err := strconv.Atoi(strings.TrimSpace(in.quantity))
	if err != nil || q < 1 || q > store.MaxQuantity {
		f.errors["quantity"] = "form.quantity"
	}
	f.quantity = q
	if addr, ok := validEmail(in.email); ok {
		f.email = addr
	} else {
		f.email = strings.TrimSpace(in.email)
		f.errors["email"] = "form.email"
	}
	if f.plan.NeedsUseTime {
		f.travel = strings.TrimSpace(in.travelDate)
		if !shop.ValidTravelDate(f.plan.Product, f.travel, now) {
			f.errors["travel_date"] = "form.travel_date"
		}
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
	lang := httpx.LangOf(c)
	f := parseCheckoutForm(a.snapshot(), checkoutInput{
		sku: httpx.BodyValue(c, "sku"), copies: httpx.BodyValue(c, "copies"), quantity: httpx.BodyValue(c, "quantity"),
		email: httpx.BodyValue(c, "email"), travelDate: httpx.BodyValue(c, "travel_date"),
	}, a.shop.Now())
	if err := httpx.CheckCSRF(c); err != nil {
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
		return httpx.NotFound("error.unknown_plan")
	}
	if len(f.errors) > 0 {
		return a.renderCheckoutErrors(c, f, fiber.StatusBadRequest)
	}
	url, err := a.shop.StartCheckout(c.UserContext(), f.checkout(lang))
	if store.ErrorCode(err) == store.EUNAVAILABLE {
		f.errors["form"] = "form.busy"
		c.Set(fiber.HeaderRetryAfter, "5")
		return a.renderCheckoutErrors(c, f, fiber.StatusServiceUnavailable)
	}
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
	lang := httpx.LangOf(c)
	copies := f.tier.Copies
	if copies == 0 {
		copies = f.plan.Cheapest().Copies
	}
	d, err := a.planData(c, f.plan, copies)
	if err != nil {
		return err
	}
	d.Quantity = f.quantity
	if d.Quantity < 1 || d.Quantity > store.MaxQuantity {
		d.Quantity = 1
	}
	setTotal(&d, lang, f.plan, copies)
	d.Email = utils.CopyString(f.email)
	if f.travel != "" {
		d.TravelDate = utils.CopyString(f.travel)
	}
	d.Errors = make(map[string]string, len(f.errors))
	for field, key := range f.errors {
		d.Errors[field] = views.T(lang, key)
	}
	if _, bad := f.errors["travel_date"]; bad {
		last, _ := time.Parse(time.DateOnly, d.TravelMax)
		d.Errors["travel_date"] = views.T(lang, "form.travel_date", views.FormatDate(lang, last))
	}
	d.Page.NoIndex = true
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return httpx.Render(c, status, views.Plan(d))
}
