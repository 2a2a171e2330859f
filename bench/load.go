package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// result is the outcome of loading one target.
type result struct {
	Name      string
	Requests  int           // completed in the measured window (errors included)
	Errors    int           // transport errors and non-2xx/3xx answers
	Elapsed   time.Duration // the measured window, until the last answer
	Latencies []time.Duration
	Bytes     int64 // response body bytes of the successful requests
	Note      string
}

// RPS is completed requests per second over the measured window.
func (r result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Percentile returns the q-quantile (0..1) of the latencies by the
// nearest-rank method; Latencies must be sorted.
func (r result) Percentile(q float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(q*float64(len(r.Latencies))+0.5) - 1
	return r.Latencies[min(max(i, 0), len(r.Latencies)-1)]
}

// BytesPerResponse is the mean body size of the successful answers.
func (r result) BytesPerResponse() int64 {
	ok := r.Requests - r.Errors
	if ok <= 0 {
		return 0
	}
	return r.Bytes / int64(ok)
}

// newClient returns a keep-alive HTTP/1.1 client holding at most conns
// connections to the shop, like wrk -c conns: no cookies, no compression,
// redirects not followed.
func newClient(conns int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxConnsPerHost:     conns,
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
			ForceAttemptHTTP2:   false,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
}

// load sends GET url from conns goroutines, back to back, for warmup plus
// d. Only requests started after the warm-up count; the window ends when
// the last of them is answered.
func load(ctx context.Context, client *http.Client, name, url string, conns int, warmup, d time.Duration) result {
	start := time.Now()
	measureFrom, stopAt := start.Add(warmup), start.Add(warmup+d)
	type tally struct {
		lat    []time.Duration
		errs   int
		bytes  int64
		lastAt time.Time
	}
	tallies := make([]tally, conns)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tallies[w]
			t.lat = make([]time.Duration, 0, 1<<14)
			for ctx.Err() == nil {
				t0 := time.Now()
				if !t0.Before(stopAt) {
					return
				}
				n, ok := fetch(ctx, client, url)
				t1 := time.Now()
				if t0.Before(measureFrom) {
					continue
				}
				t.lat = append(t.lat, t1.Sub(t0))
				t.lastAt = t1
				if ok {
					t.bytes += n
				} else {
					t.errs++
				}
			}
		}()
	}
	wg.Wait()
	r := result{Name: name}
	last := stopAt
	for _, t := range tallies {
		r.Latencies = append(r.Latencies, t.lat...)
		r.Errors += t.errs
		r.Bytes += t.bytes
		if t.lastAt.After(last) {
			last = t.lastAt
		}
	}
	r.Requests = len(r.Latencies)
	r.Elapsed = last.Sub(measureFrom)
	slices.Sort(r.Latencies)
	return r
}

// fetch does one GET, reads the whole body and reports its size and
// whether the answer was a success.
func fetch(ctx context.Context, client *http.Client, url string) (int64, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, false
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, false
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return n, err == nil && resp.StatusCode == http.StatusOK
}
