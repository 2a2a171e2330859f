package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
)

// handleReady answers whether the shop can serve buyers: the database
// answers and the last catalog sync did not fail. A failed last sync is
// "not ready" so a monitor notices, even though the previous catalog is
// still being served.
// MaxReplicaLag is how far behind the replica may fall before /readyz
// reports the shop unready: Litestream ships every second, so a minute
// means the replica's store is failing.
const MaxReplicaLag = time.Minute

func (a *App) handleReady(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := a.db.Ping(ctx); err != nil {
		a.log.ErrorContext(ctx, "readiness: database", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
	}
	run, err := a.db.LastSync(ctx)
	switch {
	case store.ErrorCode(err) == store.ENOTFOUND:
		return c.Status(fiber.StatusServiceUnavailable).SendString("catalog not synced yet")
	case err != nil:
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
	case !run.OK:
		return c.Status(fiber.StatusServiceUnavailable).SendString("last catalog sync failed at " + run.StartedAt.UTC().Format(time.RFC3339))
	case len(a.snapshot().SKUs()) == 0:
		// Synced but not swapped in yet (or nothing sellable): buyers
		// would see an empty shop.
		return c.Status(fiber.StatusServiceUnavailable).SendString("catalog not loaded yet")
	}
	if a.cfg.ReplicaLag != nil {
		lag := a.cfg.ReplicaLag()
		if lag > MaxReplicaLag {
			return c.Status(fiber.StatusServiceUnavailable).SendString("replica " + lag.Round(time.Second).String() + " behind")
		}
		return c.SendString("ready; replica " + lag.Round(time.Millisecond).String() + " behind")
	}
	return c.SendString("ready")
}
