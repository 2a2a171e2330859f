package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/esimshop/esimshop/bc/sandbox"
)

// runSandbox is "esimshop sandbox": the vendor simulator as a process of
// its own, so the shop can be run (and killed) against it as against the
// real vendor — by the crash test, the benchmark, or anyone trying the
// shop with `-demo -demo-vendor URL`. It prints the API URL on stdout and
// serves until SIGINT or SIGTERM. The channel's key and secret come from
// BC_APP_KEY and BC_APP_SECRET, as for the shop.
func runSandbox(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("esimshop sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	callback := fs.String("callback", "", "the shop's notice URL, e.g. http://127.0.0.1:8080/webhooks/billionconnect")
	delay := fs.Duration("notice-delay", 2*time.Second, "wait before an order's notices, and the unit of their retries")
	install := fs.Duration("install-step", 20*time.Second, "each step of a simulated install of a delivered eSIM (F042, N012); 0 for none")
	skus := fs.Int("skus", 0, "generate a catalog of this many SKUs instead of the embedded one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	key, secret := strings.TrimSpace(getenv("BC_APP_KEY")), strings.TrimSpace(getenv("BC_APP_SECRET"))
	if key == "" || secret == "" {
		return errors.New("sandbox needs BC_APP_KEY and BC_APP_SECRET in the environment")
	}
	cat := sandbox.Default()
	if *skus > 0 {
		cat = sandbox.Generate(*skus, 1)
	}
	log := newLogger(stderr)
	sb := sandbox.New(sandbox.Config{
		AppKey: key, AppSecret: secret, SalesMethod: "5", CallbackURL: *callback, NoticeDelay: *delay, InstallStep: *install, Catalog: cat,
		Logf: func(format string, args ...any) { log.Info("sandbox: " + fmt.Sprintf(format, args...)) },
	})
	defer sb.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: sb, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	fmt.Fprintf(stdout, "http://%s/Flow/saler/2.0/invoke\n", ln.Addr())
	log.Info("vendor sandbox listening", slog.String("addr", ln.Addr().String()))
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
