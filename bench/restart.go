package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// restartReport is what clients saw while the shop was restarted under
// load, as `systemctl restart` does it after the binary is replaced:
// SIGTERM, wait for the exit, start the new process on the same port.
type restartReport struct {
	Conns      int
	Requests   atomic.Int64  // answered 200 over the whole run
	Failed     atomic.Int64  // errors other than "connection refused" (a reset, a 5xx, a cut body)
	Refused    atomic.Int64  // attempts refused while no process listened
	Drain      time.Duration // SIGTERM → old process exited
	Start      time.Duration // new process started → serving the catalog
	Gap        time.Duration // last answer of the old process → first of the new
	MaxWait    time.Duration // longest a client retrying every 10 ms waited for one page
	P99Request time.Duration
}

// runRestart loads the country page with conns clients that retry on a
// refused connection, restarts the shop in the middle, and reports.
func runRestart(ctx context.Context, srv *server, bin, db, logPath string, o options, port int) (*restartReport, *server, error) {
	rep := &restartReport{Conns: o.conns}
	url := srv.base + "/destinations/" + o.country
	client := newClient(o.conns)
	var (
		stop     atomic.Bool
		mu       sync.Mutex
		waits    []time.Duration
		lastOld  atomic.Int64 // unix nanos of the last 200 before the restart began
		firstNew atomic.Int64
		phase    atomic.Int32 // 0 old, 1 restarting, 2 new started
	)
	var wg sync.WaitGroup
	for range o.conns {
		wg.Go(func() {
			for !stop.Load() {
				t0 := time.Now()
				for !stop.Load() {
					resp, err := client.Get(url)
					if err == nil {
						_, cerr := io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode == http.StatusOK && cerr == nil {
							now := time.Now()
							rep.Requests.Add(1)
							switch phase.Load() {
							case 0, 1:
								lastOld.Store(now.UnixNano())
							case 2:
								firstNew.CompareAndSwap(0, now.UnixNano())
							}
							mu.Lock()
							waits = append(waits, now.Sub(t0))
							mu.Unlock()
							break
						}
						rep.Failed.Add(1)
					} else if isRefused(err) {
						rep.Refused.Add(1)
					} else {
						rep.Failed.Add(1)
					}
					time.Sleep(10 * time.Millisecond)
				}
			}
		})
	}
	time.Sleep(o.duration / 2)
	phase.Store(1)
	drain, err := srv.stop(30 * time.Second)
	rep.Drain = drain
	if err != nil {
		stop.Store(true)
		wg.Wait()
		return rep, nil, err
	}
	phase.Store(2)
	next, err := startServerOn(bin, db, o.skus, o.env, logPath, port)
	if err != nil {
		stop.Store(true)
		wg.Wait()
		return rep, nil, err
	}
	st, err := next.waitReady(ctx, o.country, false, time.Minute)
	rep.Start = st.CatalogReady
	time.Sleep(o.duration / 2)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		return rep, next, err
	}
	if lastOld.Load() > 0 && firstNew.Load() > 0 {
		rep.Gap = time.Duration(firstNew.Load() - lastOld.Load())
	}
	slices.Sort(waits)
	if len(waits) > 0 {
		rep.MaxWait = waits[len(waits)-1]
		rep.P99Request = pct(waits, 99)
	}
	return rep, next, nil
}

// isRefused reports a connection refused: nobody listening, which a
// client (a proxy, a browser, Stripe's webhook sender) simply retries.
func isRefused(err error) bool { return strings.Contains(err.Error(), "connection refused") }

// print writes the report as a table.
func (r *restartReport) print(w io.Writer) {
	fmt.Fprintf(w, "restart under load (%d clients retrying a refused connection every 10 ms)\n", r.Conns)
	fmt.Fprintf(w, "| pages served | failed | refused attempts | drain (SIGTERM → exit) | start (→ catalog served) | gap (last old → first new answer) | longest wait for a page | p99 wait |\n|---|---|---|---|---|---|---|---|\n")
	fmt.Fprintf(w, "| %d | %d | %d | %s ms | %s ms | %s ms | %s ms | %s ms |\n",
		r.Requests.Load(), r.Failed.Load(), r.Refused.Load(), ms(r.Drain), ms(r.Start), ms(r.Gap), ms(r.MaxWait), ms(r.P99Request))
}
