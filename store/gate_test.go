package store

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestGateOrdersTheWriter: while the writer is busy, critical writes get it
// before bulk ones that queued earlier, a bulk write past the queue's bound
// is refused at once with EUNAVAILABLE, and a waiter whose context ends
// leaves the queue without holding the writer.
func TestGateOrdersTheWriter(t *testing.T) {
	var g gate
	ctx := context.Background()
	if err := g.acquire(ctx); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	wait := func(name string, c context.Context) {
		defer wg.Done()
		if err := g.acquire(c); err != nil {
			return
		}
		mu.Lock()
		order = append(order, name)
		mu.Unlock()
		g.release()
	}
	queued := func(n int) {
		deadline := time.Now().Add(5 * time.Second)
		for {
			g.mu.Lock()
			got := len(g.critical) + len(g.bulk)
			g.mu.Unlock()
			if got == n || time.Now().After(deadline) {
				return
			}
			time.Sleep(time.Millisecond)
		}
	}
	wg.Add(3)
	go wait("bulk-1", Bulk(ctx))
	queued(1)
	gone, cancel := context.WithCancel(Bulk(ctx))
	go wait("cancelled", gone)
	queued(2)
	go wait("critical", ctx)
	queued(3)
	cancel()
	queued(2)

	// Fill the bulk queue: the next bulk write is refused, a critical one is not.
	var fill []context.CancelFunc
	for range maxBulkWaiting - 1 {
		c, stop := context.WithCancel(Bulk(ctx))
		fill = append(fill, stop)
		wg.Add(1)
		go wait("filler", c)
	}
	queued(maxBulkWaiting + 1)
	if err := g.acquire(Bulk(ctx)); ErrorCode(err) != EUNAVAILABLE {
		t.Errorf("bulk write past the bound: %v, want EUNAVAILABLE", err)
	}
	for _, stop := range fill {
		stop()
	}
	queued(2)
	g.release()
	wg.Wait()
	if len(order) != 2 || order[0] != "critical" || order[1] != "bulk-1" {
		t.Errorf("writer handed out in order %v, want critical before bulk-1", order)
	}
	if g.busy {
		t.Error("the writer is still marked busy after everyone left")
	}
}
