package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/esimshop/esimshop/store"
)

// TestReplicaRestore runs the demo with REPLICA_URL set to a file
// replica, buys a plan, stops the shop, and restores the replica with
// `esimshop restore` into a new file that holds the paid order.
func TestReplicaRestore(t *testing.T) {
	dir := t.TempDir()
	url := "file://" + filepath.Join(dir, "replica")
	m := startDemo(t, map[string]string{"REPLICA_URL": url})
	base := "http://" + m.Addr()
	waitCatalog(t, base)
	demoPurchase(t, base)
	if body, status := fetch(t, base+"/readyz"); status != 200 || !strings.Contains(body, "replica") {
		t.Errorf("/readyz: %d %q; want ready with the replica's lag", status, body)
	}
	if body, _ := fetch(t, base+"/metrics"); !strings.Contains(body, "esimshop_replication_lag_seconds ") {
		t.Error("/metrics lacks the replication lag")
	}
	if err := m.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	dest := filepath.Join(dir, "restored.db")
	var out bytes.Buffer
	if err := run([]string{"restore", "-replica", url, dest}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if !strings.Contains(out.String(), "restored") {
		t.Errorf("restore said %q", out.String())
	}
	if err := run([]string{"restore", "-replica", url, dest}, func(string) string { return "" }, io.Discard, io.Discard); err == nil {
		t.Error("restore over an existing file succeeded")
	}
	db, err := store.Open(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st, err := db.OrderStats(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Orders != 1 || st.Paid != 1 {
		t.Errorf("restored database has %d orders, %d paid (%v); want the one paid order", st.Orders, st.Paid, st.ByStatus)
	}
}

// waitCatalog waits until the Japan page lists plans.
func waitCatalog(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if body, status := fetch(t, base+"/destinations/jp"); status == 200 && strings.Contains(body, `href="/plans/`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("catalog not served within 20s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
