package shop

import (
	"context"
	"time"
)

// housekeepingEvery is how often old records are purged.
const housekeepingEvery = time.Hour

// housekeeping purges expired admin sessions, day-old sign-in attempts
// (the rate limit only looks back 15 minutes) and vendor notices past
// their retention (the first copy of each about an order stays), so those
// tables stay small.
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
		if n, err := s.DB.PurgeVendorNotices(ctx, now.Add(-s.NoticeRetention)); err != nil && ctx.Err() == nil {
			s.Log.Error("purging vendor notices", "err", err)
		} else if n > 0 {
			s.Log.Info("old vendor notices purged", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
