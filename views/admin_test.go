package views

import (
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"github.com/esimshop/esimshop/static"
)

// adminPages is one of every admin page, for checks that apply to all.
func adminPages() map[string]templ.Component {
	return map[string]templ.Component{
		"sign-in":   AdminSignIn(testSignIn()),
		"dashboard": AdminDashboard(testDashboard()),
		"orders":    AdminOrders(testOrders()),
		"order":     AdminOrder(testAdminOrder()),
		"catalog":   AdminCatalog(testCatalog()),
		"sku":       AdminSKU(testSKU()),
		"pricing":   AdminPricing(testPricing()),
		"notices":   AdminNotices(testNotices()),
		"notice":    AdminNotice(testNotice()),
	}
}

// externalURL matches a URL that leaves the site (or a protocol-relative one).
var externalURL = regexp.MustCompile(`^(?i)([a-z][a-z0-9+.-]*:|//)`)

func TestAdminLayoutOnEveryPage(t *testing.T) {
	for name, c := range adminPages() {
		doc, html := render(t, c)
		if doc.Find(`meta[name=robots]`).AttrOr("content", "") != "noindex, nofollow" {
			t.Errorf("%s: robots meta is not noindex, nofollow", name)
		}
		if doc.Find("html").AttrOr("lang", "") != "en" {
			t.Errorf("%s: admin pages are English", name)
		}
		if n := doc.Find("h1").Length(); n != 1 {
			t.Errorf("%s: %d h1, want 1", name, n)
		}
		if !strings.HasSuffix(doc.Find("title").Text(), "esimshop admin") {
			t.Errorf("%s: title = %q", name, doc.Find("title").Text())
		}
		var css []string
		doc.Find(`link[rel=stylesheet]`).Each(func(_ int, s *goquery.Selection) { css = append(css, s.AttrOr("href", "")) })
		if strings.Join(css, " ") != static.URL("style.css")+" "+static.URL("admin.css") {
			t.Errorf("%s: stylesheets = %v", name, css)
		}
		// CSP without 'unsafe-inline': no script at all, no inline style,
		// no event handler attribute; nothing loaded from another site.
		if doc.Find("script, style, [style]").Length() != 0 {
			t.Errorf("%s: inline script or style", name)
		}
		if regexp.MustCompile(`(?i)\son[a-z]+=`).MatchString(html) {
			t.Errorf("%s: inline event handler", name)
		}
		doc.Find("[src], link[href]").Each(func(_ int, s *goquery.Selection) {
			u := s.AttrOr("src", s.AttrOr("href", ""))
			if externalURL.MatchString(u) {
				t.Errorf("%s: external resource %q", name, u)
			}
		})
		if doc.Find("body.admin").Length() != 1 {
			t.Errorf("%s: body lacks the admin class", name)
		}
	}
}

// TestAdminPOSTFormsCarryTokens walks every form of every page: each POST
// form carries the CSRF token, each action form (all but sign-in and
// sign-out) an action id unique on its page, and no GET form leaks the
// token into a URL.
func TestAdminPOSTFormsCarryTokens(t *testing.T) {
	for name, c := range adminPages() {
		doc, _ := render(t, c)
		seen := map[string]bool{}
		posts := 0
		doc.Find("form").Each(func(i int, f *goquery.Selection) {
			kind := f.AttrOr("data-form", f.AttrOr("data-action", "?"))
			where := name + "/" + kind
			method := strings.ToLower(f.AttrOr("method", "get"))
			csrf := f.Find(`input[type=hidden][name=_csrf]`)
			if method != "post" {
				if csrf.Length() != 0 {
					t.Errorf("%s: GET form carries the CSRF token", where)
				}
				return
			}
			posts++
			if csrf.Length() != 1 || csrf.AttrOr("value", "") != testCSRF {
				t.Errorf("%s: POST form without the CSRF token", where)
			}
			if f.AttrOr("action", "") == "" {
				t.Errorf("%s: POST form without an action", where)
			}
			id := f.Find(`input[type=hidden][name=action_id]`)
			if kind == "sign-in" || kind == "sign-out" {
				if id.Length() != 0 {
					t.Errorf("%s: unexpected action_id", where)
				}
				return
			}
			v := id.AttrOr("value", "")
			if id.Length() != 1 || !strings.HasPrefix(v, testActionID+"-") {
				t.Errorf("%s: action_id = %q", where, v)
			}
			if seen[v] {
				t.Errorf("%s: action_id %q shared with another form", where, v)
			}
			seen[v] = true
		})
		if posts == 0 {
			t.Errorf("%s: no POST form found (sign-out or sign-in expected)", name)
		}
	}
}

func TestAdminActionIDLeftOutWhenEmpty(t *testing.T) {
	d := testAdminOrder()
	d.ActionID = ""
	doc, _ := render(t, AdminOrder(d))
	if n := doc.Find(`input[name=action_id]`).Length(); n != 0 {
		t.Errorf("%d action_id fields without an ActionID", n)
	}
}

func TestAdminHeader(t *testing.T) {
	tests := []struct {
		name    string
		page    AdminPage
		nav     bool
		current string
	}{
		{"signed in", testAdminPage("orders", "Orders"), true, "orders"},
		{"no section", testAdminPage("", "Order"), true, ""},
		{"signed out", AdminPage{Title: "Sign in", CSRF: testCSRF}, false, ""},
	}
	for _, tt := range tests {
		doc, _ := render(t, AdminOrders(OrdersData{AdminPage: tt.page}))
		nav := doc.Find("nav.admin-nav a")
		if (nav.Length() == len(adminNav)) != tt.nav || (!tt.nav && nav.Length() != 0) {
			t.Errorf("%s: %d nav links", tt.name, nav.Length())
		}
		cur := doc.Find(`nav.admin-nav a[aria-current=page]`)
		if cur.AttrOr("data-nav", "") != tt.current || cur.Length() > 1 {
			t.Errorf("%s: current nav = %q (%d)", tt.name, cur.AttrOr("data-nav", ""), cur.Length())
		}
		signOut := doc.Find(`form[data-form=sign-out]`)
		if (signOut.Length() == 1) != tt.nav {
			t.Errorf("%s: sign-out form present = %v", tt.name, signOut.Length() == 1)
		}
		if tt.nav {
			if signOut.AttrOr("action", "") != AdminSignOutPath || signOut.AttrOr("method", "") != "post" {
				t.Errorf("%s: sign-out form posts to %q", tt.name, signOut.AttrOr("action", ""))
			}
			if text(doc.Find("[data-admin-email]")) != tt.page.Email {
				t.Errorf("%s: signed-in email not shown", tt.name)
			}
		}
	}
	// The nav links are the sections in order; support and viewers do
	// not see the owner's pages (the server refuses those routes anyway).
	for role, want := range map[string]string{
		"owner": "Dashboard=/admin Orders=/admin/orders Catalog=/admin/catalog Pricing=/admin/pricing Notices=/admin/notices " +
			"Pages=/admin/content Redirects=/admin/redirects Sign-ins=/admin/signins Reports=/admin/reports Customers=/admin/customers Audit log=/admin/audit Staff=/admin/staff Account=/admin/account",
		"support": "Dashboard=/admin Orders=/admin/orders Catalog=/admin/catalog Notices=/admin/notices " +
			"Reports=/admin/reports Customers=/admin/customers Account=/admin/account",
	} {
		d := testDashboard()
		d.Role = role
		doc, _ := render(t, AdminDashboard(d))
		var got []string
		doc.Find("nav.admin-nav a").Each(func(_ int, s *goquery.Selection) { got = append(got, text(s)+"="+s.AttrOr("href", "")) })
		if strings.Join(got, " ") != want {
			t.Errorf("%s nav = %v", role, got)
		}
	}
}

func TestAdminFlashAndDemo(t *testing.T) {
	tests := []struct {
		name     string
		page     AdminPage
		sel      string
		role     string
		noBanner bool
	}{
		{"ok", AdminPage{Email: "a@b.c", Flash: "Email sent again."}, `[data-flash=ok]`, "status", true},
		{"error", AdminPage{Email: "a@b.c", Flash: "Refund failed.", FlashError: true}, `[data-flash=error]`, "alert", true},
		{"demo", AdminPage{Email: "a@b.c", Demo: true}, `[data-demo-banner]`, "note", false},
	}
	for _, tt := range tests {
		doc, _ := render(t, AdminDashboard(DashboardData{AdminPage: tt.page}))
		el := doc.Find(tt.sel)
		if el.Length() != 1 || el.AttrOr("role", "") != tt.role {
			t.Errorf("%s: %s missing or wrong role", tt.name, tt.sel)
		}
		if tt.page.Flash != "" && text(el) != tt.page.Flash {
			t.Errorf("%s: flash = %q", tt.name, text(el))
		}
		if tt.noBanner && doc.Find(`[data-demo-banner]`).Length() != 0 {
			t.Errorf("%s: demo banner outside demo", tt.name)
		}
		if tt.page.Flash == "" && doc.Find(`[data-flash]`).Length() != 0 {
			t.Errorf("%s: empty flash rendered", tt.name)
		}
	}
}

func TestBadgeKind(t *testing.T) {
	tests := []struct{ status, kind string }{
		{"needs_attention", "bad"},
		{"rejected", "bad"},
		{"failed", "bad"},
		{"delivered", "ok"},
		{"accepted", "ok"},
		{"pending_payment", "muted"},
		{"expired", "muted"},
		{"duplicate", "muted"},
		{"paid", "info"},
		{"placing", "info"},
		{"payment_failed", "warn"},
		{"refunded", "warn"},
		{"something_new", "muted"},
		{"", "muted"},
	}
	for _, tt := range tests {
		if got := badgeKind(tt.status); got != tt.kind {
			t.Errorf("badgeKind(%q) = %q, want %q", tt.status, got, tt.kind)
		}
		doc, _ := render(t, badge(tt.status))
		b := doc.Find("span.badge")
		if !b.HasClass("badge-"+tt.kind) || b.AttrOr("data-status", "x") != tt.status {
			t.Errorf("badge(%q) = class %q", tt.status, b.AttrOr("class", ""))
		}
	}
	doc, _ := render(t, badge("needs_attention"))
	if text(doc.Find(".badge")) != "needs attention" {
		t.Errorf("badge text = %q", text(doc.Find(".badge")))
	}
}

func TestAdminSignIn(t *testing.T) {
	d := testSignIn()
	doc, _ := render(t, AdminSignIn(d))
	f := doc.Find(`form[data-form=sign-in]`)
	if f.AttrOr("action", "") != AdminSignInPath || f.AttrOr("method", "") != "post" {
		t.Errorf("sign-in form posts to %q", f.AttrOr("action", ""))
	}
	if f.Find(`input[name=next]`).AttrOr("value", "") != d.Next {
		t.Error("next not carried")
	}
	if f.Find(`input[name=email]`).AttrOr("value", "") != d.Email {
		t.Error("email not kept")
	}
	pw := f.Find(`input[name=password]`)
	if pw.AttrOr("type", "") != "password" || pw.AttrOr("value", "") != "" || pw.AttrOr("autocomplete", "") != "current-password" {
		t.Error("password field must be empty, typed password, current-password")
	}
	if text(doc.Find("[data-error]")) != d.Error {
		t.Errorf("error = %q", text(doc.Find("[data-error]")))
	}
	d.Error = ""
	doc, _ = render(t, AdminSignIn(d))
	if doc.Find("[data-error]").Length() != 0 {
		t.Error("error shown without one")
	}
}
