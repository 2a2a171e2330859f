package shop

import (
	"context"
	"time"
)

// housekeepingEvery is how often old sign-in records are purged.
const housekeepingEvery = time.Hour

// housekeeping purges expired admin sessions and day-old sign-in attempts
// (the rate limit only looks back 15 minutes) so those tables stay small.
func (s *Shop) housekeeping(ctx context.Context) {
	t := time.NewTicker(housekeepingEvery)
	defer t.Stop()
	for {
		now := s.Now()
		if _, err := s.DB.PurgeExpiredAdminSessions(ctx, now); err != nil && ctx.Err() == nil {
			s.Log.Error("purging admin sessions", "err", err)
		}
		if _, err := s.DB.PurgeLoginAttempts(ctx, now.Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
			s.Log.Error("purging sign-in attempts", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
