package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/esimshop/esimshop/web/admin"
	"github.com/esimshop/esimshop/web/httpx"
)

// TestAdminSignIn checks the sign-in form's outcomes: one generic message
// for every wrong combination, and a redirect only inside the admin.
func TestAdminSignIn(t *testing.T) {
	s := newAdminShop(t)
	tests := []struct {
		name     string
		form     url.Values
		cookie   bool
		status   int
		location string // for 303
		session  bool
	}{
		{"right password", signInForm(testAdminEmail, testAdminPassword, ""), true, http.StatusSeeOther, "/admin", true},
		{"email case and spaces ignored", signInForm("  OPS@Example.com ", testAdminPassword, ""), true, http.StatusSeeOther, "/admin", true},
		{"next kept", signInForm(testAdminEmail, testAdminPassword, "/admin/orders?q=E1"), true, http.StatusSeeOther, "/admin/orders?q=E1", true},
		{"next to another site refused", signInForm(testAdminEmail, testAdminPassword, "//evil.example/admin"), true, http.StatusSeeOther, "/admin", true},
		{"next outside the admin refused", signInForm(testAdminEmail, testAdminPassword, "https://evil.example/"), true, http.StatusSeeOther, "/admin", true},
		{"wrong password", signInForm(testAdminEmail, "wrong password!!", ""), true, http.StatusUnauthorized, "", false},
		{"unknown email", signInForm("nobody@example.com", testAdminPassword, ""), true, http.StatusUnauthorized, "", false},
		{"no csrf cookie", signInForm(testAdminEmail, testAdminPassword, ""), false, http.StatusForbidden, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cookies []string
			if tt.cookie {
				cookies = append(cookies, httpx.CSRFCookie+"="+csrfTestToken)
			}
			resp := s.send(t, http.MethodPost, "/admin/sign-in", tt.form, cookies...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.location != "" && resp.Header.Get("Location") != tt.location {
				t.Errorf("redirect to %q, want %q", resp.Header.Get("Location"), tt.location)
			}
			v, _ := sessionCookie(resp)
			if (v != "") != tt.session {
				t.Errorf("session cookie %q, want one: %v", v, tt.session)
			}
			if tt.status == http.StatusUnauthorized {
				if msg := text(doc(t, resp).Find("body")); !strings.Contains(msg, admin.MsgWrongLogin) {
					t.Errorf("page does not say %q: %s", admin.MsgWrongLogin, msg)
				}
			}
		})
	}
	// The cookie is scoped to the admin and unreadable by scripts.
	resp := s.send(t, http.MethodPost, "/admin/sign-in", signInForm(testAdminEmail, testAdminPassword, ""), httpx.CSRFCookie+"="+csrfTestToken)
	for _, c := range resp.Cookies() {
		if c.Name == admin.SessionCookie && (!c.HttpOnly || !c.Secure || c.Path != "/admin" || c.SameSite != http.SameSiteStrictMode) {
			t.Errorf("session cookie %+v: want HttpOnly, Secure, Path=/admin, SameSite=Strict", c)
		}
	}
}

// TestAdminSignInRateLimit checks that failures lock an account (5) and an
// IP (20) for 15 minutes, even against the right password.
func TestAdminSignInRateLimit(t *testing.T) {
	tests := []struct {
		name     string
		failures func(i int) url.Values
		n        int
		wait     time.Duration // clock moved before the last attempt
		status   int           // of the right password afterwards
	}{
		{"5 failures lock the account", func(int) url.Values { return signInForm(testAdminEmail, "wrong password!!", "") }, 5, 0, http.StatusTooManyRequests},
		{"4 failures do not", func(int) url.Values { return signInForm(testAdminEmail, "wrong password!!", "") }, 4, 0, http.StatusSeeOther},
		{"20 failures lock the IP", func(i int) url.Values {
			return signInForm(fmt.Sprintf("guess%d@example.com", i), "wrong password!!", "")
		}, 20, 0, http.StatusTooManyRequests},
		{"the lock ends after 15 minutes", func(int) url.Values { return signInForm(testAdminEmail, "wrong password!!", "") }, 5, 16 * time.Minute, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newAdminShop(t)
			for i := range tt.n {
				resp := s.send(t, http.MethodPost, "/admin/sign-in", tt.failures(i), httpx.CSRFCookie+"="+csrfTestToken)
				if resp.StatusCode != http.StatusUnauthorized {
					t.Fatalf("failure %d: status %d, want 401", i+1, resp.StatusCode)
				}
			}
			s.skew.Store(int64(tt.wait))
			resp := s.send(t, http.MethodPost, "/admin/sign-in", signInForm(testAdminEmail, testAdminPassword, ""), httpx.CSRFCookie+"="+csrfTestToken)
			if resp.StatusCode != tt.status {
				t.Fatalf("right password: status %d, want %d", resp.StatusCode, tt.status)
			}
			if v, _ := sessionCookie(resp); (v != "") != (tt.status == http.StatusSeeOther) {
				t.Errorf("session cookie %q with status %d", v, resp.StatusCode)
			}
		})
	}
}

// TestAdminSessionRotation checks that signing in replaces the browser's
// session and that signing out ends it on the server.
func TestAdminSessionRotation(t *testing.T) {
	s := newAdminShop(t)
	first := signIn(t, s)
	resp := s.send(t, http.MethodPost, "/admin/sign-in", signInForm(testAdminEmail, testAdminPassword, ""), first.cookies()...)
	second, _ := sessionCookie(resp)
	if resp.StatusCode != http.StatusSeeOther || second == "" || second == first.session {
		t.Fatalf("second sign-in: status %d, session %q (first %q)", resp.StatusCode, second, first.session)
	}
	if resp := first.get(t, "/admin"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("old session still works: status %d", resp.StatusCode)
	}
	now := &adminClient{s: s, session: second}
	if resp := now.get(t, "/admin"); resp.StatusCode != http.StatusOK {
		t.Fatalf("new session: status %d", resp.StatusCode)
	}
	wantSignIn(t, now.post(t, "/admin/sign-out", nil), "")
	if resp := now.get(t, "/admin"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("signed-out session still works: status %d", resp.StatusCode)
	}
}

// wantSignIn checks a 303 to the sign-in page, with next when given.
func wantSignIn(t *testing.T, resp *http.Response, next string) {
	t.Helper()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/sign-in") {
		t.Fatalf("status %d to %q, want 303 to the sign-in page", resp.StatusCode, loc)
	}
	if next != "" && loc != "/admin/sign-in?next="+url.QueryEscape(next) {
		t.Errorf("redirect to %q, want next=%q", loc, next)
	}
}

// TestAdminSessionExpiry checks the sliding 12-hour expiry and the 7-day cap.
func TestAdminSessionExpiry(t *testing.T) {
	tests := []struct {
		name  string
		steps []time.Duration // clock after sign-in at each request
		ok    []bool
	}{
		{"idle 13 hours", []time.Duration{13 * time.Hour}, []bool{false}},
		{"used every 11 hours slides", []time.Duration{11 * time.Hour, 22 * time.Hour, 33 * time.Hour}, []bool{true, true, true}},
		{"idle after sliding", []time.Duration{11 * time.Hour, 24 * time.Hour}, []bool{true, false}},
		{"capped at 7 days", func() []time.Duration {
			var d []time.Duration
			for h := 11; h <= 176; h += 11 {
				d = append(d, time.Duration(h)*time.Hour)
			}
			return d
		}(), func() []bool {
			var ok []bool
			for h := 11; h <= 176; h += 11 {
				ok = append(ok, h < 168)
			}
			return ok
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newAdminShop(t)
			ac := signIn(t, s)
			for i, d := range tt.steps {
				s.skew.Store(int64(d))
				resp := ac.get(t, "/admin/orders?status=paid")
				if tt.ok[i] {
					if resp.StatusCode != http.StatusOK {
						t.Fatalf("after %v: status %d, want 200", d, resp.StatusCode)
					}
					continue
				}
				wantSignIn(t, resp, "/admin/orders?status=paid")
			}
		})
	}
}

// TestAdminRoutesNeedSession walks the router: every /admin route but
// sign-in answers 303 to sign-in without a valid session, so a route added
// later cannot slip through unprotected.
func TestAdminRoutesNeedSession(t *testing.T) {
	s := newAdminShop(t)
	params := strings.NewReplacer(":number", "E000001-ABCD", ":id", "1", ":sku", "x", ":source", "vendor")
	checked := 0
	for _, r := range s.app.Handler().GetRoutes(true) {
		if r.Path != "/admin" && !strings.HasPrefix(r.Path, "/admin/") || strings.HasPrefix(r.Path, "/admin/sign-in") {
			continue
		}
		target := params.Replace(r.Path)
		for _, cookies := range [][]string{nil, {admin.SessionCookie + "=" + strings.Repeat("A", 43), httpx.CSRFCookie + "=" + csrfTestToken}} {
			resp := s.send(t, r.Method, target, url.Values{"_csrf": {csrfTestToken}}, cookies...)
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/sign-in?next=") {
				t.Errorf("%s %s (cookies %v): status %d to %q, want 303 to sign-in", r.Method, r.Path, cookies != nil, resp.StatusCode, resp.Header.Get("Location"))
			}
			if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Robots-Tag") != "noindex, nofollow" {
				t.Errorf("%s %s: Cache-Control %q, X-Robots-Tag %q", r.Method, r.Path, resp.Header.Get("Cache-Control"), resp.Header.Get("X-Robots-Tag"))
			}
		}
		checked++
	}
	if checked < 20 {
		t.Errorf("checked only %d admin routes", checked)
	}
	// The public sign-in page is private too.
	resp := s.get(t, "/admin/sign-in")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Robots-Tag") != "noindex, nofollow" {
		t.Errorf("sign-in page: status %d, headers %v", resp.StatusCode, resp.Header)
	}
}

// TestAdminCSRF checks that admin forms posted without the CSRF token are
// refused with 403 and change nothing.
func TestAdminCSRF(t *testing.T) {
	s := newAdminShop(t)
	ac := signIn(t, s)
	sku := someMultiTierPlan(t, s).SKUID
	tests := []struct{ name, target string }{
		{"sign out", "/admin/sign-out"},
		{"sync now", "/admin/catalog/sync"},
		{"featured", "/admin/catalog/featured"},
		{"hide", "/admin/catalog/" + sku + "/hide"},
		{"override", "/admin/catalog/" + sku + "/override"},
		{"pricing save", "/admin/pricing"},
		{"pricing preview", "/admin/pricing/preview"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"action_id": {testActionID("x", 1)}, "hidden": {"1"}, "copies": {"1"}, "amount": {"99"},
				"featured": {"FR"}, "basis": {"retail"}, "fx_rate": {"1"}, "markup": {"0"}, "currency": {"usd"}}
			resp := s.send(t, http.MethodPost, tt.target, form, ac.cookies()...)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("status %d, want 403", resp.StatusCode)
			}
		})
	}
	if s.app.snapshot().Plan(sku) == nil {
		t.Error("the plan was hidden by a refused form")
	}
	if resp := ac.get(t, "/admin"); resp.StatusCode != http.StatusOK {
		t.Errorf("session ended by a refused sign-out: status %d", resp.StatusCode)
	}
}

// TestEnsureAdmin checks that the environment creates the first admin only.
func TestEnsureAdmin(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	ctx := context.Background()
	if _, err := s.app.EnsureAdmin(ctx, "first@example.com", "short"); !errors.Is(err, admin.ErrWeakPassword) {
		t.Fatalf("weak password: err %v", err)
	}
	steps := []struct {
		email   string
		created bool
	}{{"first@example.com", true}, {"first@example.com", false}, {"second@example.com", false}}
	for _, st := range steps {
		created, err := s.app.EnsureAdmin(ctx, st.email, testAdminPassword)
		if err != nil || created != st.created {
			t.Fatalf("EnsureAdmin(%s) = %v, %v; want %v", st.email, created, err, st.created)
		}
	}
	if n, err := s.db.CountAdmins(ctx); err != nil || n != 1 {
		t.Errorf("%d admins (err %v), want 1", n, err)
	}
}

// TestAdminSignInBurst sends 20 wrong passwords at once: only the first 5
// may be checked, however the requests interleave.
func TestAdminSignInBurst(t *testing.T) {
	s := newAdminShop(t)
	var wg sync.WaitGroup
	statuses := make(chan int, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- s.send(t, http.MethodPost, "/admin/sign-in", signInForm(testAdminEmail, "wrong password!!", ""), httpx.CSRFCookie+"="+csrfTestToken).StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	checked := 0
	for st := range statuses {
		switch st {
		case http.StatusUnauthorized:
			checked++
		case http.StatusTooManyRequests:
		default:
			t.Errorf("status %d", st)
		}
	}
	if checked > 5 {
		t.Errorf("%d of 20 parallel guesses were checked, want at most 5", checked)
	}
}

// TestAdminSignInFromElsewhere is the lock-out attack: failures for the
// operator's account from one address refuse that address only; from
// another the right password still works (after a short wait), and a
// signed-in operator can lift the first address's limit.
func TestAdminSignInFromElsewhere(t *testing.T) {
	s := newAdminShop(t, func(c *Config) { c.ProxyHeader, c.TrustedProxies = "X-Forwarded-For", []string{"0.0.0.0"} })
	signInAs := func(ip, email, password string) *http.Response {
		req := httptest.NewRequest(http.MethodPost, "/admin/sign-in", strings.NewReader(signInForm(email, password, "").Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", httpx.CSRFCookie+"="+csrfTestToken)
		req.Header.Set("X-Forwarded-For", ip)
		resp, err := s.app.Handler().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	signInFrom := func(ip, password string) *http.Response { return signInAs(ip, testAdminEmail, password) }
	const attacker, operator = "203.0.113.66", "198.51.100.10"
	for i := range 5 {
		if resp := signInFrom(attacker, "wrong password!!"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i+1, resp.StatusCode)
		}
	}
	if resp := signInFrom(attacker, testAdminPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("attacker's address: status %d, want 429", resp.StatusCode)
	}
	// The same address guessing other accounts: refused for any account.
	for i := range 15 {
		if resp := signInAs(attacker, fmt.Sprintf("guess%d@example.com", i), "wrong password!!"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("guess %d: status %d", i+1, resp.StatusCode)
		}
	}
	start := time.Now()
	resp := signInFrom(operator, testAdminPassword)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("operator from elsewhere: status %d, want 303 (signed in)", resp.StatusCode)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("operator waited %v; an attacked account's attempts should wait at least 1s", waited)
	}
	session, _ := sessionCookie(resp)
	ac := &adminClient{s: s, session: session}
	page := doc(t, ac.get(t, "/admin/signins"))
	row := page.Find(`[data-lock="` + attacker + `"]`)
	if row.Length() != 1 || !strings.Contains(text(row), "20") || !strings.Contains(text(row), "refused") {
		t.Fatalf("sign-ins page does not list the attacker's address: %q", text(page.Find("main")))
	}
	if resp := signInFrom(attacker, testAdminPassword); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("attacker's address after the operator signed in: status %d, want 429", resp.StatusCode)
	}
	wantDone(t, ac.post(t, "/admin/signins/lift", url.Values{"ip": {attacker}, "action_id": {testActionID("lift-0", 1)}}), "/admin/signins", "lifted")
	if resp := signInFrom(attacker, testAdminPassword); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after lifting: status %d, want 303", resp.StatusCode)
	}
}
