package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/esimshop/esimshop/bc"
)

// paidOrder is an order the benchmark bought through the shop's own pages.
type paidOrder struct {
	Token  string // the private order URL token
	Number string // the shop's order number: the vendor's channelOrderId
}

var (
	csrfFieldRE   = regexp.MustCompile(`name="_csrf" value="([A-Za-z0-9_-]{43})"`)
	orderNumberRE = regexp.MustCompile(`\bE[0-9]{6,}-[0-9A-Z]{2,}\b`)
)

// createPaidOrders buys n plans of sku with conns concurrent buyers, each
// doing what a browser does: open the plan page (CSRF cookie and token),
// POST /checkout, open the demo payment page (which shows the order
// number), POST its "Pay". It returns the orders in creation order.
func createPaidOrders(ctx context.Context, client *http.Client, base, sku string, n, conns int) ([]paidOrder, time.Duration, error) {
	t0 := time.Now()
	orders := make([]paidOrder, n)
	var next atomic.Int64
	errs := make(chan error, conns)
	var wg sync.WaitGroup
	for range min(conns, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n || ctx.Err() != nil {
					return
				}
				o, err := buy(ctx, client, base, sku, i)
				if err != nil {
					errs <- fmt.Errorf("order %d: %w", i+1, err)
					return
				}
				orders[i] = o
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return nil, 0, err
	}
	return orders, time.Since(t0), nil
}

// buy walks one buyer through checkout and the demo payment.
func buy(ctx context.Context, client *http.Client, base, sku string, i int) (paidOrder, error) {
	// Buyer i comes from its own address (see forwardedFor).
	ip := fmt.Sprintf("10.%d.%d.%d", (i>>16)&255, (i>>8)&255, i&255)
	status, body, _, err := do(ctx, client, http.MethodGet, base+"/plans/"+sku, ip, "", nil)
	if err != nil || status != http.StatusOK {
		return paidOrder{}, fmt.Errorf("plan page: %d %v", status, err)
	}
	m := csrfFieldRE.FindSubmatch(body)
	if m == nil {
		return paidOrder{}, errors.New("plan page has no CSRF token")
	}
	// The double-submit cookie carries the same token as the form field.
	csrf := string(m[1])
	cookie := "csrf=" + csrf
	form := url.Values{"_csrf": {csrf}, "sku": {sku}, "copies": {"1"}, "quantity": {"1"},
		"email": {fmt.Sprintf("bench+%d@example.com", i+1)}}
	status, _, loc, err := do(ctx, client, http.MethodPost, base+"/checkout", ip, cookie, form)
	if err != nil || status != http.StatusSeeOther {
		return paidOrder{}, fmt.Errorf("checkout: %d %v", status, err)
	}
	payPath, err := pathOf(loc)
	if err != nil || !strings.HasPrefix(payPath, "/demo/pay/") {
		return paidOrder{}, fmt.Errorf("checkout redirected to %q, not the demo payment page", loc)
	}
	token := strings.TrimPrefix(payPath, "/demo/pay/")
	status, body, _, err = do(ctx, client, http.MethodGet, base+payPath, ip, cookie, nil)
	if err != nil || status != http.StatusOK {
		return paidOrder{}, fmt.Errorf("payment page: %d %v", status, err)
	}
	number := orderNumberRE.Find(body)
	if number == nil {
		return paidOrder{}, errors.New("payment page shows no order number")
	}
	status, _, loc, err = do(ctx, client, http.MethodPost, base+payPath+"/pay", ip, cookie, url.Values{"_csrf": {csrf}})
	if err != nil || status != http.StatusSeeOther {
		return paidOrder{}, fmt.Errorf("pay: %d %v", status, err)
	}
	if p, _ := pathOf(loc); p != "/orders/"+token {
		return paidOrder{}, fmt.Errorf("pay redirected to %q, not the order page", loc)
	}
	return paidOrder{Token: token, Number: string(number)}, nil
}

// pathOf returns the path of an absolute or relative Location.
func pathOf(loc string) (string, error) {
	u, err := url.Parse(loc)
	if err != nil {
		return "", err
	}
	return u.Path, nil
}

// do sends one request with an optional client IP, cookie and form and
// returns the status, body and Location header.
func do(ctx context.Context, client *http.Client, method, u, ip, cookie string, form url.Values) (int, []byte, string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return 0, nil, "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if ip != "" {
		req.Header.Set(forwardedFor, ip)
	}
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header.Get("Location"), err
}

// burstESIM is the eSIM the benchmark's own N009 delivers for order i:
// a unique ICCID and a well-formed LPA string.
func burstESIM(i int) (iccid, lpa string) {
	iccid = fmt.Sprintf("8999%015d", i+1) // 19 digits, 89 = telecom, 99 = test range
	lpa = fmt.Sprintf("LPA:1$smdp.bench.example$BENCH%027X", i+1)
	return iccid, lpa
}

// noticeBody is the signed N009 for one order, in the vendor's wire format.
func noticeBody(o paidOrder, i int, now time.Time) ([]byte, error) {
	iccid, lpa := burstESIM(i)
	type item struct {
		SubOrderID        string `json:"subOrderId"`
		ChannelSubOrderID string `json:"channelSubOrderId"`
		UID               string `json:"uid"`
		ICCID             string `json:"iccid"`
		QRCodeContent     string `json:"qrCodeContent"`
		APN               string `json:"apn"`
		PIN               string `json:"pin"`
		PUK               string `json:"puk"`
		MSISDN            string `json:"msisdn"`
		ValidTime         string `json:"validTime"`
		RechargeableESIM  string `json:"rechargeableESIM"`
	}
	return json.Marshal(map[string]any{
		"tradeType": "N009",
		"tradeTime": now.In(bc.VendorLocation).Format(bc.TimeLayout),
		"tradeData": map[string]any{
			// orderId and subOrderId are left empty: the shop learned the
			// sandbox's own from its F040 reply and would note a mismatch.
			"orderId": "", "channelOrderId": o.Number,
			"subOrderList": []item{{
				ChannelSubOrderID: o.Number + "-1", UID: fmt.Sprintf("9%018d", i+1),
				ICCID: iccid, QRCodeContent: lpa, APN: "bench", PIN: "1234", PUK: "12345678",
				ValidTime:        now.AddDate(0, 6, 0).In(bc.VendorLocation).Format(bc.TimeLayout),
				RechargeableESIM: "0",
			}},
		},
	})
}

// noticeBurst sends one signed N009 per order from conns concurrent
// senders and times each. A notice counts as an error unless the shop
// answers 200 with tradeCode 1000.
func noticeBurst(ctx context.Context, client *http.Client, base string, orders []paidOrder, conns int) (result, error) {
	bodies := make([][]byte, len(orders))
	now := time.Now()
	for i, o := range orders {
		b, err := noticeBody(o, i, now)
		if err != nil {
			return result{}, err
		}
		bodies[i] = b
	}
	lat := make([]time.Duration, len(orders))
	failed := make([]bool, len(orders))
	var next atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for range min(conns, len(orders)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(bodies) {
					return
				}
				s := time.Now()
				failed[i] = !sendNotice(ctx, client, base, bodies[i])
				lat[i] = time.Since(s)
			}
		}()
	}
	wg.Wait()
	r := result{Name: fmt.Sprintf("N009 burst (%d notices)", len(orders)), Requests: len(orders), Elapsed: time.Since(t0), Latencies: lat}
	for _, f := range failed {
		if f {
			r.Errors++
		}
	}
	r.Bytes = int64(len(bc.AckBody)) * int64(r.Requests-r.Errors)
	slices.Sort(r.Latencies)
	return r, nil
}

// sendNotice POSTs one signed notice as the vendor does and reports
// whether the shop acknowledged it.
func sendNotice(ctx context.Context, client *http.Client, base string, body []byte) bool {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/webhooks/billionconnect", bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set("x-channel-id", fakeAppKey)
	req.Header.Set("x-sign-method", "md5")
	req.Header.Set("x-sign-value", bc.Sign(fakeAppSecret, body))
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var ack struct {
		TradeCode string `json:"tradeCode"`
	}
	err = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&ack)
	return err == nil && resp.StatusCode == http.StatusOK && ack.TradeCode == "1000"
}

// verifyDelivered checks that every order reports "delivered" on its
// status endpoint and that its order page shows the ICCID the benchmark's
// notice carried. It returns a description of each order that fails.
func verifyDelivered(ctx context.Context, client *http.Client, base string, orders []paidOrder, conns int) []string {
	var (
		mu       sync.Mutex
		problems []string
		next     atomic.Int64
		wg       sync.WaitGroup
	)
	report := func(format string, args ...any) {
		mu.Lock()
		problems = append(problems, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	for range min(conns, len(orders)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(orders) {
					return
				}
				o := orders[i]
				status, body, _, err := do(ctx, client, http.MethodGet, base+"/orders/"+o.Token+"/status", "", "", nil)
				var st struct {
					Status string `json:"status"`
				}
				if err != nil || status != http.StatusOK || json.Unmarshal(body, &st) != nil || st.Status != "delivered" {
					report("%s: status %q (HTTP %d, %v)", o.Number, st.Status, status, err)
					continue
				}
				status, body, _, err = do(ctx, client, http.MethodGet, base+"/orders/"+o.Token, "", "", nil)
				iccid, _ := burstESIM(i)
				if err != nil || status != http.StatusOK || !bytes.Contains(body, []byte(iccid)) {
					report("%s: order page (HTTP %d, %v) does not show ICCID %s", o.Number, status, err, iccid)
				}
			}
		}()
	}
	wg.Wait()
	slices.Sort(problems)
	return problems
}
