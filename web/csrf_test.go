package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/httpx"
)

// TestEveryPostChecksCSRF walks the router: every POST route but the
// webhooks (which their senders sign instead) refuses a form without the
// CSRF token — or with the token only in the query string, where it would
// leak through logs and history — with 403, and changes nothing. The
// operator is signed in, so the session check is not what refuses it; a
// route added later is covered without anyone remembering to.
func TestEveryPostChecksCSRF(t *testing.T) {
	s := newAdminShop(t)
	ac := signIn(t, s)
	p := someMultiTierPlan(t, s)
	pending := s.buyPending(t, 1)
	params := strings.NewReplacer(":number", pending.Number, ":id", "1", ":sku", p.SKUID, ":token", pending.Token, ":source", "vendor")
	form := url.Values{
		"action_id": {testActionID("x", 1)}, "confirm": {"1"}, "sku": {p.SKUID}, "copies": {strconv.Itoa(p.Priced[0].Copies)},
		"quantity": {"1"}, "email": {"traveller@example.com"}, "hidden": {"1"}, "amount": {"99"}, "featured": {"FR"},
		"basis": {"retail"}, "fx_rate": {"1"}, "markup": {"0"}, "currency": {"usd"}, "password": {testAdminPassword},
	}
	cases := []struct {
		name  string
		query string // appended to the URL
		token string // the form's _csrf
	}{
		{"no token", "", ""},
		{"wrong token", "", strings.Repeat("B", 43)},
		{"token in the query string only", "?" + httpx.CSRFField + "=" + csrfTestToken, ""},
	}
	checked := 0
	for _, r := range s.app.Handler().GetRoutes(true) {
		if r.Method != http.MethodPost || strings.HasPrefix(r.Path, "/webhooks/") || strings.HasPrefix(r.Path, "/wp-json/") {
			continue
		}
		checked++
		for _, tc := range cases {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if tc.token != "" {
				f.Set(httpx.CSRFField, tc.token)
			}
			resp := s.send(t, http.MethodPost, params.Replace(r.Path)+tc.query, f, ac.cookies()...)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s (%s): status %d, want 403", r.Path, tc.name, resp.StatusCode)
			}
		}
	}
	if checked < 15 {
		t.Errorf("checked only %d POST routes", checked)
	}
	ctx := context.Background()
	if o, err := s.db.OrderByID(ctx, pending.ID); err != nil || o.Status != store.StatusPendingPayment {
		t.Errorf("the pending order became %s (err %v)", o.Status, err)
	}
	if _, total, err := s.db.SearchOrders(ctx, store.OrderFilter{Limit: 10}); err != nil || total != 1 {
		t.Errorf("%d orders (err %v), want only the one bought before", total, err)
	}
	if n, err := s.db.AuditLog(ctx, 0, 10); err != nil || len(n) != 0 {
		t.Errorf("audit log has %d entries (err %v), want none", len(n), err)
	}
	if s.app.snapshot().Plan(p.SKUID) == nil {
		t.Error("the plan was hidden by a refused form")
	}
	if resp := ac.get(t, "/admin"); resp.StatusCode != http.StatusOK {
		t.Errorf("session ended by a refused sign-out: status %d", resp.StatusCode)
	}
}

// TestFormValuesFromTheBodyOnly: a POST reads its fields from the body,
// never the query string, so a crafted link cannot change what a form
// says (here: the checkout's copies, and an admin action with an empty
// body carrying everything in its URL).
func TestFormValuesFromTheBodyOnly(t *testing.T) {
	s := newAdminShop(t)
	ac := signIn(t, s)
	p := someMultiTierPlan(t, s)
	form := validForm(p, p.Priced[0].Copies, 1)
	resp := s.post(t, "/checkout?copies="+strconv.Itoa(p.Priced[len(p.Priced)-1].Copies)+"&quantity=5", form, true)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("checkout status %d", resp.StatusCode)
	}
	rows, _, err := s.db.SearchOrders(context.Background(), store.OrderFilter{Limit: 1})
	if err != nil || len(rows) != 1 {
		t.Fatalf("orders %v (err %v)", rows, err)
	}
	o, err := s.db.OrderByNumber(context.Background(), rows[0].Number)
	if err != nil {
		t.Fatal(err)
	}
	if l := o.Lines[0]; l.Copies != p.Priced[0].Copies || l.Quantity != 1 {
		t.Errorf("order line %d copies × %d, want the form's %d × 1", l.Copies, l.Quantity, p.Priced[0].Copies)
	}
	q := url.Values{httpx.CSRFField: {csrfTestToken}, "action_id": {testActionID("sync", 1)}}
	resp = s.send(t, http.MethodPost, "/admin/catalog/sync?"+q.Encode(), url.Values{}, ac.cookies()...)
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("sync with its fields in the URL: status %d, want 403", resp.StatusCode)
	}
	if n := s.sandbox.Calls("F002"); n != 1 {
		t.Errorf("%d catalog fetches, want only the test's own", n)
	}
}
