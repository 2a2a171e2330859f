package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestAdminPages checks that every admin page renders for a signed-in
// admin with real data, and that bad query values are a 400.
func TestAdminPages(t *testing.T) {
	s := newAdminShop(t)
	s.app.Start()
	o := deliveredOrder(t, s)
	ac := signIn(t, s)
	notices, err := s.db.VendorNotices(context.Background(), o.ID)
	if err != nil || len(notices) == 0 {
		t.Fatalf("no vendor notices for the order (err %v)", err)
	}
	sku := o.Lines[0].SKUID
	tests := []struct {
		target string
		status int
		want   string // text the page must contain
	}{
		{"/admin", http.StatusOK, "Dashboard"},
		{"/admin/orders", http.StatusOK, o.Number},
		{"/admin/orders?q=" + o.Email + "&status=delivered&from=2020-01-01&to=2999-12-31", http.StatusOK, o.Number},
		{"/admin/orders?q=" + o.ESIMs[0].ICCID, http.StatusOK, o.Number},
		{"/admin/orders?status=nonsense", http.StatusBadRequest, ""},
		{"/admin/orders?from=2024-13-01", http.StatusBadRequest, ""},
		{"/admin/orders?page=0", http.StatusBadRequest, ""},
		{orderURL(o.Number), http.StatusOK, o.ESIMs[0].ICCID},
		{orderURL("E999999-NONE"), http.StatusNotFound, ""},
		{"/admin/catalog", http.StatusOK, sku},
		{"/admin/catalog?country=jp&type=total&active=1&hidden=0", http.StatusOK, ""},
		{"/admin/catalog?type=weekly", http.StatusBadRequest, ""},
		{"/admin/catalog?region=atlantis", http.StatusBadRequest, ""},
		{adminSKUURL(sku), http.StatusOK, sku},
		{adminSKUURL("no-such-sku"), http.StatusNotFound, ""},
		{"/admin/pricing", http.StatusOK, "environment defaults"},
		{"/admin/notices", http.StatusOK, "N009"},
		{"/admin/notices?source=stripe", http.StatusOK, ""},
		{"/admin/notices?source=mail", http.StatusBadRequest, ""},
		{"/admin/notices/vendor/" + strconv.FormatInt(notices[0].ID, 10), http.StatusOK, o.Number},
		{"/admin/notices/vendor/999999", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			resp := ac.get(t, tt.target)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", resp.Header.Get("Cache-Control"))
			}
			if tt.want != "" {
				if body := text(doc(t, resp).Find("body")); !strings.Contains(body, tt.want) {
					t.Errorf("page does not contain %q", tt.want)
				}
			}
		})
	}
	resp := ac.get(t, orderURL(o.Number)+"/esims/"+strconv.FormatInt(o.ESIMs[0].ID, 10)+"/qr.png")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("QR: status %d, type %q, cache %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
	}
}

// TestAdminErrorsKeepTheAdminLayout checks that a signed-in operator's
// 4xx pages stay in the admin (navigation, sign-out), not the shop's page.
func TestAdminErrorsKeepTheAdminLayout(t *testing.T) {
	s := newAdminShop(t)
	ac := signIn(t, s)
	for _, target := range []string{"/admin/orders?from=yesterday", "/admin/orders/E999999-NONE", "/admin/catalog/no-such-sku"} {
		resp := ac.get(t, target)
		if resp.StatusCode < 400 || resp.StatusCode >= 500 {
			t.Fatalf("%s: status %d", target, resp.StatusCode)
		}
		d := doc(t, resp)
		if d.Find("[data-admin-error]").Length() != 1 || d.Find(`form[action="/admin/sign-out"]`).Length() != 1 {
			t.Errorf("%s: not an admin error page", target)
		}
	}
}
