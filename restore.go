package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/esimshop/esimshop/web/replica"
)

// runRestore writes the database from the Litestream replica into a new
// file: esimshop restore [-replica URL] [-at TIME] DEST. Recovery: stop
// the shop (or use a new machine), restore to a new file, move it to
// DB_PATH (removing any -wal/-shm files there), start the shop.
func runRestore(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("esimshop restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("replica", strings.TrimSpace(getenv("REPLICA_URL")), "replica URL (env REPLICA_URL)")
	at := fs.String("at", "", "restore the state at this RFC 3339 time (default: the latest)")
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: esimshop restore [-replica URL] [-at 2026-01-02T15:04:05Z] DEST") }
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("restore needs exactly one destination file")
	}
	if *url == "" {
		return errors.New("restore needs -replica or REPLICA_URL")
	}
	var when time.Time
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return fmt.Errorf("-at %q must be an RFC 3339 time like 2026-01-02T15:04:05Z", *at)
		}
		when = t
	}
	start := time.Now()
	if err := replica.Restore(context.Background(), *url, when, fs.Arg(0)); err != nil {
		return err
	}
	_, err := fmt.Fprintf(stdout, "restored %s in %s\n", fs.Arg(0), time.Since(start).Round(time.Millisecond))
	return err
}
