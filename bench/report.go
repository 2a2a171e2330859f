package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"
)

// machine describes where the benchmark ran.
type machine struct {
	CPU    string
	Cores  int
	Go     string
	OS     string
	Kernel string
	Load   string // /proc/loadavg at the start: other work on a shared machine skews the figures
}

// describeMachine reads the CPU model, OS and kernel from /proc and
// /etc/os-release; anything unreadable is reported as "unknown".
func describeMachine() machine {
	m := machine{CPU: "unknown", Cores: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH, Kernel: "unknown"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				m.OS = strings.Trim(v, `"`) + " (" + m.OS + ")"
			}
		}
	}
	m.Load = "unknown"
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			m.Load = strings.Join(f[:3], " ")
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// ms formats a latency in milliseconds with two decimals.
func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// mb formats a byte count in decimal megabytes, the unit of the targets.
func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// report is everything one run measured.
type report struct {
	opts     options
	machine  machine
	cold     startup // empty database: the catalog comes from a sync
	warm     startup // restart on the synced database
	targets  targets
	results  []result // home, country, plan, static ceiling, N009 burst
	orders   int
	buyTime  time.Duration
	problems []string // orders not delivered as expected
	mem      memory   // after the run
	memReady memory   // after the warm start, before any load
}

// byName returns the result called name.
func (r report) byName(name string) result {
	for _, x := range r.results {
		if x.Name == name {
			return x
		}
	}
	return result{}
}

// print writes the whole report as text, or as Markdown when md is set.
func (r report) print(w io.Writer, md bool) {
	bullet := ""
	if md {
		bullet = "- "
	}
	m := r.machine
	fmt.Fprintf(w, "%sMachine: %s, %d cores, %s, kernel %s, %s; load average before the run %s\n",
		bullet, m.CPU, m.Cores, m.OS, m.Kernel, m.Go, m.Load)
	fmt.Fprintf(w, "%sLoad: %d keep-alive connections, %s measured after %s warm-up per target, generator in the same process on the same cores\n",
		bullet, r.opts.conns, r.opts.duration, r.opts.warmup)
	fmt.Fprintf(w, "%sCatalog: %d generated SKUs; country page /destinations/%s lists %d plans, %d bytes\n",
		bullet, r.opts.skus, strings.ToLower(r.opts.country), r.targets.plans, len(r.targets.countryBody))
	fmt.Fprintf(w, "%sCold start (empty database): listening %s ms, catalog ready %s ms, catalog sync %s ms (from the log)\n",
		bullet, ms(r.cold.Listening), ms(r.cold.CatalogReady), ms(r.cold.SyncDuration))
	fmt.Fprintf(w, "%sWarm start (catalog in the database): listening %s ms, catalog ready %s ms\n",
		bullet, ms(r.warm.Listening), ms(r.warm.CatalogReady))
	fmt.Fprintln(w)
	printTable(w, r.results, md)
	fmt.Fprintln(w)
	burst := r.byName(r.results[len(r.results)-1].Name)
	fmt.Fprintf(w, "%sOrders: %d bought through checkout + demo payment in %s (%.0f orders/s); %s\n",
		bullet, r.orders, r.buyTime.Round(time.Millisecond), float64(r.orders)/r.buyTime.Seconds(), burst.Note)
	if len(r.problems) == 0 {
		fmt.Fprintf(w, "%sDelivery check: all %d orders delivered, each showing the ICCID of its benchmark N009\n", bullet, r.orders)
	} else {
		fmt.Fprintf(w, "%sDelivery check: %d of %d orders NOT delivered as expected, e.g.:\n", bullet, len(r.problems), r.orders)
		for _, p := range r.problems[:min(10, len(r.problems))] {
			fmt.Fprintf(w, "    %s\n", p)
		}
	}
	fmt.Fprintf(w, "%sShop memory: VmRSS %s when ready (before any load); after the run VmRSS %s, VmHWM (peak) %s\n",
		bullet, mb(r.memReady.RSS), mb(r.mem.RSS), mb(r.mem.HWM))
	fmt.Fprintln(w)
	printTargets(w, r.goals(), md)
}

// goals evaluates the targets.
func (r report) goals() []target {
	country, static, ref := r.byName("country page"), r.byName("static ceiling"), r.byName(referenceName)
	share, refShare := 0.0, 0.0
	if static.RPS() > 0 {
		share = country.RPS() / static.RPS()
	}
	if ref.RPS() > 0 {
		refShare = country.RPS() / ref.RPS()
	}
	ts := []target{
		{"country page throughput", "≥ 5,000 req/s", fmt.Sprintf("%.0f req/s", country.RPS()), country.RPS() >= 5000 && country.Errors == 0},
		{"country page vs static ceiling", "≥ 50%", fmt.Sprintf("%.0f%% of the shop's CSS (%.0f req/s, %d B vs %d B per response); %.0f%% of the same bytes from net/http (%.0f req/s)",
			100*share, static.RPS(), static.BytesPerResponse(), country.BytesPerResponse(), 100*refShare, ref.RPS()), share >= 0.5},
	}
	for _, name := range []string{"home", "country page", "plan page"} {
		x := r.byName(name)
		ts = append(ts, target{name + " p99", fmt.Sprintf("< 25 ms at %d connections", r.opts.conns),
			ms(x.Percentile(0.99)) + " ms", x.Percentile(0.99) < 25*time.Millisecond && x.Requests > 0})
	}
	return append(ts,
		target{"resident memory after the run", "< 80 MB", mb(r.mem.RSS), r.mem.RSS < 80e6},
		target{fmt.Sprintf("catalog sync of %d SKUs", r.opts.skus), "< 5 s", ms(r.cold.SyncDuration) + " ms",
			r.cold.SyncDuration > 0 && r.cold.SyncDuration < 5*time.Second},
		target{"start-up with that catalog", "< 1 s", ms(r.warm.CatalogReady) + " ms (to catalog ready)",
			r.warm.CatalogReady < time.Second},
	)
}

// printTable writes the results as an aligned text table, or as a Markdown
// table when md is set.
func printTable(w io.Writer, results []result, md bool) {
	header := []string{"target", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "bytes/resp", "MB/s"}
	rows := make([][]string, 0, len(results))
	for _, r := range results {
		mbps := float64(r.Bytes) / r.Elapsed.Seconds() / 1e6
		rows = append(rows, []string{
			r.Name, fmt.Sprint(r.Requests), fmt.Sprintf("%.0f", r.RPS()),
			ms(r.Percentile(0.50)), ms(r.Percentile(0.90)), ms(r.Percentile(0.99)), ms(r.Percentile(1)),
			fmt.Sprint(r.Errors), fmt.Sprint(r.BytesPerResponse()), fmt.Sprintf("%.1f", mbps),
		})
	}
	if md {
		fmt.Fprintln(w, "| "+strings.Join(header, " | ")+" |")
		fmt.Fprintln(w, "|"+strings.Repeat(" --- |", len(header)))
		for _, row := range rows {
			fmt.Fprintln(w, "| "+strings.Join(row, " | ")+" |")
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
}

// target is one of the goals and whether the run met it.
type target struct {
	What, Goal, Measured string
	Met                  bool
}

// printTargets writes the goals as a text or Markdown list.
func printTargets(w io.Writer, ts []target, md bool) {
	verdict := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	if md {
		fmt.Fprintln(w, "| target | goal | measured | |")
		fmt.Fprintln(w, "| --- | --- | --- | --- |")
		for _, t := range ts {
			fmt.Fprintf(w, "| %s | %s | %s | %s |\n", t.What, t.Goal, t.Measured, verdict(t.Met))
		}
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.What, t.Goal, t.Measured, verdict(t.Met))
	}
	tw.Flush()
}
