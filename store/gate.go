package store

import (
	"context"
	"sync"
)

// The single writer is shared by everything that changes the database.
// Left to database/sql, its waiters queue without bound and in no useful
// order: after a burst of checkouts the vendor's notices, payment
// confirmations and the job workers wait behind hundreds of them and time
// out, and the vendor retries, which makes it worse. The gate puts order
// into that queue: the order's own life (notices, payments, placement,
// mail) goes first; work marked Bulk (a new checkout, an operator's
// edit) waits behind it, at most maxBulkWaiting at a time — beyond that
// it is refused at once with EUNAVAILABLE, which the buyer sees as "busy,
// try again" instead of a page that hangs.
const maxBulkWaiting = 64

// priorityKey keys a write's priority on its context.
type priorityKey struct{}

// Bulk marks ctx's writes as ones that may wait for, and be refused in
// favour of, the order's own life (see the gate).
func Bulk(ctx context.Context) context.Context {
	return context.WithValue(ctx, priorityKey{}, true)
}

// isBulk reports whether ctx's writes were marked Bulk.
func isBulk(ctx context.Context) bool {
	b, _ := ctx.Value(priorityKey{}).(bool)
	return b
}

// gate hands the writer to one transaction at a time: waiting critical
// writes first, in arrival order, then bulk ones.
type gate struct {
	mu             sync.Mutex
	busy           bool
	critical, bulk []chan struct{}
}

// acquire waits for the writer until ctx ends; a bulk write is refused
// when too many already wait.
func (g *gate) acquire(ctx context.Context) error {
	g.mu.Lock()
	if !g.busy {
		g.busy = true
		g.mu.Unlock()
		return nil
	}
	bulk := isBulk(ctx)
	if bulk && len(g.bulk) >= maxBulkWaiting {
		g.mu.Unlock()
		return Errorf(EUNAVAILABLE, "the shop is busy; try again in a moment")
	}
	ch := make(chan struct{})
	if bulk {
		g.bulk = append(g.bulk, ch)
	} else {
		g.critical = append(g.critical, ch)
	}
	g.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.remove(ch) {
			return ctx.Err()
		}
		// Handed the writer just as ctx ended: pass it on.
		g.handOff()
		return ctx.Err()
	}
}

// release hands the writer to the next waiter, or frees it.
func (g *gate) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.handOff()
}

// handOff gives the writer to the first critical waiter, else the first
// bulk one, else marks it free; g.mu is held.
func (g *gate) handOff() {
	for _, q := range []*[]chan struct{}{&g.critical, &g.bulk} {
		if len(*q) > 0 {
			ch := (*q)[0]
			*q = (*q)[1:]
			close(ch)
			return
		}
	}
	g.busy = false
}

// remove takes ch out of the queues; false if it was already handed the writer.
func (g *gate) remove(ch chan struct{}) bool {
	for _, q := range []*[]chan struct{}{&g.critical, &g.bulk} {
		for i, c := range *q {
			if c == ch {
				*q = append((*q)[:i], (*q)[i+1:]...)
				return true
			}
		}
	}
	return false
}
