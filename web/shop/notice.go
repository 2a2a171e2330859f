package shop

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
)

// Notice is one delivery to the vendor's callback URL, as received.
type Notice struct {
	Body       []byte // the raw body, as signed
	Signature  string // the x-sign-value header
	ChannelID  string // the x-channel-id header: the shop's app key
	SignMethod string // the x-sign-method header: "md5"
	Headers    string // JSON of the request headers kept for the operator
	ClientIP   string // the sender's address, for the abuse limit
}

// Vendor notice answers (the vendor's own envelope).
var (
	replyBadSignature = Reply{Status: http.StatusUnauthorized, JSON: true, Body: []byte(`{"tradeCode":"1001","tradeMsg":"invalid signature"}`)}
	replyMalformed    = Reply{Status: http.StatusBadRequest, JSON: true, Body: []byte(`{"tradeCode":"1003","tradeMsg":"malformed notice"}`)}
	replyUnusable     = Reply{Status: http.StatusBadRequest, JSON: true, Body: []byte(`{"tradeCode":"1003","tradeMsg":"unusable notice"}`)}
	replyAck          = Reply{Status: http.StatusOK, JSON: true, Body: bc.AckBody}
)

// VendorNotice ingests one vendor notice: verify the signature on the raw
// body, store the raw notice, parse it strictly, apply it, record the
// verdict and acknowledge. Applying is a few milliseconds of SQLite work
// and idempotent, so it is done before the answer: a failure answers 500
// and the vendor retries the notice.
func (s *Shop) VendorNotice(ctx context.Context, in Notice) Reply {
	n := store.VendorNotice{Headers: in.Headers, Body: in.Body, Verdict: store.VerdictReceived, ReceivedAt: s.Now()}
	signer, why := authenticate(s.Deps, in)
	if why != "" {
		blocked, keep, dropped := s.vendorRejects.fail(in.ClientIP, s.Now())
		if dropped > 0 {
			s.Log.WarnContext(ctx, "unverified vendor notices not stored in the last minute", "count", dropped)
		}
		if blocked {
			return replyTooMany
		}
		if keep {
			n.Verdict, n.Error = store.VerdictRejected, why
			n.Body = truncateBytes(in.Body, rejectedKeep) // unauthenticated: keep evidence, not a disk-filler
			s.recordNotice(ctx, n)
		}
		s.Log.WarnContext(ctx, "vendor notice rejected", "reason", why)
		return replyBadSignature
	}
	n.SignedWith = signer
	if signer == store.SignedPrevious {
		s.Log.WarnContext(ctx, "vendor notice signed with BC_APP_SECRET_PREVIOUS; remove it once the vendor uses the new secret")
	}
	notice, err := bc.ParseNotice(in.Body)
	if err != nil {
		n.Verdict, n.Error = store.VerdictMalformed, err.Error()
		s.recordNotice(ctx, n)
		return replyMalformed
	}
	n.TradeType, n.DedupeKey = notice.TradeType, dedupeKey(notice.TradeType, in.Body)
	id, ok := s.recordNotice(ctx, n)
	if !ok {
		return retryLater // not stored: let the vendor retry
	}
	verdict, orderID, err := s.applyNotice(ctx, notice)
	var bad *unusableNotice
	if errors.As(err, &bad) {
		orderID = s.flagUnusable(ctx, bad)
		s.Log.WarnContext(ctx, "verified vendor notice could not be used", "notice", id, "type", notice.TradeType, "reason", bad.reason)
		_ = s.DB.SetVendorNoticeVerdict(ctx, id, store.VerdictMalformed, bad.reason, orderID)
		return replyUnusable
	}
	if code := store.ErrorCode(err); code == store.EINVALID {
		// Verified and well-formed JSON, but content the shop cannot use
		// (e.g. an event without an ICCID): keep it, do not ask for a retry
		// that would fail the same way.
		_ = s.DB.SetVendorNoticeVerdict(ctx, id, store.VerdictMalformed, err.Error(), orderID)
		return replyUnusable
	}
	if err != nil {
		s.Log.ErrorContext(ctx, "applying vendor notice", "notice", id, "type", notice.TradeType, "err", err)
		_ = s.DB.SetVendorNoticeVerdict(ctx, id, store.VerdictReceived, err.Error(), orderID)
		return retryLater
	}
	if err := s.DB.SetVendorNoticeVerdict(ctx, id, verdict, "", orderID); err != nil {
		s.Log.ErrorContext(ctx, "recording notice verdict", "notice", id, "err", err)
	}
	return replyAck
}

// authenticate checks a notice's headers, then its signature: x-channel-id
// must be the shop's app key and x-sign-method "md5" when the vendor sends
// them (the protocol reference does not say that notices carry them, so
// their absence alone is not a reason to refuse a correctly signed
// notice); the signature must be md5 of the current secret or, during a
// rotation, the previous one. It returns which secret signed, or why the
// notice is refused.
func authenticate(s Deps, in Notice) (signer, why string) {
	if in.ChannelID != "" && s.VendorAppKey != "" &&
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(in.ChannelID)), []byte(s.VendorAppKey)) != 1 {
		return "", "x-channel-id does not match BC_APP_KEY"
	}
	if in.SignMethod != "" && !strings.EqualFold(strings.TrimSpace(in.SignMethod), bc.SignMethodMD5) {
		return "", "x-sign-method is not md5"
	}
	switch bc.VerifyAny(in.Body, in.Signature, s.VendorSecret, s.VendorSecretPrevious) {
	case 0:
		return store.SignedCurrent, ""
	case 1:
		return store.SignedPrevious, ""
	}
	return "", "bad or missing signature"
}

// recordNotice stores a raw notice; it reports whether that worked.
func (s *Shop) recordNotice(ctx context.Context, n store.VendorNotice) (int64, bool) {
	id, _, err := s.DB.RecordVendorNotice(ctx, n)
	if err != nil {
		s.Log.ErrorContext(ctx, "storing vendor notice", "type", n.TradeType, "err", err)
		return 0, false
	}
	return id, true
}

// dedupeKey identifies a notice's content: a redelivery has the same key.
func dedupeKey(tradeType string, body []byte) string {
	sum := sha256.Sum256(body)
	return tradeType + ":" + hex.EncodeToString(sum[:12])
}

// applyNotice acts on a verified notice and returns its verdict and the
// order it concerns (0 if none). An error means "try again later".
func (s *Shop) applyNotice(ctx context.Context, n *bc.Notice) (string, int64, error) {
	switch n.TradeType {
	case bc.NoticeDelivery:
		return s.applyDelivery(ctx, n)
	case bc.NoticeEmailSent:
		d, err := n.EmailSent()
		if err != nil {
			return store.VerdictMalformed, 0, nil
		}
		return s.noteOnOrder(ctx, string(d.ChannelOrderID), "vendor emailed the eSIM to the buyer (N010)")
	case bc.NoticeProfileStatus:
		return s.applyProfileStatus(ctx, n)
	case bc.NoticeTopUpResult:
		d, err := n.TopUpResult()
		if err != nil {
			return store.VerdictMalformed, 0, nil
		}
		return applyTopUpResult(ctx, s.DB, d)
	case bc.NoticePlanStarted, bc.NoticePlanEnded:
		events, err := n.PlanEvents()
		if err != nil {
			return store.VerdictMalformed, 0, nil
		}
		for _, e := range events {
			start, _ := parseVendorTime(string(e.StartTime))
			end, _ := parseVendorTime(string(e.EndTime))
			if _, err := s.DB.SetPlanTimes(ctx, string(e.ICCID), start, end); err != nil && store.ErrorCode(err) != store.ENOTFOUND {
				return "", 0, err
			}
		}
		return store.VerdictAccepted, 0, nil
	case bc.NoticeSKUChanged:
		return s.applyCatalogChange(ctx, n)
	}
	return store.VerdictIgnored, 0, nil
}

// applyProfileStatus applies an N012 to the eSIMs it names, by the
// vendor's time (tradeTime; the arrival time when that is unreadable), so
// a late "downloaded" never overwrites "enabled". Each eSIM must belong to
// the order the notice names; one the shop does not have yet (the N012 beat
// its N009) is kept until it arrives.
func (s *Shop) applyProfileStatus(ctx context.Context, n *bc.Notice) (string, int64, error) {
	change, err := n.ProfileStatusChange()
	if err != nil {
		return store.VerdictMalformed, 0, nil
	}
	at := noticeTime(n.TradeTime, s.Now())
	verdict := store.VerdictUnmatched
	for _, l := range change.SubOrderList {
		outcome, err := s.DB.ApplyProfileStatus(ctx, string(change.ChannelOrderID), string(l.ICCID), int(l.ProfileStatus), at)
		switch store.ErrorCode(err) {
		case "":
			verdict = store.VerdictAccepted
			s.Log.DebugContext(ctx, "profile status", "order", string(change.ChannelOrderID), "outcome", outcome)
		case store.ECONFLICT, store.EINVALID:
			s.Log.WarnContext(ctx, "N012 not applied", "order", string(change.ChannelOrderID), "err", err)
		default:
			return "", 0, err
		}
	}
	return verdict, 0, nil
}

// noticeTime reads a notice's tradeTime: the vendor's "YYYY-MM-DD
// HH:MM:SS" (UTC+8) or, as its own example has it, epoch milliseconds.
// Anything else is def: a notice is never refused for its time.
func noticeTime(s string, def time.Time) time.Time {
	if t, err := parseVendorTime(s); err == nil {
		return t
	}
	if ms, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil && ms > 1e12 && ms < 1e14 {
		return time.UnixMilli(ms)
	}
	return def
}

// noteOnOrder records a notice on the order it names.
func (s *Shop) noteOnOrder(ctx context.Context, channelOrderID, note string) (string, int64, error) {
	o, err := s.DB.OrderByNumber(ctx, channelOrderID)
	if store.ErrorCode(err) == store.ENOTFOUND {
		return store.VerdictUnmatched, 0, nil
	} else if err != nil {
		return "", 0, err
	}
	return store.VerdictAccepted, o.ID, s.DB.AddOrderNote(ctx, o.ID, note)
}

// parseVendorTime reads the vendor's "YYYY-MM-DD HH:MM:SS" (UTC+8).
func parseVendorTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty time")
	}
	return time.ParseInLocation(bc.TimeLayout, s, bc.VendorLocation)
}
