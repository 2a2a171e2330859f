// Command bench is the shop's reproducible load benchmark (issue 6). It
// builds the binary, starts it on the demo sandbox with a generated catalog,
// times start-up, loads the home, a country and a plan page and a static
// file (the ceiling) over loopback with a fixed number of keep-alive
// connections for a fixed time, buys orders through checkout and the demo
// payment, sends one signed N009 per order, checks every order was
// delivered, and reports latencies, throughput and resident memory against
// the targets.
//
//	go run ./bench            # from the repository root
//	go run ./bench -md        # also print the tables as Markdown
//
// The load generator runs in this process on the same cores as the shop,
// as in the WordPress comparison (wrk on the same machine).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// options are the command-line settings.
type options struct {
	conns    int
	duration time.Duration
	warmup   time.Duration
	orders   int
	skus     int
	country  string
	ceiling  string
	bin      string
	src      string
	md       bool
	keep     bool
	env      envList
	burst    bool          // only the write-path burst
	burstC   int           // its buyers
	burstD   time.Duration // its length
	restart  bool          // only the restart under load
}

// envList is a repeatable -env KEY=VALUE flag.
type envList []string

// String lists the variables.
func (e *envList) String() string { return strings.Join(*e, " ") }

// Set adds one KEY=VALUE.
func (e *envList) Set(v string) error {
	if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
		return fmt.Errorf("%q is not KEY=VALUE", v)
	}
	*e = append(*e, v)
	return nil
}

func main() {
	var o options
	flag.IntVar(&o.conns, "c", 32, "concurrent keep-alive connections (and N009 senders)")
	flag.DurationVar(&o.duration, "d", 10*time.Second, "measured time per target")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured warm-up per target")
	flag.IntVar(&o.orders, "orders", 1000, "paid orders to create, one N009 each")
	flag.IntVar(&o.skus, "skus", 5000, "size of the generated demo catalog")
	flag.StringVar(&o.country, "country", "jp", "ISO code of the country page to load")
	flag.StringVar(&o.ceiling, "ceiling", "", "path of the static-file ceiling (default: the page's hashed CSS)")
	flag.StringVar(&o.bin, "bin", "", "use this esimshop binary instead of building one")
	flag.StringVar(&o.src, "src", ".", "module directory to build the binary from")
	flag.BoolVar(&o.md, "md", false, "also print the results as Markdown")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (database, shop log)")
	flag.Var(&o.env, "env", "extra KEY=VALUE for the shop's environment, e.g. GOGC=50 (repeatable)")
	flag.BoolVar(&o.burst, "burst", false, "run only the write-path burst: -burst-c buyers for -burst-d with vendor notices arriving")
	flag.IntVar(&o.burstC, "burst-c", 200, "buyers (connections) in the burst")
	flag.DurationVar(&o.burstD, "burst-d", 40*time.Second, "length of the burst")
	flag.BoolVar(&o.restart, "restart", false, "run only the restart under load: -c clients on the country page for -d, the shop restarted half-way")
	serve := flag.String("serve-file", "", "internal: serve this file as the same-bytes reference")
	flag.Parse()
	if *serve != "" {
		if err := serveFile(*serve); err != nil {
			fmt.Fprintln(os.Stderr, "bench: reference server:", err)
			os.Exit(1)
		}
		return
	}
	if o.conns < 1 || o.orders < 1 || o.skus < 1 || o.duration <= 0 || o.warmup < 0 {
		fmt.Fprintln(os.Stderr, "bench: -c, -orders, -skus and -d must be positive")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// progress reports what the benchmark is doing, on stderr so that stdout
// holds only the results.
func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// run performs the whole benchmark and prints the report.
func run(ctx context.Context, o options) error {
	host := describeMachine() // before the shop adds load
	dir, err := os.MkdirTemp("", "esimshop-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		progress("keeping %s", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	bin := o.bin
	if bin == "" {
		progress("building the shop from %s", o.src)
		if bin, err = buildBinary(o.src, dir); err != nil {
			return err
		}
	}
	db, logPath := filepath.Join(dir, "bench.db"), filepath.Join(dir, "shop.log")

	// 1. Cold start on an empty database: the catalog comes from a sync.
	progress("cold start: empty database, %d-SKU catalog sync", o.skus)
	srv, err := startServer(bin, db, o.skus, o.env, logPath)
	if err != nil {
		return err
	}
	cold, err := srv.waitReady(ctx, o.country, true, time.Minute)
	if _, serr := srv.stop(30 * time.Second); err == nil && serr != nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("cold start: %w (log: %s)", err, logPath)
	}
	// 2. Restart on that database: start-up with the catalog in place.
	progress("warm start: same database")
	if srv, err = startServer(bin, db, o.skus, o.env, logPath); err != nil {
		return err
	}
	defer func() {
		if d, err := srv.stop(30 * time.Second); err != nil {
			progress("stopping the shop: %v", err)
		} else {
			progress("the shop shut down gracefully in %s", d.Round(time.Millisecond))
		}
	}()
	warm, err := srv.waitReady(ctx, o.country, false, time.Minute)
	if err != nil {
		return fmt.Errorf("warm start: %w (log: %s)", err, logPath)
	}
	memReady, err := readMemory(srv.cmd.Process.Pid)
	if err != nil {
		return fmt.Errorf("reading the shop's memory: %w", err)
	}

	t, err := pickTargets(ctx, srv.base, o)
	if err != nil {
		return err
	}
	if o.restart {
		progress("restart under load: %d clients for %s, SIGTERM and a new process half-way", o.conns, o.duration)
		rep, next, err := runRestart(ctx, srv, bin, db, logPath, o, srv.port())
		if next != nil {
			srv = next
		}
		if err != nil {
			return err
		}
		rep.print(os.Stdout)
		return nil
	}
	if o.burst {
		progress("write-path burst: %d buyers for %s, vendor notices arriving", o.burstC, o.burstD)
		rep, err := runBurst(ctx, srv, t.sku, o.burstC, o.burstD)
		if err != nil {
			return err
		}
		rep.print(os.Stdout)
		return nil
	}
	client := newClient(o.conns)
	var results []result
	for _, tg := range t.loads {
		progress("loading %s (%s) with %d connections for %s after %s warm-up", tg.name, tg.path, o.conns, o.duration, o.warmup)
		r := load(ctx, client, tg.name, srv.base+tg.path, o.conns, o.warmup, o.duration)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		results = append(results, r)
	}
	ref, err := startReference(t.countryBody, dir)
	if err != nil {
		return err
	}
	progress("loading the country page's bytes from a minimal net/http server (reference)")
	refResult := load(ctx, newClient(o.conns), referenceName, ref.base+"/", o.conns, o.warmup, o.duration)
	ref.stop()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	results = append(results, refResult)

	progress("buying %d plans through checkout and the demo payment (%d buyers)", o.orders, o.conns)
	orders, buyTime, err := createPaidOrders(ctx, client, srv.base, t.sku, o.orders, o.conns)
	if err != nil {
		return fmt.Errorf("creating orders: %w", err)
	}
	progress("%d orders paid in %s (%.0f orders/s)", len(orders), buyTime.Round(time.Millisecond), float64(len(orders))/buyTime.Seconds())
	progress("sending %d signed N009 notices from %d senders", len(orders), o.conns)
	burstStart := time.Now()
	burst, err := noticeBurst(ctx, client, srv.base, orders, o.conns)
	if err != nil {
		return err
	}
	burstEnd := time.Now()
	sandboxN009 := 0
	for _, l := range srv.logged("sandbox:") {
		if strings.Contains(l.Msg, "N009 delivered") && !l.At.Before(burstStart) && !l.At.After(burstEnd) {
			sandboxN009++
		}
	}
	burst.Note = fmt.Sprintf("%d of the sandbox's own N009s landed during the burst", sandboxN009)
	results = append(results, burst)
	progress("checking that every order is delivered")
	problems := verifyDelivered(ctx, client, srv.base, orders, o.conns)
	mem, err := readMemory(srv.cmd.Process.Pid)
	if err != nil {
		return fmt.Errorf("reading the shop's memory: %w", err)
	}

	rep := report{
		opts: o, machine: host, cold: cold, warm: warm, targets: t,
		results: results, orders: len(orders), buyTime: buyTime, problems: problems, mem: mem, memReady: memReady,
	}
	rep.print(os.Stdout, false)
	if o.md {
		fmt.Println()
		rep.print(os.Stdout, true)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d of %d orders were not delivered as expected", len(problems), len(orders))
	}
	return nil
}

// loadTarget is one URL to load.
type loadTarget struct{ name, path string }

// targets are the URLs the benchmark loads, found on the shop's own pages.
type targets struct {
	loads       []loadTarget
	sku         string // the plan bought in the N009 part
	countryBody []byte // the country page as first fetched
	plans       int    // plans listed on the country page
}

// referenceName names the same-bytes reference in the results.
const referenceName = "same bytes, net/http ref."

var (
	planLinkRE = regexp.MustCompile(`href="/plans/([0-9A-Za-z_-]+)"`)
	cssLinkRE  = regexp.MustCompile(`href="(/static/style\.[0-9a-f]+\.css)"`)
)

// pickTargets reads the country page and takes its first plan and its
// stylesheet (the static-file ceiling unless -ceiling names another path).
func pickTargets(ctx context.Context, base string, o options) (targets, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	countryPath := "/destinations/" + strings.ToLower(o.country)
	status, body, err := get(ctx, client, base+countryPath)
	if err != nil || status != http.StatusOK {
		return targets{}, fmt.Errorf("country page %s: HTTP %d %v", countryPath, status, err)
	}
	t := targets{countryBody: body}
	seen := map[string]bool{}
	for _, m := range planLinkRE.FindAllSubmatch(body, -1) {
		if sku := string(m[1]); !seen[sku] {
			seen[sku] = true
			if t.sku == "" {
				t.sku = sku
			}
		}
	}
	t.plans = len(seen)
	if t.sku == "" {
		return t, errors.New("the country page links no plan")
	}
	ceiling := o.ceiling
	if ceiling == "" {
		m := cssLinkRE.FindSubmatch(body)
		if m == nil {
			return t, errors.New("the country page links no hashed stylesheet; pass -ceiling")
		}
		ceiling = string(m[1])
	}
	t.loads = []loadTarget{
		{"home", "/"},
		{"country page", countryPath},
		{"plan page", "/plans/" + t.sku},
		{"static ceiling", ceiling},
	}
	return t, nil
}
