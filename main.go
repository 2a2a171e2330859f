// Command esimshop is an eSIM shop in one binary: it sells Billionconnect's
// eSIM plans, takes payment with Stripe and delivers the eSIM.
//
//	esimshop [flags]                    serve the shop
//	esimshop sync [flags]               sync the catalog from the vendor once and exit
//	esimshop backup [-db FILE] DEST     write a consistent copy of the database to DEST
//	esimshop admin create --email ADDR  create an admin (password asked on the terminal)
//	esimshop admin unlock               forget recorded failed sign-ins
//	esimshop service-unit [flags]       print a hardened systemd unit
//	esimshop doctor [flags]             check a production configuration
//
// Run with -demo to use the built-in vendor sandbox instead of the real
// Billionconnect API. Settings come from flags and the environment; see
// README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"
)

// defaultMemoryLimit is the Go runtime's soft memory limit unless
// GOMEMLIMIT says otherwise. It is a ceiling, not a target: the collector
// still paces itself on live data (about 25 MB with a 5,000-SKU catalog),
// so an idle shop stays small. The former 48 MiB made it collect 21 times
// a second under a burst of buyers (849 collections in 40 s against 100 at
// 256 MiB), halving orders served and doubling notice latency; the burst's
// peak resident memory was 86 MiB at 48 MiB and 155 MiB at 256 MiB
// (BENCHMARKS.md, "Write path under a burst").
const defaultMemoryLimit = 256 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "esimshop:", err)
		}
		os.Exit(2)
	}
}

// run parses the command line and runs the chosen command.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		switch args[0] {
		case "serve", "sync":
			cmd, args = args[0], args[1:]
		case "backup":
			return runBackup(args[1:], getenv, stdout, stderr)
		case "admin":
			return runAdmin(args[1:], getenv, os.Stdin, stdout, stderr)
		case "import-wp":
			return runImportWP(args[1:], getenv, stdout, stderr)
		case "doctor":
			return runDoctor(args[1:], getenv, stdout, stderr)
		case "service-unit":
			return runServiceUnit(args[1:], stdout, stderr)
		case "restore":
			return runRestore(args[1:], getenv, stdout, stderr)
		case "sandbox":
			return runSandbox(args[1:], getenv, stdout, stderr)
		}
	}
	cfg, err := loadConfig(cmd, args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(stderr)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := NewMain(cfg, log)
	if cmd == "sync" {
		defer m.Close()
		return m.SyncOnce(ctx, stdout)
	}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	log.Info("esimshop listening", "addr", m.Addr(), "base_url", cfg.BaseURL, "demo", cfg.Demo)
	<-ctx.Done()
	log.Info("shutting down")
	return m.Close()
}

// newLogger logs text to a terminal and JSON otherwise.
func newLogger(w io.Writer) *slog.Logger {
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return slog.New(slog.NewTextHandler(w, nil))
		}
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// shutdownTimeout bounds graceful shutdown.
const shutdownTimeout = 20 * time.Second
