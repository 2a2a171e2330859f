package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/esimshop/esimshop/store"
)

// Obviously fake channel credentials for the crash test's sandbox.
const (
	crashAppKey    = "crash-test-channel"
	crashAppSecret = "fake-secret-for-the-crash-test"
	crashCSRF      = "Y3Jhc2gtdGVzdC1jc3JmLXRva2VuLW5vdC1hLXNlY3J" // 43 characters of base64url, like a real token
)

// buildShop builds the real binary once per test.
func buildShop(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "esimshop")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// TestCrashDeliversEveryPaidOrderOnce runs the real binary against the
// vendor sandbox in a process of its own, buys and pays orders from
// several buyers at once, kills the shop with SIGKILL at random moments
// (several rounds, restarting it on the same database each time), and then
// checks that every paid order — acknowledged to its buyer or not — ends
// delivered exactly once: its eSIMs, one vendor order, one delivery email.
func TestCrashDeliversEveryPaidOrderOnce(t *testing.T) {
	bin := buildShop(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "shop.db")
	port := freePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	env := append(os.Environ(), "BC_APP_KEY="+crashAppKey, "BC_APP_SECRET="+crashAppSecret)

	sb := exec.Command(bin, "sandbox", "-callback", base+"/webhooks/billionconnect", "-notice-delay", "1500ms")
	sb.Env = env
	sbOut, err := sb.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sb.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Process.Kill(); _ = sb.Wait() })
	vendorURL, err := bufio.NewReader(sbOut).ReadString('\n')
	if err != nil {
		t.Fatalf("sandbox did not start: %v", err)
	}

	shopEnv := append(env, "JOB_LEASE=3s", "CHECKOUT_RATE_LIMIT=100000")
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "-demo", "-demo-vendor", strings.TrimSpace(vendorURL),
			"-addr", fmt.Sprintf("127.0.0.1:%d", port), "-base-url", base, "-db", dbPath)
		cmd.Env = shopEnv
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitReady(t, base)
		return cmd
	}
	shop := start()
	t.Cleanup(func() { _ = shop.Process.Kill(); _ = shop.Wait() })
	sku, copies := planToBuy(t, base)

	var acknowledged sync.Map // token → true: the buyer saw the payment go through
	var paidCount atomic.Int64
	for round := range 4 {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for buyer := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					if token, ok := buyAndPay(base, sku, copies, fmt.Sprintf("crash-%d-%d-%d@example.com", round, buyer, i)); ok {
						acknowledged.Store(token, true)
						paidCount.Add(1)
					}
				}
			}()
		}
		time.Sleep(time.Duration(300+rand.IntN(1200)) * time.Millisecond)
		if err := shop.Process.Kill(); err != nil { // SIGKILL: no shutdown, no flush
			t.Fatal(err)
		}
		_ = shop.Wait()
		close(stop)
		wg.Wait()
		shop = start()
	}
	if paidCount.Load() < 4 {
		t.Fatalf("only %d payments went through before the crashes; the test proves nothing", paidCount.Load())
	}

	db, err := sql.Open("sqlite", "file:"+dbPath+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	deadline := time.Now().Add(90 * time.Second)
	for {
		var open int
		if err := db.QueryRow(`SELECT COUNT(*) FROM orders WHERE paid_at IS NOT NULL AND (status <> 'delivered'
			OR id NOT IN (SELECT order_id FROM mails WHERE kind = ?))`, store.MailESIMDelivery).Scan(&open); err != nil {
			t.Fatal(err)
		}
		if open == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d paid orders still not delivered and mailed 90s after the last crash", open)
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(time.Second) // a duplicate would come now, if at all

	// Every payment a buyer saw go through is a paid, delivered order.
	acknowledged.Range(func(k, _ any) bool {
		var status string
		var paid bool
		if err := db.QueryRow(`SELECT status, paid_at IS NOT NULL FROM orders WHERE token = ?`, k).Scan(&status, &paid); err != nil || !paid || status != "delivered" {
			t.Errorf("an order its buyer saw paid is %q, paid %v (err %v)", status, paid, err)
		}
		return true
	})
	rows, err := db.Query(`SELECT o.number, o.vendor_order_id,
		(SELECT COUNT(*) FROM mails m WHERE m.order_id = o.id AND m.kind = ?),
		(SELECT COUNT(*) FROM esims e WHERE e.order_id = o.id),
		(SELECT SUM(quantity) FROM order_lines l WHERE l.order_id = o.id)
		FROM orders o WHERE o.paid_at IS NOT NULL`, store.MailESIMDelivery)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	paid := 0
	for rows.Next() {
		var number, vendorID string
		var mails, esims, quantity int
		if err := rows.Scan(&number, &vendorID, &mails, &esims, &quantity); err != nil {
			t.Fatal(err)
		}
		paid++
		if mails != 1 || esims != quantity || vendorID == "" {
			t.Errorf("order %s: %d delivery emails, %d of %d eSIMs, vendor order %q; want exactly one email and every eSIM", number, mails, esims, quantity, vendorID)
		}
	}
	if paid < int(paidCount.Load()) {
		t.Errorf("%d paid orders stored, but buyers saw %d payments go through", paid, paidCount.Load())
	}
	t.Logf("%d paid orders over 4 crashes (%d acknowledged to their buyers), each delivered once", paid, paidCount.Load())
}

// waitReady polls /readyz until the shop answers ready.
func waitReady(t *testing.T, base string) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if resp, err := client.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the shop did not become ready within 30s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// planToBuy picks a plan from the Japan page and one of its tiers.
func planToBuy(t *testing.T, base string) (sku, copies string) {
	t.Helper()
	resp, err := http.Get(base + "/destinations/jp")
	if err != nil {
		t.Fatal(err)
	}
	page, err := goquery.NewDocumentFromReader(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	href, _ := page.Find(`a[href^="/plans/"]`).First().Attr("href")
	resp, err = http.Get(base + href)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := goquery.NewDocumentFromReader(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	sku, _ = plan.Find(`input[name="sku"]`).Attr("value")
	copies, _ = plan.Find(`input[name="copies"]`).First().Attr("value")
	if sku == "" || copies == "" {
		t.Fatalf("no buy form on %s", href)
	}
	return sku, copies
}

// buyAndPay checks a plan out and pays it on the demo page, as a browser
// would; ok is true when the buyer was shown the payment as done.
func buyAndPay(base, sku, copies, email string) (token string, ok bool) {
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) (*http.Response, error) {
		form.Set("_csrf", crashCSRF)
		req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", "csrf="+crashCSRF)
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return resp, err
	}
	resp, err := post("/checkout", url.Values{"sku": {sku}, "copies": {copies}, "quantity": {"2"}, "email": {email}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		return "", false
	}
	loc := resp.Header.Get("Location")
	token = loc[strings.LastIndex(loc, "/")+1:]
	resp, err = post("/demo/pay/"+token+"/pay", url.Values{})
	return token, err == nil && resp.StatusCode == http.StatusSeeOther
}
