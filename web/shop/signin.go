package shop

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/mail"
)

// Sign-in link and session lifetimes for "My eSIMs".
const (
	SignInLinkTTL = 15 * time.Minute
	SessionTTL    = 4 * time.Hour
)

// Mail kinds of the buyer's self-service emails.
const (
	MailSignInLink = "signin_link"
	MailOrderLink  = "order_link"
)

// DefaultSignInLimit bounds link requests: 3 per address and 10 per
// client IP in 15 minutes, enough for a typo or two, too few to spam.
var DefaultSignInLimit = store.SignInLimit{Window: 15 * time.Minute, PerEmail: 3, PerIP: 10}

// ErrRateLimited is returned when too many links were asked for recently.
var ErrRateLimited = errors.New("shop: too many sign-in requests")

// SignInDeps is what SignIn needs.
type SignInDeps struct {
	DB       *store.DB
	Mailer   mail.Sender // nil keeps mails in the mail log only
	MailFrom string
	BaseURL  string // public URL without trailing slash
	Demo     bool
	Log      *slog.Logger     // default slog.Default()
	Now      func() time.Time // default time.Now
	Limit    store.SignInLimit
}

// SignIn is "My eSIMs" without accounts or passwords: a buyer asks for a
// one-time link by email, the link opens a session of a few hours listing
// that address's orders. It also emails an order's own link again. Safe
// for concurrent use.
type SignIn struct {
	d  SignInDeps
	bg sync.WaitGroup // emails being sent
}

// NewSignIn builds the sign-in service; zero optional fields take defaults.
func NewSignIn(d SignInDeps) *SignIn {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Limit.Window <= 0 {
		d.Limit = DefaultSignInLimit
	}
	d.BaseURL = strings.TrimRight(d.BaseURL, "/")
	return &SignIn{d: d}
}

// newSecret returns 256 random bits, base64url without padding.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// RequestLink emails a one-time sign-in link to email when it has orders.
// The outcome is the same — nil — whether or not it has any, and the email
// goes out in the background, so neither the answer nor its timing tells
// who bought here. A malformed address is EINVALID; too many requests for
// the address or from ip are ErrRateLimited (counted whatever the address).
func (s *SignIn) RequestLink(ctx context.Context, email, ip, lang string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if !plausibleEmail(email) {
		return store.Errorf(store.EINVALID, "Please enter a valid email address.")
	}
	now := s.d.Now()
	allowed, err := s.d.DB.AllowSignInRequest(ctx, email, ip, now, s.d.Limit)
	if err != nil {
		return err
	}
	if !allowed {
		return ErrRateLimited
	}
	orders, err := s.d.DB.OrdersForEmail(ctx, email, 1)
	if err != nil {
		return err
	}
	// A token is made for every address, so known and unknown ones cost
	// the same; only one with orders is ever sent its link.
	token := newSecret()
	if err := s.d.DB.CreateSignInToken(ctx, token, email, now, now.Add(SignInLinkTTL)); err != nil {
		return err
	}
	if len(orders) == 0 {
		return nil
	}
	d := views.LinkEmailData{
		Lang: lang, URL: s.d.BaseURL + "/my-esims/link/" + token, Demo: s.d.Demo,
		Minutes: int(SignInLinkTTL / time.Minute),
	}
	s.send(0, MailSignInLink, email, views.SignInEmailSubject(lang), d)
	return nil
}

// EmailOrderLink emails an order's private link to the order's own address
// (never another), limited like RequestLink.
func (s *SignIn) EmailOrderLink(ctx context.Context, o store.Order, ip string) error {
	allowed, err := s.d.DB.AllowSignInRequest(ctx, o.Email, ip, s.d.Now(), s.d.Limit)
	if err != nil {
		return err
	}
	if !allowed {
		return ErrRateLimited
	}
	d := views.LinkEmailData{Lang: o.Lang, URL: orderURL(s.d.BaseURL, o), Number: o.Number, Demo: s.d.Demo}
	s.send(o.ID, MailOrderLink, o.Email, views.OrderLinkEmailSubject(o.Lang, o.Number), d)
	return nil
}

// send records and sends one email in the background; its outcome is in
// the mail log. The request that asked for it does not wait.
func (s *SignIn) send(orderID int64, kind, to, subject string, d views.LinkEmailData) {
	s.bg.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var html bytes.Buffer
		if err := views.LinkEmailHTML(d).Render(ctx, &html); err != nil {
			s.d.Log.Error("rendering a link email", "kind", kind, "err", err)
			return
		}
		msg := mail.Message{From: s.d.MailFrom, To: to, Subject: subject, Text: views.LinkEmailText(d), HTML: html.String()}
		status, errText := store.MailLogged, ""
		if s.d.Mailer != nil {
			status = store.MailSent
			if err := s.d.Mailer.Send(ctx, msg); err != nil {
				status, errText = store.MailFailed, err.Error()
			}
		}
		_, err := s.d.DB.RecordMail(ctx, store.Mail{
			OrderID: orderID, Kind: kind, To: to, Subject: subject, Text: msg.Text, HTML: msg.HTML, Status: status, Error: errText,
		})
		if err != nil {
			s.d.Log.Error("recording a link email", "kind", kind, "err", err)
		}
		if errText != "" {
			s.d.Log.Warn("a link email could not be sent", "kind", kind, "err", errText)
		}
	})
}

// Wait waits for the emails being sent (shutdown, tests).
func (s *SignIn) Wait() { s.bg.Wait() }

// Redeem uses up a sign-in link's token and opens a session: it returns
// the session's secret (for the cookie) and when it ends. A token that is
// unknown, used or expired is ENOTFOUND.
func (s *SignIn) Redeem(ctx context.Context, token string) (secret string, expires time.Time, err error) {
	now := s.d.Now()
	email, err := s.d.DB.RedeemSignInToken(ctx, token, now)
	if err != nil {
		return "", time.Time{}, err
	}
	secret, expires = newSecret(), now.Add(SessionTTL)
	return secret, expires, s.d.DB.CreateBuyerSession(ctx, secret, email, now, expires)
}

// Session returns the email a session secret belongs to; ENOTFOUND when it
// is unknown or expired.
func (s *SignIn) Session(ctx context.Context, secret string) (string, error) {
	if secret == "" {
		return "", store.Errorf(store.ENOTFOUND, "no session")
	}
	return s.d.DB.BuyerSession(ctx, secret, s.d.Now())
}

// SignOut ends a session.
func (s *SignIn) SignOut(ctx context.Context, secret string) error {
	return s.d.DB.EndBuyerSession(ctx, secret)
}

// Orders lists a signed-in buyer's orders, newest first.
func (s *SignIn) Orders(ctx context.Context, email string) ([]store.OrderSummary, error) {
	return s.d.DB.OrdersForEmail(ctx, email, 100)
}

// plausibleEmail is a cheap shape check before anything is stored: one @
// with text around it, no spaces, at most 254 bytes.
func plausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return len(s) <= store.MaxEmailLen && at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n<>")
}
