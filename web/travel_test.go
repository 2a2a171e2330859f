package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/catalog"
)

// TestTravelDateCheckout buys a plan whose vendor order needs a travel
// start (estimatedUseTimeFlag 1 in the sandbox, 720 h window): the plan
// page asks for the date within the window, the server refuses dates
// outside it without storing anything, and a good date is stored on the
// order, shown to the buyer and sent to the vendor as estimatedUseTime.
func TestTravelDateCheckout(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	p := planWhere(t, s, func(p *catalog.Plan) bool { return p.NeedsUseTime && p.UseTimeGapHours > 0 })
	now := time.Now()
	first := now.Add(-12 * time.Hour).UTC().Format(time.DateOnly)
	last := now.Add(time.Duration(p.UseTimeGapHours) * time.Hour).In(bc.VendorLocation).Format(time.DateOnly)

	page := doc(t, s.get(t, "/plans/"+p.SKUID))
	in := page.Find(`form.buy input[name="travel_date"]`)
	if in.Length() != 1 {
		t.Fatal("the plan page has no travel date field")
	}
	if got, _ := in.Attr("type"); got != "date" {
		t.Errorf("travel date input type %q", got)
	}
	if got, _ := in.Attr("min"); got != first {
		t.Errorf("min %q, want %q", got, first)
	}
	if got, _ := in.Attr("max"); got != last {
		t.Errorf("max %q, want %q", got, last)
	}
	if got, _ := in.Attr("value"); got != now.UTC().Format(time.DateOnly) {
		t.Errorf("default %q, want today (UTC)", got)
	}
	if other := planWhere(t, s, func(p *catalog.Plan) bool { return !p.NeedsUseTime }); doc(t, s.get(t, "/plans/"+other.SKUID)).Find(`input[name="travel_date"]`).Length() != 0 {
		t.Error("a plan that needs no travel date asks for one")
	}

	for _, bad := range []string{"", "tomorrow", "2026-02-30", now.AddDate(0, 0, -3).Format(time.DateOnly),
		now.Add(time.Duration(p.UseTimeGapHours)*time.Hour).AddDate(0, 0, 2).Format(time.DateOnly), "20261210"} {
		t.Run("refuses "+bad, func(t *testing.T) {
			f := validForm(p, p.Priced[0].Copies, 1)
			f.Set("travel_date", bad)
			resp := s.post(t, "/checkout", f, true)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", resp.StatusCode)
			}
			d := doc(t, resp)
			if msg := d.Find("#travel_date-error").Text(); !strings.Contains(msg, "trip starts") {
				t.Errorf("error %q", msg)
			}
			if got, _ := d.Find(`input[name="travel_date"]`).Attr("aria-invalid"); got != "true" {
				t.Errorf("field not marked invalid (%q)", got)
			}
		})
	}
	if _, err := s.db.OrderByID(context.Background(), 1); store.ErrorCode(err) != store.ENOTFOUND {
		t.Fatalf("a refused checkout stored an order: %v", err)
	}
	if n := s.payments.creates.Load(); n != 0 {
		t.Fatalf("payment provider called %d times for refused checkouts", n)
	}

	travel := now.AddDate(0, 0, 5).UTC().Format(time.DateOnly)
	f := validForm(p, p.Priced[0].Copies, 1)
	f.Set("travel_date", travel)
	resp := s.post(t, "/checkout", f, true)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("checkout status %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	o, err := s.db.OrderByToken(context.Background(), loc[strings.LastIndex(loc, "/")+1:])
	if err != nil {
		t.Fatal(err)
	}
	if o.TravelDate != travel {
		t.Fatalf("stored travel date %q, want %q", o.TravelDate, travel)
	}
	if resp := s.post(t, "/demo/pay/"+o.Token+"/pay", url.Values{"_csrf": {csrfTestToken}}, true); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay status %d", resp.StatusCode)
	}
	s.app.Start()
	s.waitStatus(t, o.ID, store.StatusDelivered)
	var sent string
	for _, vo := range s.sandbox.Orders() {
		if vo.ChannelOrderID == o.Number {
			sent = vo.EstimatedUseTime
		}
	}
	if want := travel + " 00:00:00"; sent != want {
		t.Errorf("F040 estimatedUseTime %q, want %q (midnight of the date on the vendor's clock)", sent, want)
	}
	shown := doc(t, s.get(t, "/orders/"+o.Token)).Find("[data-travel-date] dd").Text()
	if want := now.AddDate(0, 0, 5).UTC().Format("2 January 2006"); shown != want {
		t.Errorf("order page shows trip start %q, want %q", shown, want)
	}
}
