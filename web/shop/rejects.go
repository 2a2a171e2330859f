package shop

import (
	"net/http"
	"sync"
	"time"
)

// Webhook abuse limits. A delivery whose signature verifies is never
// limited, however many arrive; only failed signatures count, per client
// address and per minute. Past maxFailuresPerIP an address is answered
// 429 without a database write, and at most rejectedStoredPerMinute
// failed deliveries are kept (1 KB each) across all addresses, so a flood
// of junk costs a constant per request.
const (
	maxFailuresPerIP        = 30
	rejectedStoredPerMinute = 20
)

// replyTooMany answers an address that keeps sending unverifiable deliveries.
var replyTooMany = text(http.StatusTooManyRequests, "too many failed webhook deliveries")

// rejects counts failed signatures in the current minute.
type rejects struct {
	mu      sync.Mutex
	window  time.Time
	byIP    map[string]int
	stored  int // failed deliveries kept in the database this minute
	dropped int // failed deliveries not kept this minute
}

// fail counts one failed signature from ip. blocked is true when ip has
// used up its failures (answer 429, store nothing); keep is true when the
// delivery is one of the few stored this minute. dropped is how many were
// not kept in the minute that just ended, for one log line.
func (r *rejects) fail(ip string, now time.Time) (blocked, keep bool, dropped int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if now.Sub(r.window) >= time.Minute {
		dropped = r.dropped
		r.window, r.byIP, r.stored, r.dropped = now, map[string]int{}, 0, 0 // also bounds the map
	}
	if r.byIP[ip] >= maxFailuresPerIP {
		r.dropped++
		return true, false, dropped
	}
	r.byIP[ip]++
	if r.stored >= rejectedStoredPerMinute {
		r.dropped++
		return false, false, dropped
	}
	r.stored++
	return false, true, dropped
}
