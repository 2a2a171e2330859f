package admin

import (
	"sync"
	"time"

	"github.com/esimshop/esimshop/store"
)

// Sign-in limits, per loginWindow. An address that keeps failing for one
// account, or for many, is refused (429) for the rest of the window. An
// account failing from many addresses is never locked — that would let
// anyone anywhere lock the operator out — but each further attempt for it
// waits a little longer, up to maxSignInDelay, which makes guessing slow
// from everywhere and leaves the real operator able to sign in.
const (
	maxPairFails   = 5  // failures for one account from one address
	maxIPFails     = 20 // failures from one address, any account
	delayAfter     = 5  // failures for an account before its attempts wait
	maxSignInDelay = 15 * time.Second
)

// signinLimiter counts the sign-in attempts being checked right now, per
// account, address and both: a burst of parallel guesses must not all
// pass the limit before any of them is recorded (bcrypt takes a quarter
// of a second).
type signinLimiter struct {
	mu      sync.Mutex
	byEmail map[string]int
	byIP    map[string]int
	byPair  map[string]int
}

// enter admits one sign-in attempt if the recorded failures plus the
// attempts in flight stay under the limits, and says how long it must
// wait first; leave must follow an admitted attempt.
func (s *signinLimiter) enter(email, ip string, failed func() (store.LoginFailures, error)) (ok bool, wait time.Duration, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := failed()
	if err != nil {
		return false, 0, err
	}
	pair := email + "\x00" + ip
	if f.ByPair+s.byPair[pair] >= maxPairFails || f.ByIP+s.byIP[ip] >= maxIPFails {
		return false, 0, nil
	}
	if s.byEmail == nil {
		s.byEmail, s.byIP, s.byPair = map[string]int{}, map[string]int{}, map[string]int{}
	}
	wait = signInDelay(f.ByEmail + s.byEmail[email])
	s.byEmail[email]++
	s.byIP[ip]++
	s.byPair[pair]++
	return true, wait, nil
}

// leave ends an attempt admitted by enter.
func (s *signinLimiter) leave(email, ip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for m, k := range map[*map[string]int]string{&s.byEmail: email, &s.byIP: ip, &s.byPair: email + "\x00" + ip} {
		if (*m)[k]--; (*m)[k] <= 0 {
			delete(*m, k)
		}
	}
}

// signInDelay is the wait before checking an account's password after
// failures: none below delayAfter, then 1 s, 2 s, 4 s … up to maxSignInDelay.
func signInDelay(failures int) time.Duration {
	if failures < delayAfter {
		return 0
	}
	return min(time.Second<<min(failures-delayAfter, 8), maxSignInDelay)
}
