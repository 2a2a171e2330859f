package shop

import (
	"context"
	"sync"
	"time"

	"github.com/esimshop/esimshop/bc"
)

// Vendor balance caching.
const (
	balanceTTL      = 5 * time.Minute  // F014 answers are reused this long
	balanceErrorTTL = time.Minute      // a failed F014 is retried after this
	balanceTimeout  = 10 * time.Second // a slow vendor must not hold the dashboard
)

// balanceCache is the last F014 answer.
type balanceCache struct {
	mu      sync.Mutex
	balance *bc.Balance // nil until one succeeded
	at      time.Time   // when balance (or err) was fetched
	err     error       // the last fetch's failure, shown until the next try
}

// VendorBalance returns the vendor balance (F014), fetched at most every
// five minutes: the dashboard is reloaded often and the vendor rate-limits.
// A failure is remembered for a minute; the last good balance is still
// returned with it.
func (s *Shop) VendorBalance(ctx context.Context) (*bc.Balance, time.Time, error) {
	c := &s.balance
	c.mu.Lock()
	defer c.mu.Unlock()
	now := s.Now()
	fresh := c.at.Add(balanceTTL)
	if c.err != nil {
		fresh = c.at.Add(balanceErrorTTL)
	}
	if !c.at.IsZero() && now.Before(fresh) {
		return c.balance, c.at, c.err
	}
	ctx, cancel := context.WithTimeout(ctx, balanceTimeout)
	defer cancel()
	b, err := s.Vendor.Balance(ctx)
	c.at, c.err = now, err
	if err != nil {
		s.Log.WarnContext(ctx, "vendor balance (F014) failed", "err", err)
		return c.balance, c.at, err
	}
	c.balance = b
	return b, now, nil
}
