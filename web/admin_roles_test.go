package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/admin"
	"github.com/esimshop/esimshop/web/httpx"
)

// staffAccount creates an account with a role and signs it in.
func staffAccount(t *testing.T, s *testShop, email string, role store.Role) *adminClient {
	t.Helper()
	ctx := context.Background()
	if err := admin.CreateAccount(ctx, s.db, email, testAdminPassword); err != nil {
		t.Fatal(err)
	}
	a, _, err := s.db.AdminByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.SetAdminRole(ctx, a.ID, role); err != nil {
		t.Fatal(err)
	}
	resp := s.send(t, http.MethodPost, "/admin/sign-in", signInForm(email, testAdminPassword, ""), httpx.CSRFCookie+"="+csrfTestToken)
	v, ok := sessionCookie(resp)
	if resp.StatusCode != http.StatusSeeOther || !ok {
		t.Fatalf("sign-in as %s: status %d", email, resp.StatusCode)
	}
	return &adminClient{s: s, session: v}
}

// TestAdminRolesPerRoute walks every admin route of the router with each
// role: the owner is never refused; support and viewers get 403 exactly
// where the permission table closes the route — pricing, staff, sign-ins,
// audit, catalog changes for both; order actions for viewers — and the
// refusal comes before any form check, so it changes nothing.
func TestAdminRolesPerRoute(t *testing.T) {
	s := newAdminShop(t)
	clients := map[store.Role]*adminClient{
		store.RoleOwner:   signIn(t, s),
		store.RoleSupport: staffAccount(t, s, "support@example.com", store.RoleSupport),
		store.RoleViewer:  staffAccount(t, s, "viewer@example.com", store.RoleViewer),
	}
	// Routes support or viewers must never open, whatever the table says.
	ownerOnly := []string{"/admin/pricing", "/admin/staff", "/admin/signins", "/admin/audit", "/admin/catalog/sync"}
	params := strings.NewReplacer(":number", "E000001-ABCD", ":id", "1", ":sku", "x", ":source", "vendor")
	checked := 0
	for _, r := range s.app.Handler().GetRoutes(true) {
		if r.Path != "/admin" && !strings.HasPrefix(r.Path, "/admin/") || strings.HasPrefix(r.Path, "/admin/sign-in") ||
			r.Method == http.MethodHead || r.Path == "/admin/sign-out" {
			continue
		}
		target := params.Replace(r.Path)
		for role, ac := range clients {
			var resp *http.Response
			if r.Method == http.MethodGet {
				resp = ac.get(t, target)
			} else {
				// No action id: an allowed route answers 400, a closed one 403
				// before the form is looked at.
				resp = ac.post(t, target, url.Values{})
			}
			forbidden := resp.StatusCode == http.StatusForbidden
			want := !admin.Allowed(role, r.Method, target)
			if forbidden != want {
				t.Errorf("%s %s as %s: status %d, want forbidden=%v", r.Method, target, role, resp.StatusCode, want)
			}
			for _, p := range ownerOnly {
				if role != store.RoleOwner && strings.HasPrefix(target, p) && !forbidden {
					t.Errorf("%s %s as %s: status %d, want 403", r.Method, target, role, resp.StatusCode)
				}
			}
		}
		checked++
	}
	if checked < 25 {
		t.Errorf("checked only %d routes", checked)
	}
}

// TestSupportRefundsViewerCannot: support can refund an order (the order
// actions are theirs), a viewer cannot, and neither sees pricing in the
// navigation.
func TestSupportRefundsViewerCannot(t *testing.T) {
	s := newAdminShop(t, func(c *Config) { c.Payments = &refundCounter{Provider: c.Payments} })
	s.app.Start()
	o := deliveredOrder(t, s)
	viewer := staffAccount(t, s, "viewer@example.com", store.RoleViewer)
	support := staffAccount(t, s, "support@example.com", store.RoleSupport)
	form := url.Values{"confirm": {"1"}, "action_id": {testActionID("refund", 1)}}
	if resp := viewer.post(t, orderURL(o.Number)+"/refund", form); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer refund: status %d, want 403", resp.StatusCode)
	}
	if got, _ := s.db.OrderByID(context.Background(), o.ID); got.Status != store.StatusDelivered {
		t.Fatalf("after the viewer's refused refund the order is %s", got.Status)
	}
	wantDone(t, support.post(t, orderURL(o.Number)+"/refund", form), orderURL(o.Number), "refund")
	if got, _ := s.db.OrderByID(context.Background(), o.ID); got.Status != store.StatusRefunded {
		t.Errorf("after support's refund the order is %s", got.Status)
	}
	d := doc(t, support.get(t, "/admin"))
	if d.Find(`a[data-nav="pricing"]`).Length() != 0 || d.Find(`a[data-nav="orders"]`).Length() != 1 {
		t.Error("support's navigation shows pricing or hides orders")
	}
	if resp := support.get(t, "/admin/pricing"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("support opens pricing: status %d", resp.StatusCode)
	}
}

// TestStaffPageAndPassword: the owner adds a support account on the Staff
// page, which signs in with its role; the owner cannot demote the last
// owner; the support account changes its password (wrong current one
// refused), after which the old one no longer signs in.
func TestStaffPageAndPassword(t *testing.T) {
	s := newAdminShop(t)
	owner := signIn(t, s)
	const email, newPassword = "helpdesk@example.com", "a brand new long password"
	wantDone(t, owner.post(t, "/admin/staff", url.Values{"email": {email}, "role": {"support"},
		"password": {testAdminPassword}, "action_id": {testActionID("staff-create", 1)}}), "/admin/staff", "created")
	wantDone(t, owner.post(t, "/admin/staff", url.Values{"email": {"x@example.com"}, "role": {"root"},
		"password": {testAdminPassword}, "action_id": {testActionID("staff-create", 2)}}), "/admin/staff", "invalid")
	d := doc(t, owner.get(t, "/admin/staff"))
	if got, _ := d.Find(`tr[data-staff="` + email + `"] option[selected]`).Attr("value"); got != "support" {
		t.Errorf("new account's role = %q", got)
	}
	ownerAcc, _, _ := s.db.AdminByEmail(context.Background(), testAdminEmail)
	wantDone(t, owner.post(t, "/admin/staff/"+itoa64(ownerAcc.ID)+"/role", url.Values{"role": {"viewer"},
		"action_id": {testActionID("role", 3)}}), "/admin/staff", "last-owner")

	resp := s.send(t, http.MethodPost, "/admin/sign-in", signInForm(email, testAdminPassword, ""), httpx.CSRFCookie+"="+csrfTestToken)
	v, _ := sessionCookie(resp)
	support := &adminClient{s: s, session: v}
	if resp := support.get(t, "/admin/staff"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("support opens staff: %d", resp.StatusCode)
	}
	wantDone(t, support.post(t, "/admin/account/password", url.Values{"current": {"wrong password here"},
		"password": {newPassword}, "password2": {newPassword}, "action_id": {testActionID("password", 4)}}), "/admin/account", "bad-current")
	resp = support.post(t, "/admin/account/password", url.Values{"current": {testAdminPassword},
		"password": {newPassword}, "password2": {newPassword}, "action_id": {testActionID("password", 5)}})
	wantDone(t, resp, "/admin/account", "password")
	if v, ok := sessionCookie(resp); !ok || v == "" {
		t.Error("password change did not keep this browser signed in")
	}
	old := s.send(t, http.MethodPost, "/admin/sign-in", signInForm(email, testAdminPassword, ""), httpx.CSRFCookie+"="+csrfTestToken)
	if v, ok := sessionCookie(old); ok && v != "" {
		t.Error("the old password still signs in")
	}
	fresh := s.send(t, http.MethodPost, "/admin/sign-in", signInForm(email, newPassword, ""), httpx.CSRFCookie+"="+csrfTestToken)
	if v, ok := sessionCookie(fresh); !ok || v == "" {
		t.Errorf("the new password does not sign in (status %d)", fresh.StatusCode)
	}
}

// itoa64 formats an id.
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
