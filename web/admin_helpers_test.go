package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/esimshop/esimshop/web/admin"
	"github.com/esimshop/esimshop/web/httpx"
)

// bcrypt at cost 12 takes seconds under the race detector; the tests hash
// at the minimum cost (TestHashPassword checks the production cost once).
func init() { admin.PasswordCost = bcrypt.MinCost }

// The test admin's credentials.
const (
	testAdminEmail    = "ops@example.com"
	testAdminPassword = "correct horse battery staple"
)

// adminClient is a browser signed in to the admin: it sends the session
// and CSRF cookies with every request.
type adminClient struct {
	s       *testShop
	session string // admin_session cookie value
}

// newAdminShop builds a test shop with one admin account.
func newAdminShop(t *testing.T, opts ...func(*Config)) *testShop {
	t.Helper()
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"), opts...)
	if err := admin.CreateAccount(context.Background(), s.db, testAdminEmail, testAdminPassword); err != nil {
		t.Fatal(err)
	}
	return s
}

// signInForm is a filled-in sign-in form.
func signInForm(email, password, next string) url.Values {
	return url.Values{"_csrf": {csrfTestToken}, "email": {email}, "password": {password}, "next": {next}}
}

// send performs a request with the given cookies (name=value pairs).
func (s *testShop) send(t testing.TB, method, target string, form url.Values, cookies ...string) *http.Response {
	t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if len(cookies) > 0 {
		req.Header.Set("Cookie", strings.Join(cookies, "; "))
	}
	resp, err := s.app.Handler().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// sessionCookie returns the admin_session cookie a response sets, or "".
func sessionCookie(resp *http.Response) (value string, set bool) {
	for _, c := range resp.Cookies() {
		if c.Name == admin.SessionCookie {
			return c.Value, true
		}
	}
	return "", false
}

// signIn signs the test admin in and returns the signed-in client.
func signIn(t *testing.T, s *testShop) *adminClient {
	t.Helper()
	resp := s.send(t, http.MethodPost, "/admin/sign-in", signInForm(testAdminEmail, testAdminPassword, ""), httpx.CSRFCookie+"="+csrfTestToken)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in status %d", resp.StatusCode)
	}
	v, ok := sessionCookie(resp)
	if !ok || v == "" {
		t.Fatal("sign-in set no session cookie")
	}
	return &adminClient{s: s, session: v}
}

// cookies are the client's cookies.
func (ac *adminClient) cookies() []string {
	return []string{httpx.CSRFCookie + "=" + csrfTestToken, admin.SessionCookie + "=" + ac.session}
}

// get fetches an admin page.
func (ac *adminClient) get(t testing.TB, target string) *http.Response {
	t.Helper()
	return ac.s.send(t, http.MethodGet, target, nil, ac.cookies()...)
}

// post submits a form with the CSRF token.
func (ac *adminClient) post(t testing.TB, target string, form url.Values) *http.Response {
	t.Helper()
	f := url.Values{"_csrf": {csrfTestToken}}
	for k, v := range form {
		f[k] = v
	}
	return ac.s.send(t, http.MethodPost, target, f, ac.cookies()...)
}

// actionID is a well-formed action_id for a form, unique per n.
func testActionID(form string, n int) string {
	return strings.Repeat("0", 31) + string(rune('0'+n%10)) + "-" + form
}

// wantDone checks a 303 back to target with the flash key.
func wantDone(t *testing.T, resp *http.Response, target, key string) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303", resp.StatusCode)
	}
	if got, want := resp.Header.Get("Location"), target+"?done="+key; got != want {
		t.Fatalf("redirect to %q, want %q", got, want)
	}
}

// orderURL is an order's admin page.
func orderURL(number string) string { return "/admin/orders/" + url.PathEscape(number) }

// adminSKUURL is a SKU's admin page.
func adminSKUURL(sku string) string { return "/admin/catalog/" + url.PathEscape(sku) }
