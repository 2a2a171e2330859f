package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestAuditDedupesActionIDs(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	entries := []struct {
		name    string
		e       AuditEntry
		wantDup bool
		wantErr string
	}{
		{"first refund", AuditEntry{AdminID: 1, AdminEmail: "ops@example.com", Action: "refund", OrderID: 7,
			Detail: "buyer asked", ActionID: "act-1"}, false, ""},
		{"double submit", AuditEntry{AdminID: 1, Action: "refund", OrderID: 7, ActionID: "act-1"}, true, ""},
		{"no action id, twice (1)", AuditEntry{Action: "hide_product", SKUID: "A"}, false, ""},
		{"no action id, twice (2)", AuditEntry{Action: "hide_product", SKUID: "A"}, false, ""},
		{"other order", AuditEntry{Action: "retry_placement", OrderID: 8, ActionID: "act-2",
			At: t0.Add(time.Hour)}, false, ""},
		{"no action", AuditEntry{Action: " "}, false, EINVALID},
		{"huge action id", AuditEntry{Action: "x", ActionID: strings.Repeat("a", maxActionIDLen+1)}, false, EINVALID},
	}
	for _, tt := range entries {
		t.Run(tt.name, func(t *testing.T) {
			dup, err := db.Audit(ctx, tt.e)
			if dup != tt.wantDup || (tt.wantErr == "" && err != nil) || (tt.wantErr != "" && ErrorCode(err) != tt.wantErr) {
				t.Errorf("Audit = %v, %v; want %v, %q", dup, err, tt.wantDup, tt.wantErr)
			}
		})
		clk.set(clk.now().Add(time.Second))
	}

	got, err := db.AuditByActionID(ctx, "act-1")
	want := AuditEntry{ID: got.ID, At: t0, AdminID: 1, AdminEmail: "ops@example.com", Action: "refund", OrderID: 7,
		Detail: "buyer asked", ActionID: "act-1"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("AuditByActionID = %+v, %v; want %+v", got, err, want)
	}
	for _, id := range []string{"", "act-9"} {
		if _, err := db.AuditByActionID(ctx, id); ErrorCode(err) != ENOTFOUND {
			t.Errorf("AuditByActionID(%q) = %v, want ENOTFOUND", id, err)
		}
	}

	all, err := db.AuditLog(ctx, 0, 0)
	if err != nil || len(all) != 4 || all[0].Action != "retry_placement" || !all[0].At.Equal(t0.Add(time.Hour)) ||
		all[3].ActionID != "act-1" {
		t.Errorf("AuditLog(all) = %+v, %v", all, err)
	}
	if two, _ := db.AuditLog(ctx, 0, 2); len(two) != 2 || two[0].ID != all[0].ID {
		t.Errorf("AuditLog limit 2 = %+v", two)
	}
	if one, _ := db.AuditLog(ctx, 7, 10); len(one) != 1 || one[0].ActionID != "act-1" {
		t.Errorf("AuditLog(order 7) = %+v", one)
	}
	if none, err := db.AuditLog(ctx, 99, 10); err != nil || len(none) != 0 {
		t.Errorf("AuditLog(order 99) = %+v, %v", none, err)
	}
}
