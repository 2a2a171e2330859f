package web

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/esimshop/esimshop/bc/sandbox"
	"github.com/esimshop/esimshop/store"
)

// TestOrderPageUsage: a delivered order's page shows each eSIM's install
// status and data from the vendor (F046/F042 over HTTP through the
// sandbox), 100 concurrent reloads make one vendor call per eSIM, and when
// the vendor fails the last figures stay, said to be the last known.
func TestOrderPageUsage(t *testing.T) {
	// Long enough for 100 loopback requests to fit in one period on a
	// busy 2-core machine: a second period would rightly call again.
	const every = 2 * time.Second
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"), func(c *Config) { c.UsageRefresh = every })
	s.app.Start()
	o := s.waitStatus(t, s.buyAndPay(t, 1).ID, store.StatusDelivered)

	d := doc(t, s.get(t, "/orders/"+o.Token+"?lang=en"))
	st := d.Find("[data-esim-status]")
	if st.Length() != 1 {
		t.Fatalf("%d status blocks, want 1", st.Length())
	}
	// Without InstallStep the sandbox's F042 history ends at "enabled".
	if v, _ := st.Find("[data-install-status]").Attr("data-install-status"); v != "3" || !strings.Contains(text(st), "Installed and switched on") {
		t.Fatalf("install status %q: %s", v, text(st))
	}
	plan := st.Find("[data-usage-plan]")
	if plan.Length() != 1 {
		t.Fatalf("%d plans shown: %s", plan.Length(), text(st))
	}
	if st.Find("[data-usage-unlimited]").Length() == 0 {
		bar, _ := plan.Find("progress[data-usage-bar]").Attr("value")
		if bar == "" || plan.Find("[data-usage-left]").Length() != 1 {
			t.Fatalf("no bar or data left: %s", text(plan))
		}
	}
	if plan.Find("[data-days-left]").Length() != 1 || plan.Find("time[data-localtime]").Length() != 2 {
		t.Fatalf("no days left or plan period: %s", text(plan))
	}
	if st.Find("[data-usage-updated] time[datetime]").Length() != 1 || st.Find("[data-usage-stale]").Length() != 0 {
		t.Fatalf("no 'last updated', or stale: %s", text(st))
	}
	if n := s.sandbox.Calls("F046"); n != 1 {
		t.Fatalf("%d F046 calls after one page view, want 1", n)
	}

	// 100 concurrent reloads once the figures are due again: one call.
	time.Sleep(every)
	f046, f042 := s.sandbox.Calls("F046"), s.sandbox.Calls("F042")
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodGet, "http://"+s.addr+"/orders/"+o.Token, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("reload: %d", resp.StatusCode)
			}
		})
	}
	wg.Wait()
	if got := s.sandbox.Calls("F046") - f046; got != 1 {
		t.Fatalf("100 concurrent reloads made %d F046 calls, want 1", got)
	}
	if got := s.sandbox.Calls("F042") - f042; got != 1 {
		t.Fatalf("100 concurrent reloads made %d F042 calls, want 1", got)
	}

	// The vendor fails: the last figures stay, and the page says so.
	before := text(doc(t, s.get(t, "/orders/"+o.Token+"?lang=en")).Find("[data-usage-plan]"))
	time.Sleep(every)
	s.sandbox.FailNextHTTP("F046", 1, http.StatusBadGateway)
	st = doc(t, s.get(t, "/orders/"+o.Token+"?lang=en")).Find("[data-esim-status]")
	if st.Find("[data-usage-stale]").Length() != 1 {
		t.Fatalf("a failed refresh is not said: %s", text(st))
	}
	if got := text(st.Find("[data-usage-plan]")); got != before {
		t.Fatalf("after a failure the page shows %q, want the last figures %q", got, before)
	}
}

// TestOrderPageInstallStatusMoves: with the sandbox playing a traveller
// installing the eSIM (N012 per step), the order page goes from "not
// installed" to "installed and switched on".
func TestOrderPageInstallStatusMoves(t *testing.T) {
	s := newTestShopWith(t, mustRule(t, "retail", "0.14", "0", "", "usd"),
		func(c *sandbox.Config) { c.InstallStep = 1100 * time.Millisecond }, // the vendor's times have whole seconds
		func(c *Config) { c.UsageRefresh = time.Hour })
	s.app.Start()
	o := s.waitStatus(t, s.buyAndPay(t, 1).ID, store.StatusDelivered)
	status := func() string {
		v, _ := doc(t, s.get(t, "/orders/"+o.Token+"?lang=es")).Find("[data-install-status]").Attr("data-install-status")
		return v
	}
	if got := status(); got != "0" {
		t.Fatalf("right after delivery the install status is %q, want 0 (not installed)", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for status() != "3" {
		if time.Now().After(deadline) {
			t.Fatalf("install status stuck at %q", status())
		}
		time.Sleep(100 * time.Millisecond)
	}
	st := doc(t, s.get(t, "/orders/"+o.Token+"?lang=es")).Find("[data-esim-status]")
	if !strings.Contains(text(st), "Instalada y activada") {
		t.Fatalf("Spanish install status: %s", text(st))
	}
	if n := s.sandbox.Calls("F042"); n != 1 {
		t.Fatalf("%d F042 calls, want 1 (the rest came by N012)", n)
	}
}
