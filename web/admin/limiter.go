package admin

import "sync"

// signinLimiter counts the sign-in attempts being checked right now, per
// email and per IP: a burst of parallel guesses must not all pass the
// limit before any of them is recorded (bcrypt takes a quarter of a
// second).
type signinLimiter struct {
	mu      sync.Mutex
	byEmail map[string]int
	byIP    map[string]int
}

// enter admits one sign-in attempt if the recorded failures plus the
// attempts in flight stay under the limits; leave must follow.
func (s *signinLimiter) enter(email, ip string, failed func() (byEmail, byIP int, err error)) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	byEmail, byIP, err := failed()
	if err != nil {
		return false, err
	}
	if byEmail+s.byEmail[email] >= maxEmailFails || byIP+s.byIP[ip] >= maxIPFails {
		return false, nil
	}
	if s.byEmail == nil {
		s.byEmail, s.byIP = map[string]int{}, map[string]int{}
	}
	s.byEmail[email]++
	s.byIP[ip]++
	return true, nil
}

// leave ends an attempt admitted by enter.
func (s *signinLimiter) leave(email, ip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byEmail[email]--; s.byEmail[email] <= 0 {
		delete(s.byEmail, email)
	}
	if s.byIP[ip]--; s.byIP[ip] <= 0 {
		delete(s.byIP, ip)
	}
}
