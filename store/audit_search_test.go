package store

import (
	"context"
	"reflect"
	"testing"
)

func TestSearchAudit(t *testing.T) {
	db, _, in := orderFixture(t)
	o := mustCreate(t, db, in)
	ctx := context.Background()
	entries := []AuditEntry{
		{AdminID: 1, AdminEmail: "owner@shop.test", Action: "pricing", Detail: "markup 20 → 25", IP: "192.0.2.1"},
		{AdminID: 2, AdminEmail: "support@shop.test", Action: "refund", OrderID: o.ID, ActionID: "f1"},
		{AdminID: 1, AdminEmail: "owner@shop.test", Action: "hide_product", SKUID: "A"},
	}
	for _, e := range entries {
		if _, err := db.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		f       AuditFilter
		actions []string
	}{
		{"all, newest first", AuditFilter{}, []string{"hide_product", "refund", "pricing"}},
		{"by person", AuditFilter{AdminEmail: "owner@shop.test"}, []string{"hide_product", "pricing"}},
		{"by kind", AuditFilter{Action: "refund"}, []string{"refund"}},
		{"both", AuditFilter{AdminEmail: "support@shop.test", Action: "pricing"}, nil},
		{"page", AuditFilter{Limit: 1, BeforeID: 3}, []string{"refund"}},
	}
	for _, tc := range tests {
		rows, err := db.SearchAudit(ctx, tc.f)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Action)
		}
		if !reflect.DeepEqual(got, tc.actions) {
			t.Errorf("%s: actions = %v, want %v", tc.name, got, tc.actions)
		}
	}
	rows, _ := db.SearchAudit(ctx, AuditFilter{Action: "refund"})
	if rows[0].OrderNumber != o.Number {
		t.Errorf("refund row order = %q, want %q", rows[0].OrderNumber, o.Number)
	}
	rows, _ = db.SearchAudit(ctx, AuditFilter{Action: "pricing"})
	if rows[0].IP != "192.0.2.1" || rows[0].Detail != "markup 20 → 25" {
		t.Errorf("pricing row = %+v", rows[0])
	}
	emails, actions, err := db.AuditFacets(ctx)
	if err != nil || !reflect.DeepEqual(emails, []string{"owner@shop.test", "support@shop.test"}) ||
		!reflect.DeepEqual(actions, []string{"hide_product", "pricing", "refund"}) {
		t.Errorf("facets = %v, %v, %v", emails, actions, err)
	}
}
