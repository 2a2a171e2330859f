package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/account"
	"github.com/esimshop/esimshop/web/httpx"
	"github.com/esimshop/esimshop/web/shop"
)

// buyerSend performs a request with the test CSRF cookie plus extra cookies
// ("name=value"), a form body for POST, and a client address.
func (s *testShop) buyerSend(t testing.TB, method, target string, form url.Values, ip string, cookies ...string) *http.Response {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if ip != "" {
		req.Header.Set("X-Forwarded-For", ip) // see behindProxy
	}
	req.Header.Set("Cookie", strings.Join(append([]string{httpx.CSRFCookie + "=" + csrfTestToken}, cookies...), "; "))
	resp, err := s.app.Handler().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// linkMails waits for background link emails and returns those of kind.
func (s *testShop) linkMails(t testing.TB, kind string) []store.Mail {
	t.Helper()
	s.app.signIn.Wait()
	mails, err := s.db.Mails(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.Mail
	for _, m := range mails {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

var csrfValue = regexp.MustCompile(`name="_csrf" value="[^"]*"`)

var signInLinkPattern = regexp.MustCompile(`https://shop\.example(/my-esims/link/[A-Za-z0-9_-]{43})`)

// TestMyESIMsSignIn walks the whole sign-in: the request page answers the
// same for an address with orders and one without, only the first gets a
// link, the link opens a session listing the orders, and it works once.
func TestMyESIMsSignIn(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "1", "0", "", "usd"))
	first := s.buyPending(t, 1)
	second := s.buyAndPay(t, 1)

	body := func(email string) (int, string) {
		resp := s.buyerSend(t, http.MethodPost, "/my-esims", url.Values{"_csrf": {csrfTestToken}, "email": {email}}, "")
		b, _ := io.ReadAll(resp.Body)
		// Each response masks the CSRF token afresh (see httpx.CSRFToken).
		page := csrfValue.ReplaceAllString(string(b), `name="_csrf" value="TOKEN"`)
		return resp.StatusCode, strings.ReplaceAll(page, email, "EMAIL")
	}
	knownStatus, known := body("Traveller@example.com")
	unknownStatus, unknown := body("nobody@example.com")
	if knownStatus != http.StatusOK || unknownStatus != knownStatus || known != unknown {
		t.Fatalf("the answers differ for a known (%d) and an unknown (%d) address", knownStatus, unknownStatus)
	}
	if !strings.Contains(known, "data-link-sent") {
		t.Fatal("the answer does not say a link is on its way")
	}

	mails := s.linkMails(t, shop.MailSignInLink)
	if len(mails) != 1 || mails[0].To != "traveller@example.com" {
		t.Fatalf("sign-in mails %+v, want one to the address with orders", mails)
	}
	m := signInLinkPattern.FindStringSubmatch(mails[0].Text)
	if m == nil {
		t.Fatalf("no sign-in link in the mail:\n%s", mails[0].Text)
	}
	link := m[1]

	// Opening the link only shows a button: a mail scanner's GET uses nothing.
	for range 2 {
		if resp := s.buyerSend(t, http.MethodGet, link, nil, ""); resp.StatusCode != http.StatusOK {
			t.Fatalf("GET link: %d", resp.StatusCode)
		}
	}
	resp := s.buyerSend(t, http.MethodPost, link, url.Values{"_csrf": {csrfTestToken}}, "")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/my-esims" {
		t.Fatalf("redeem: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == account.SessionCookie {
			session = c
		}
	}
	if session == nil || !session.HttpOnly || !session.Secure || session.Expires.Before(time.Now().Add(3*time.Hour)) {
		t.Fatalf("session cookie %+v: want HttpOnly, Secure, a few hours", session)
	}

	d := doc(t, s.buyerSend(t, http.MethodGet, "/my-esims", nil, "", session.Name+"="+session.Value))
	rows := d.Find("[data-account-order]")
	if rows.Length() != 2 {
		t.Fatalf("%d orders listed, want 2", rows.Length())
	}
	if n, _ := rows.Eq(0).Attr("data-account-order"); n != second.Number {
		t.Fatalf("first row %s, want the newest order %s", n, second.Number)
	}
	if href, _ := rows.Eq(1).Find("a").Attr("href"); href != "/orders/"+first.Token {
		t.Fatalf("second row links to %q", href)
	}

	// Single use: the same link again is refused and signs nobody in.
	resp = s.buyerSend(t, http.MethodPost, link, url.Values{"_csrf": {csrfTestToken}}, "")
	if resp.StatusCode != http.StatusGone || len(resp.Cookies()) != 0 && resp.Cookies()[0].Name == account.SessionCookie {
		t.Fatalf("second use: %d %v", resp.StatusCode, resp.Cookies())
	}
	// Without the session the page is the sign-in form again; after
	// signing out, the old cookie no longer works.
	if doc(t, s.buyerSend(t, http.MethodGet, "/my-esims", nil, "")).Find("[data-signin-form]").Length() != 1 {
		t.Fatal("no sign-in form without a session")
	}
	s.buyerSend(t, http.MethodPost, "/my-esims/signout", url.Values{"_csrf": {csrfTestToken}}, "", session.Name+"="+session.Value)
	if doc(t, s.buyerSend(t, http.MethodGet, "/my-esims", nil, "", session.Name+"="+session.Value)).Find("[data-account-order]").Length() != 0 {
		t.Fatal("the session still works after signing out")
	}
}

// behindProxy makes the test shop take the client IP from
// X-Forwarded-For (app.Test connects from one fixed address).
func behindProxy(c *Config) {
	c.ProxyHeader, c.TrustedProxies = "X-Forwarded-For", []string{"0.0.0.0/0", "::/0"}
}

// TestMyESIMsRefusals: bad input and limits answer clearly and send nothing.
func TestMyESIMsRefusals(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "1", "0", "", "usd"), behindProxy)
	s.buyPending(t, 1)
	tests := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"no CSRF token", url.Values{"email": {"traveller@example.com"}}, http.StatusForbidden},
		{"malformed email", url.Values{"_csrf": {csrfTestToken}, "email": {"not an email"}}, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if resp := s.buyerSend(t, http.MethodPost, "/my-esims", tt.form, ""); resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
	if n := len(s.linkMails(t, shop.MailSignInLink)); n != 0 {
		t.Fatalf("%d mails after refused requests", n)
	}
	// Per address: the 4th request within 15 minutes is refused, from any IP.
	form := url.Values{"_csrf": {csrfTestToken}, "email": {"traveller@example.com"}}
	for i, ip := range []string{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"} {
		want := http.StatusOK
		if i == 3 {
			want = http.StatusTooManyRequests
		}
		if resp := s.buyerSend(t, http.MethodPost, "/my-esims", form, ip); resp.StatusCode != want {
			t.Fatalf("request %d: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	// Per IP: 10 addresses from one client, then refused.
	for i := range 11 {
		want := http.StatusOK
		if i == 10 {
			want = http.StatusTooManyRequests
		}
		f := url.Values{"_csrf": {csrfTestToken}, "email": {"someone" + string(rune('a'+i)) + "@example.com"}}
		if resp := s.buyerSend(t, http.MethodPost, "/my-esims", f, "10.9.9.9"); resp.StatusCode != want {
			t.Fatalf("address %d from one IP: %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	if n := len(s.linkMails(t, shop.MailSignInLink)); n != 3 {
		t.Fatalf("%d sign-in mails, want 3 (the allowed requests for the address with orders)", n)
	}
	// A made-up link is refused.
	resp := s.buyerSend(t, http.MethodPost, "/my-esims/link/"+strings.Repeat("A", 43), url.Values{"_csrf": {csrfTestToken}}, "")
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("unknown link: %d", resp.StatusCode)
	}
}

// TestEmailOrderLinkAgain: the order page's "email me this link again"
// mails the order's own address and says so; repeats are limited.
func TestEmailOrderLinkAgain(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "1", "0", "", "usd"))
	o := s.buyPending(t, 1)
	page := doc(t, s.buyerSend(t, http.MethodGet, "/orders/"+o.Token, nil, ""))
	action, _ := page.Find("[data-resend-link] form").Attr("action")
	if action != "/orders/"+o.Token+"/email-link" {
		t.Fatalf("resend form action %q", action)
	}
	if resp := s.buyerSend(t, http.MethodPost, action, url.Values{}, ""); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("without CSRF: %d", resp.StatusCode)
	}
	var last string
	for range 4 {
		resp := s.buyerSend(t, http.MethodPost, action, url.Values{"_csrf": {csrfTestToken}, "email": {"attacker@example.com"}}, "")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", resp.StatusCode)
		}
		last = resp.Header.Get("Location")
	}
	if last != "/orders/"+o.Token+"?link=limited" {
		t.Fatalf("4th request went to %q, want the limited notice", last)
	}
	mails := s.linkMails(t, shop.MailOrderLink)
	if len(mails) != 3 {
		t.Fatalf("%d order-link mails, want 3", len(mails))
	}
	for _, m := range mails {
		if m.To != o.Email || m.OrderID != o.ID || !strings.Contains(m.Text, "https://shop.example/orders/"+o.Token) {
			t.Fatalf("mail to %s (order %d) without the order link:\n%s", m.To, m.OrderID, m.Text)
		}
	}
	state := doc(t, s.buyerSend(t, http.MethodGet, "/orders/"+o.Token+"?link=sent", nil, "")).Find("[data-link-state]")
	if v, _ := state.Attr("data-link-state"); v != "sent" {
		t.Fatalf("order page link state %q", v)
	}
	if resp := s.buyerSend(t, http.MethodPost, "/orders/"+strings.Repeat("x", 30)+"/email-link", url.Values{"_csrf": {csrfTestToken}}, ""); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown order: %d", resp.StatusCode)
	}
}

// TestMyESIMsSpanish: the pages and the sign-in email speak the buyer's
// language.
func TestMyESIMsSpanish(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "1", "0", "", "usd"))
	s.buyPending(t, 1)
	if h := text(doc(t, s.buyerSend(t, http.MethodGet, "/my-esims?lang=es", nil, "")).Find("h1")); h != "Mis eSIM" {
		t.Fatalf("Spanish heading %q", h)
	}
	d := doc(t, s.buyerSend(t, http.MethodPost, "/my-esims?lang=es", url.Values{"_csrf": {csrfTestToken}, "email": {"traveller@example.com"}}, ""))
	if got := text(d.Find("[data-link-sent] h2")); got != "Revisa tu correo" {
		t.Fatalf("Spanish answer %q", got)
	}
	mails := s.linkMails(t, shop.MailSignInLink)
	if len(mails) != 1 || mails[0].Subject != "Tu enlace para entrar en Mis eSIM" || !strings.Contains(mails[0].Text, "15 minutos") {
		t.Fatalf("Spanish sign-in mail: %+v", mails)
	}
}
