package web

import (
	"context"
	"time"
)

// housekeepingEvery is how often old sign-in records are purged.
const housekeepingEvery = time.Hour

// housekeeping purges expired admin sessions and day-old sign-in attempts
// (the rate limit only looks back 15 minutes) so those tables stay small.
func (a *App) housekeeping(ctx context.Context) {
	t := time.NewTicker(housekeepingEvery)
	defer t.Stop()
	for {
		now := time.Now()
		if _, err := a.db.PurgeExpiredAdminSessions(ctx, now); err != nil && ctx.Err() == nil {
			a.log.Error("purging admin sessions", "err", err)
		}
		if _, err := a.db.PurgeLoginAttempts(ctx, now.Add(-24*time.Hour)); err != nil && ctx.Err() == nil {
			a.log.Error("purging sign-in attempts", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
