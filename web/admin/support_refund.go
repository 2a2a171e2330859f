package admin

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/shop"
)

// support is the support desk's part of the admin (refunds that cancel
// at the vendor, notes, a correctable email), a handler type of its own so
// Admin stays small.
type support struct {
	*Admin
	refunds *shop.RefundDesk
}

// mountSupport registers the support desk's routes on the signed-in group
// (session, CSRF and action ids are that group's middleware).
func mountSupport(a *Admin, in fiber.Router) {
	s := &support{Admin: a, refunds: shop.NewRefundDesk(a.Shop)}
	in.Get("/orders/:number/refunds", s.handleRefundPage)
	in.Post("/orders/:number/refunds", s.handleRefund)
	in.Post("/orders/:number/notes", s.handleNote)
	in.Post("/orders/:number/email", s.handleEmail)
	in.Post("/orders/:number/esims", s.handleEnterESIM)
}

// refundsURL is an order's refund page.
func refundsURL(number string) string { return orderURL(number) + "/refunds" }

// handleRefundPage serves GET /admin/orders/{number}/refunds: the eSIMs'
// install status asked from the vendor now, the refund policy, the form
// and the refunds so far.
func (s *support) handleRefundPage(c *fiber.Ctx) error {
	o, err := s.adminOrder(c)
	if err != nil {
		return err
	}
	d, err := s.refundData(c, o, nil)
	if err != nil {
		return err
	}
	return httpx.Render(c, fiber.StatusOK, views.AdminRefund(d))
}

// handleRefund serves POST /admin/orders/{number}/refunds: parse the form,
// audit it under its action id (a second submission does nothing), ask
// the desk; a refusal shows the page again with the reason.
func (s *support) handleRefund(c *fiber.Ctx) error {
	o, err := s.adminOrder(c)
	if err != nil {
		return err
	}
	ask := shop.RefundAsk{
		Admin: signedIn(c).Email, Order: o, Reason: utils.CopyString(httpx.BodyValue(c, "reason")),
		RefundInstalled: httpx.BodyValue(c, "refund_anyway") == "1",
	}
	for _, v := range c.Request().PostArgs().PeekMulti("iccid") {
		ask.ICCIDs = append(ask.ICCIDs, string(v))
	}
	amountText := strings.TrimSpace(httpx.BodyValue(c, "amount"))
	refuse := func(err error) error {
		d, derr := s.refundData(c, o, &ask)
		if derr != nil {
			return derr
		}
		d.Error, d.Amount, d.Reason = err.Error(), utils.CopyString(amountText), ask.Reason
		var inst *shop.InstalledError
		if errors.As(err, &inst) {
			d.Installed = inst.ICCIDs
		}
		return httpx.Render(c, fiber.StatusUnprocessableEntity, views.AdminRefund(d))
	}
	if amountText != "" {
		if ask.Amount, err = billing.ParseMajor(amountText, o.Currency); err != nil {
			return refuse(store.Errorf(store.EINVALID, "amount %q: %v", amountText, err))
		}
	}
	dup, err := s.audit(c, "refund", o.ID, "", "refund of order "+o.Number+": "+ask.Reason)
	if err != nil {
		return err
	}
	if dup {
		return done(c, refundsURL(o.Number), "dup")
	}
	r, err := s.refunds.Request(c.UserContext(), ask)
	var inst *shop.InstalledError
	switch code := store.ErrorCode(err); {
	case err == nil:
	case errors.As(err, &inst), code == store.EINVALID, code == store.ECONFLICT:
		return refuse(err)
	default:
		return err
	}
	s.Log.InfoContext(c.UserContext(), "refund queued", "order", o.Number, "refund", r.ID, "admin_id", signedIn(c).AdminID)
	return done(c, refundsURL(o.Number), "refund-queued")
}

// refundData builds the refund page; ask (a refused submission) keeps the
// operator's choice of eSIMs.
func (s *support) refundData(c *fiber.Ctx, o store.Order, ask *shop.RefundAsk) (views.AdminRefundData, error) {
	ctx := c.UserContext()
	p, err := s.adminPage(c, "Refund "+o.Number, "orders")
	if err != nil {
		return views.AdminRefundData{}, err
	}
	rs, err := s.DB.Refunds(ctx, o.ID)
	if err != nil {
		return views.AdminRefundData{}, err
	}
	left, err := s.DB.RefundLeft(ctx, o)
	if err != nil {
		return views.AdminRefundData{}, err
	}
	states, err := s.refunds.InstallStates(ctx, o)
	if err != nil {
		return views.AdminRefundData{}, err
	}
	d := views.AdminRefundData{
		AdminPage: p, Number: o.Number, OrderURL: orderURL(o.Number), FormURL: refundsURL(o.Number),
		Total: adminMoney(o.Total, o.Currency), Left: adminMoney(left, o.Currency), Currency: strings.ToUpper(o.Currency),
		CanRefund: left > 0 && shop.Refundable(o),
	}
	for _, l := range o.Lines {
		if prod, err := s.DB.Product(ctx, l.SKUID); err == nil && prod.RefundPolicy != "" && !slices.Contains(d.Policies, prod.RefundPolicy) {
			d.Policies = append(d.Policies, prod.RefundPolicy)
		}
	}
	taken := map[string]bool{}
	for _, r := range rs {
		if r.PaymentState != store.RefundFailed {
			for _, id := range append(slices.Clone(r.ICCIDs), r.Installed...) {
				taken[id] = true
			}
		}
		d.Refunds = append(d.Refunds, refundRow(r, o.Currency))
	}
	for i, e := range o.ESIMs {
		st := states[i]
		row := views.RefundESIMRow{
			ICCID: e.ICCID, Status: shop.ProfileStatusName(st.Status), CheckError: st.Error,
			Installed: st.Installed(), Refunded: taken[e.ICCID],
		}
		for _, l := range o.Lines {
			if l.ID == e.LineID {
				row.Plan, row.Price = l.Title, adminMoney(l.UnitAmount, o.Currency)
			}
		}
		row.Checked = ask != nil && slices.Contains(ask.ICCIDs, e.ICCID)
		d.ESIMs = append(d.ESIMs, row)
	}
	return d, nil
}

// refundRow formats one refund for the page.
func refundRow(r store.Refund, currency string) views.RefundRow {
	return views.RefundRow{
		ID: strconv.FormatInt(r.ID, 10), Amount: adminMoney(r.Amount, currency), Reason: r.Reason, Admin: r.Admin,
		Created: adminTime(r.CreatedAt), ESIMs: strings.Join(r.ICCIDs, " "), Installed: strings.Join(r.Installed, " "),
		VendorCall: r.VendorCall, VendorState: r.VendorState, VendorAnswer: r.VendorAnswer,
		BalanceBefore: r.BalanceBefore, BalanceAfter: r.BalanceAfter,
		PaymentState: r.PaymentState, PaymentRef: r.PaymentRef, PaymentError: r.PaymentError,
	}
}
