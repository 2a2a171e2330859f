package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/esimshop/esimshop/bc"
)

// burstReport is the write-path burst (issue 11): buyers on every
// connection for a while, the vendor's notices arriving meanwhile, then
// the time until every order bought in the burst is delivered.
type burstReport struct {
	Conns, Paid, Busy, Failed int           // buyers; orders paid; "busy" answers; other failures
	Duration                  time.Duration // of the burst
	Acks                      []time.Duration
	AckErrors                 int           // notices not acknowledged with 1000
	SlowAcks                  int           // acknowledgements slower than 1 s
	VendorRetries             int           // sandbox N009/N010 attempts after a failed one, during the burst
	Drain                     time.Duration // burst end → every burst order delivered
	Undelivered               int           // burst orders still not delivered when the drain gave up
	PeakRSS                   int64         // bytes
	GCs                       int64         // collections during the burst (GODEBUG=gctrace=1)
}

// runBurst keeps conns buyers buying sku for d while one sender posts a
// signed N010 for a paid order every 100 ms, as the vendor's notices keep
// arriving during a rush, and the sandbox delivers the burst's own N009s.
func runBurst(ctx context.Context, srv *server, sku string, conns int, d time.Duration) (burstReport, error) {
	rep := burstReport{Conns: conns, Duration: d}
	client := newClient(conns + 8)
	var (
		mu     sync.Mutex
		orders []paidOrder
		next   atomic.Int64
		busy   atomic.Int64
		failed atomic.Int64
	)
	next.Store(1 << 20) // buyer numbers (and addresses) distinct from the main run's
	start := time.Now()
	stopAt := start.Add(d)
	gc0 := srv.gcs.Load()
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(stopAt) {
				o, err := buy(ctx, client, srv.base, sku, int(next.Add(1)))
				switch {
				case err == nil:
					mu.Lock()
					orders = append(orders, o)
					mu.Unlock()
				case strings.Contains(err.Error(), "checkout: 503"):
					busy.Add(1)
				default:
					failed.Add(1)
				}
			}
		}()
	}
	wg.Add(2)
	go func() { // the vendor's other notices, for orders already paid
		defer wg.Done()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for time.Now().Before(stopAt) && ctx.Err() == nil {
			<-tick.C
			mu.Lock()
			var o paidOrder
			if len(orders) > 0 {
				o = orders[rand.IntN(len(orders))]
			}
			mu.Unlock()
			if o.Number == "" {
				continue
			}
			body, _ := json.Marshal(map[string]any{
				"tradeType": "N010", "tradeTime": time.Now().In(bc.VendorLocation).Format(bc.TimeLayout),
				"tradeData": map[string]any{"orderId": "", "channelOrderId": o.Number},
			})
			t0 := time.Now()
			ok := sendNotice(ctx, client, srv.base, body)
			lat := time.Since(t0)
			mu.Lock()
			rep.Acks = append(rep.Acks, lat)
			if !ok {
				rep.AckErrors++
			}
			if lat > time.Second {
				rep.SlowAcks++
			}
			mu.Unlock()
		}
	}()
	go func() { // peak memory
		defer wg.Done()
		for time.Now().Before(stopAt) && ctx.Err() == nil {
			if m, err := readMemory(srv.cmd.Process.Pid); err == nil && m.RSS > rep.PeakRSS {
				rep.PeakRSS = m.RSS
			}
			time.Sleep(500 * time.Millisecond)
		}
	}()
	wg.Wait()
	end := time.Now()
	rep.GCs = srv.gcs.Load() - gc0
	rep.Paid, rep.Busy, rep.Failed = len(orders), int(busy.Load()), int(failed.Load())
	for _, l := range srv.logged("sandbox:") {
		if strings.Contains(l.Msg, "not accepted") && !l.At.Before(start) && !l.At.After(end) {
			rep.VendorRetries++
		}
	}
	slices.Sort(rep.Acks)
	rep.Drain, rep.Undelivered = drain(ctx, client, srv.base, orders, 2*time.Minute)
	return rep, ctx.Err()
}

// drain polls until every order reports delivered, up to limit; it
// returns how long that took and how many were still not delivered.
func drain(ctx context.Context, client *http.Client, base string, orders []paidOrder, limit time.Duration) (time.Duration, int) {
	t0 := time.Now()
	left := slices.Clone(orders)
	for len(left) > 0 && time.Since(t0) < limit && ctx.Err() == nil {
		var still []paidOrder
		for _, o := range left {
			status, body, _, err := do(ctx, client, http.MethodGet, base+"/orders/"+o.Token+"/status", "", "", nil)
			var st struct {
				Status string `json:"status"`
			}
			if err != nil || status != http.StatusOK || json.Unmarshal(body, &st) != nil || st.Status != "delivered" {
				still = append(still, o)
			}
		}
		left = still
		if len(left) > 0 {
			time.Sleep(time.Second)
		}
	}
	return time.Since(t0), len(left)
}

// print writes the burst's figures.
func (r burstReport) print(w io.Writer) {
	fmt.Fprintf(w, "burst: %d buyers for %s: %d orders paid, %d answered busy, %d failed otherwise\n",
		r.Conns, r.Duration, r.Paid, r.Busy, r.Failed)
	if n := len(r.Acks); n > 0 {
		fmt.Fprintf(w, "vendor notices during the burst: %d, ack p50 %s p99 %s max %s, %d over 1 s, %d not acknowledged\n",
			n, pct(r.Acks, 50), pct(r.Acks, 99), r.Acks[n-1].Round(time.Millisecond), r.SlowAcks, r.AckErrors)
	}
	fmt.Fprintf(w, "sandbox notice retries during the burst: %d\n", r.VendorRetries)
	fmt.Fprintf(w, "every burst order delivered %s after the burst (%d not delivered)\n", r.Drain.Round(time.Second), r.Undelivered)
	fmt.Fprintf(w, "peak RSS %.0f MiB, %d GCs during the burst\n", float64(r.PeakRSS)/(1<<20), r.GCs)
}

// pct is the p-th percentile of sorted durations.
func pct(sorted []time.Duration, p int) time.Duration {
	i := min(len(sorted)-1, len(sorted)*p/100)
	return sorted[i].Round(time.Millisecond)
}
