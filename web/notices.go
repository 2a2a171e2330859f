package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
)

// handleVendorNotice serves POST /webhooks/billionconnect (and the old
// WordPress callback path): verify the signature on the raw body, store
// the raw notice, parse it strictly, apply it, acknowledge. Applying is a
// few milliseconds of SQLite work and idempotent, so it is done before the
// answer: a failure answers 500 and the vendor retries the notice.
func (a *App) handleVendorNotice(c *fiber.Ctx) error {
	body := append([]byte(nil), c.BodyRaw()...)
	ctx := c.UserContext()
	n := store.VendorNotice{Headers: a.noticeHeaders(c), Body: body, Verdict: store.VerdictReceived, ReceivedAt: time.Now()}
	if !bc.Verify(a.cfg.VendorSecret, body, c.Get("x-sign-value")) {
		n.Verdict, n.Error = store.VerdictRejected, "bad or missing signature"
		n.Body = truncateBytes(body, rejectedKeep) // unauthenticated: keep evidence, not a disk-filler
		a.recordNotice(ctx, n)
		a.log.WarnContext(ctx, "vendor notice rejected: bad signature")
		return c.Status(fiber.StatusUnauthorized).JSON(fiber.Map{"tradeCode": "1001", "tradeMsg": "invalid signature"})
	}
	notice, err := bc.ParseNotice(body)
	if err != nil {
		n.Verdict, n.Error = store.VerdictMalformed, err.Error()
		a.recordNotice(ctx, n)
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"tradeCode": "1003", "tradeMsg": "malformed notice"})
	}
	n.TradeType, n.DedupeKey = notice.TradeType, dedupeKey(notice.TradeType, body)
	id, ok := a.recordNotice(ctx, n)
	if !ok {
		return fiber.ErrInternalServerError // not stored: let the vendor retry
	}
	verdict, orderID, err := a.applyNotice(ctx, notice)
	if code := store.ErrorCode(err); code == store.EINVALID {
		// Verified and well-formed JSON, but content the shop cannot use
		// (e.g. an event without an ICCID): keep it, do not ask for a retry
		// that would fail the same way.
		_ = a.db.SetVendorNoticeVerdict(ctx, id, store.VerdictMalformed, err.Error(), orderID)
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"tradeCode": "1003", "tradeMsg": "unusable notice"})
	}
	if err != nil {
		a.log.ErrorContext(ctx, "applying vendor notice", "notice", id, "type", notice.TradeType, "err", err)
		_ = a.db.SetVendorNoticeVerdict(ctx, id, store.VerdictReceived, err.Error(), orderID)
		return fiber.ErrInternalServerError
	}
	if err := a.db.SetVendorNoticeVerdict(ctx, id, verdict, "", orderID); err != nil {
		a.log.ErrorContext(ctx, "recording notice verdict", "notice", id, "err", err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(bc.AckBody)
}

// recordNotice stores a raw notice; it reports whether that worked.
func (a *App) recordNotice(ctx context.Context, n store.VendorNotice) (int64, bool) {
	id, _, err := a.db.RecordVendorNotice(ctx, n)
	if err != nil {
		a.log.ErrorContext(ctx, "storing vendor notice", "type", n.TradeType, "err", err)
		return 0, false
	}
	return id, true
}

// noticeHeaders keeps the request headers that matter for the operator.
// The signature is not a secret (it is derived from the body), but the
// app secret never appears anywhere.
func (a *App) noticeHeaders(c *fiber.Ctx) string {
	h := map[string]string{}
	for _, k := range []string{"x-channel-id", "x-sign-method", "x-sign-value", "content-type", "user-agent"} {
		if v := c.Get(k); v != "" {
			h[k] = v
		}
	}
	h["remote-ip"] = a.clientIP(c)
	b, _ := json.Marshal(h)
	return string(b)
}

// dedupeKey identifies a notice's content: a redelivery has the same key.
func dedupeKey(tradeType string, body []byte) string {
	sum := sha256.Sum256(body)
	return tradeType + ":" + hex.EncodeToString(sum[:12])
}

// applyNotice acts on a verified notice and returns its verdict and the
// order it concerns (0 if none). An error means "try again later".
func (a *App) applyNotice(ctx context.Context, n *bc.Notice) (string, int64, error) {
	switch n.TradeType {
	case bc.NoticeDelivery:
		return a.applyDelivery(ctx, n)
	case bc.NoticeEmailSent:
		d, err := n.EmailSent()
		if err != nil {
			return store.VerdictMalformed, 0, nil
		}
		return a.noteOnOrder(ctx, string(d.ChannelOrderID), "vendor emailed the eSIM to the buyer (N010)")
	case bc.NoticeProfileStatus:
		change, err := n.ProfileStatusChange()
		if err != nil {
			return store.VerdictMalformed, 0, nil
		}
		for _, l := range change.SubOrderList {
			if _, err := a.db.SetProfileStatus(ctx, string(l.ICCID), int(l.ProfileStatus), time.Now()); err != nil && store.ErrorCode(err) != store.ENOTFOUND {
				return "", 0, err
			}
		}
		return store.VerdictAccepted, 0, nil
	case bc.NoticeTopUpResult:
		d, err := n.TopUpResult()
		if err != nil {
			return store.VerdictMalformed, 0, nil
		}
		return a.noteOnOrder(ctx, string(d.ChannelOrderID), fmt.Sprintf("vendor top-up result (N013): status %d", int(d.Status)))
	case bc.NoticePlanStarted, bc.NoticePlanEnded:
		events, err := n.PlanEvents()
		if err != nil {
			return store.VerdictMalformed, 0, nil
		}
		for _, e := range events {
			start, _ := parseVendorTime(string(e.StartTime))
			end, _ := parseVendorTime(string(e.EndTime))
			if _, err := a.db.SetPlanTimes(ctx, string(e.ICCID), start, end); err != nil && store.ErrorCode(err) != store.ENOTFOUND {
				return "", 0, err
			}
		}
		return store.VerdictAccepted, 0, nil
	case bc.NoticeSKUChanged:
		return a.applyCatalogChange(ctx, n)
	}
	return store.VerdictIgnored, 0, nil
}

// noteOnOrder records a notice on the order it names.
func (a *App) noteOnOrder(ctx context.Context, channelOrderID, note string) (string, int64, error) {
	o, err := a.db.OrderByNumber(ctx, channelOrderID)
	if store.ErrorCode(err) == store.ENOTFOUND {
		return store.VerdictUnmatched, 0, nil
	} else if err != nil {
		return "", 0, err
	}
	return store.VerdictAccepted, o.ID, a.db.AddOrderNote(ctx, o.ID, note)
}

// applyDelivery stores the eSIMs of an N009. It matches the order by the
// shop's own number (channelOrderId), so it works even when the notice
// beats the F040 reply; the store ignores eSIMs it already has.
func (a *App) applyDelivery(ctx context.Context, n *bc.Notice) (string, int64, error) {
	d, err := n.Delivery()
	if err != nil || len(d.SubOrderList) == 0 {
		return store.VerdictMalformed, 0, nil
	}
	esims := make([]store.ESIM, 0, len(d.SubOrderList))
	var unusable []string // ICCIDs whose activation string cannot be used
	for _, e := range d.SubOrderList {
		lpa, err := bc.ParseLPA(string(e.QRCodeContent))
		if err != nil {
			// This eSIM cannot be given to the buyer; the others in the
			// notice still can. The raw notice is kept for the operator.
			a.log.ErrorContext(ctx, "N009 with an unusable LPA string", "order", string(d.ChannelOrderID), "iccid", string(e.ICCID), "err", err)
			unusable = append(unusable, strings.TrimSpace(string(e.ICCID)))
			continue
		}
		installBy, _ := parseVendorTime(string(e.ValidTime))
		esims = append(esims, store.ESIM{
			LineNumber: string(e.ChannelSubOrderID), VendorSubOrderID: string(e.SubOrderID), UID: string(e.UID),
			ICCID: strings.TrimSpace(string(e.ICCID)), LPA: lpa.Raw, SMDP: lpa.SMDP, ActivationCode: lpa.ActivationCode,
			APN: string(e.APN), PIN: string(e.PIN), PUK: string(e.PUK), MSISDN: string(e.MSISDN),
			InstallBy: installBy, Rechargeable: e.RechargeableESIM == 1, ProfileStatus: -1,
		})
	}
	if len(unusable) > 0 {
		if o, err := a.db.OrderByNumber(ctx, string(d.ChannelOrderID)); err == nil {
			if _, err := a.db.MarkNeedsAttention(ctx, o.ID, "N009 carried an unusable activation string for ICCID "+strings.Join(unusable, ", ")+"; ask the vendor to re-send it (F041)", "", ""); err != nil {
				return "", 0, err
			}
		}
		if len(esims) == 0 {
			return store.VerdictMalformed, 0, nil
		}
	}
	added, delivered, err := a.db.StoreDelivery(ctx, string(d.ChannelOrderID), string(d.OrderID), esims)
	switch store.ErrorCode(err) {
	case "":
	case store.ENOTFOUND, store.EINVALID:
		a.log.WarnContext(ctx, "N009 for no order of ours", "channel_order", string(d.ChannelOrderID), "err", err)
		return store.VerdictUnmatched, 0, nil
	default:
		return "", 0, err
	}
	o, err := a.db.OrderByNumber(ctx, string(d.ChannelOrderID))
	if err != nil {
		return "", 0, err
	}
	if delivered {
		a.log.InfoContext(ctx, "order delivered", "order", o.Number, "esims", added)
		a.wake() // the delivery email job
	}
	return store.VerdictAccepted, o.ID, nil
}

// applyCatalogChange updates the SKUs an N006 names and rebuilds the
// in-memory catalog.
func (a *App) applyCatalogChange(ctx context.Context, n *bc.Notice) (string, int64, error) {
	skus, err := n.SKUs()
	if err != nil {
		return store.VerdictMalformed, 0, nil
	}
	var products []store.Product
	for _, s := range skus {
		if !s.Orderable() {
			continue
		}
		if p, ok := convertSKU(strings.TrimSpace(string(s.SKUID)), s, nil); ok {
			// N006 documents hotspotSupport with the opposite meaning of
			// F002's; store it in F002's terms.
			p.HotspotRaw = map[string]string{"0": "1", "1": "0"}[p.HotspotRaw]
			products = append(products, p)
		}
	}
	if len(products) == 0 {
		return store.VerdictIgnored, 0, nil
	}
	updated, err := a.db.UpdateProducts(ctx, products)
	if err != nil {
		if store.ErrorCode(err) == store.EINVALID {
			return store.VerdictMalformed, 0, nil
		}
		return "", 0, err
	}
	if updated > 0 {
		if err := a.reloadCatalog(ctx); err != nil {
			return "", 0, err
		}
	}
	return store.VerdictAccepted, 0, nil
}

// parseVendorTime reads the vendor's "YYYY-MM-DD HH:MM:SS" (UTC+8).
func parseVendorTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty time")
	}
	return time.ParseInLocation(bc.TimeLayout, s, bc.VendorLocation)
}

// rejectedKeep is how much of an unverified webhook body is stored: enough
// to see what it was, not enough for anonymous requests to fill the disk.
const rejectedKeep = 1024

// truncateBytes returns at most n bytes of b.
func truncateBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
