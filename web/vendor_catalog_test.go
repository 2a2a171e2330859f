package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/esimshop/esimshop/bc/sandbox"
)

// pricedESIMs returns the indexes of the catalog's priced eSIM SKUs.
func pricedESIMs(c *sandbox.Catalog) []int {
	priced := map[string]bool{}
	for _, p := range c.Prices {
		priced[p.SKUID] = true
	}
	var out []int
	for i, s := range c.SKUs {
		if (s.Type == "3105" || s.Type == "3106") && priced[s.SKUID] {
			out = append(out, i)
		}
	}
	return out
}

// TestSyncSkipsBrokenSKUs syncs, over HTTP from the sandbox, a catalog in
// which two SKUs carry values of the wrong kind: the good ones go live,
// the broken ones are listed with their reason in the sync history.
func TestSyncSkipsBrokenSKUs(t *testing.T) {
	s := newAdminShop(t)
	ctx := context.Background()
	cat := sandbox.Default()
	idx := pricedESIMs(cat)
	decimal, array := &cat.SKUs[idx[0]], &cat.SKUs[idx[1]]
	decimal.Wire = map[string]json.RawMessage{"days": json.RawMessage(`"1.5"`)}
	array.Wire = map[string]json.RawMessage{"name": json.RawMessage(`["Japan","日本"]`)}
	s.sandbox.SetCatalog(cat)

	run, err := s.app.SyncCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if run.Held || !run.OK || run.Skipped != 2 || run.Products != len(idx)-2 {
		t.Fatalf("run = %+v, want %d live products and 2 skipped", run, len(idx)-2)
	}
	reasons := map[string]string{}
	for _, sk := range run.SkippedSKUs {
		reasons[sk.SKU] = sk.Reason
	}
	if r := reasons[decimal.SKUID]; !strings.Contains(r, "days") || !strings.Contains(r, "1.5") {
		t.Errorf("reason for the decimal days = %q", r)
	}
	if r := reasons[array.SKUID]; !strings.Contains(r, "name") {
		t.Errorf("reason for the array name = %q", r)
	}
	for _, sku := range []string{decimal.SKUID, array.SKUID} {
		if resp := s.get(t, "/plans/"+sku); resp.StatusCode != http.StatusNotFound {
			t.Errorf("broken SKU %s still sold: %d", sku, resp.StatusCode)
		}
	}
	if resp := s.get(t, "/plans/"+cat.SKUs[idx[2]].SKUID); resp.StatusCode != http.StatusOK {
		t.Errorf("good SKU not sold: %d", resp.StatusCode)
	}
	ac := signIn(t, s)
	page := doc(t, ac.get(t, "/admin/catalog"))
	skipped := page.Find(`[data-skipped="2"]`).First()
	if got := text(skipped); !strings.Contains(got, "2 skipped") || !strings.Contains(got, decimal.SKUID) || !strings.Contains(got, "1.5") {
		t.Errorf("sync history skipped list = %q", got)
	}
}

// TestHeldSync checks that a sync removing most of the live catalog is
// held (the shop keeps selling), said so on the dashboard, and applied
// when the operator asks, through the audited admin action, as fetched.
func TestHeldSync(t *testing.T) {
	s := newAdminShop(t)
	ctx := context.Background()
	before, err := s.db.CountActiveProducts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cat := sandbox.Default()
	keep := pricedESIMs(cat)[:before/4] // drop three quarters
	small := &sandbox.Catalog{Countries: cat.Countries}
	kept := map[string]bool{}
	for _, i := range keep {
		small.SKUs = append(small.SKUs, cat.SKUs[i])
		kept[cat.SKUs[i].SKUID] = true
	}
	for _, p := range cat.Prices {
		if kept[p.SKUID] {
			small.Prices = append(small.Prices, p)
		}
	}
	s.sandbox.SetCatalog(small)

	run, err := s.app.SyncCatalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Held || run.OK || run.Removed != before-len(keep) {
		t.Fatalf("run = %+v, want held with %d would-be removals", run, before-len(keep))
	}
	if n, _ := s.db.CountActiveProducts(ctx); n != before {
		t.Fatalf("active products after a held sync = %d, want %d", n, before)
	}
	ac := signIn(t, s)
	dash := doc(t, ac.get(t, "/admin"))
	if got := text(dash.Find(`[data-section="sync"]`)); !strings.Contains(got, "held") || dash.Find("[data-sync-held]").Length() != 1 {
		t.Errorf("dashboard sync panel = %q", got)
	}
	page := doc(t, ac.get(t, "/admin/catalog"))
	if page.Find(`form[data-form="apply-sync"]`).Length() != 1 {
		t.Fatal("no apply form for the held sync")
	}

	// The vendor's catalog moves on meanwhile: applying still installs
	// exactly what the held run fetched and the operator reviewed (it is
	// stored with the run, so a restart in between would not matter).
	s.sandbox.SetCatalog(cat)

	// A bad run id changes nothing; the held run is applied once.
	if resp := ac.post(t, "/admin/catalog/sync/apply", url.Values{"action_id": {testActionID("apply-sync", 1)}, "run": {"abc"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad run id: status %d", resp.StatusCode)
	}
	form := url.Values{"action_id": {testActionID("apply-sync", 2)}, "run": {strconv.FormatInt(run.ID, 10)}}
	wantDone(t, ac.post(t, "/admin/catalog/sync/apply", form), "/admin/catalog", "sync-applied")
	if n, _ := s.db.CountActiveProducts(ctx); n != len(keep) {
		t.Errorf("active products after applying = %d, want %d", n, len(keep))
	}
	e, err := s.db.AuditByActionID(ctx, testActionID("apply-sync", 2))
	if err != nil || e.Action != "apply_held_sync" {
		t.Errorf("audit = %+v, %v", e, err)
	}
	// The applied run is no longer held; applying it again is refused.
	form.Set("action_id", testActionID("apply-sync", 3))
	wantDone(t, ac.post(t, "/admin/catalog/sync/apply", form), "/admin/catalog", "apply-stale")
	last, err := s.db.LastSync(ctx)
	if err != nil || last.Held || !last.OK {
		t.Errorf("last sync = %+v, %v", last, err)
	}
}
