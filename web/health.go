package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/esimshop/esimshop/store"
)

// handleReady answers whether the shop can serve buyers: the database
// answers and the last catalog sync did not fail. A failed last sync is
// "not ready" so a monitor notices, even though the previous catalog is
// still being served.
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
	}
	return c.SendString("ready")
}

// checkoutLimiter caps checkout attempts per client IP, so nobody can
// flood the payment provider (or the order table) from one address.
func (a *App) checkoutLimiter() fiber.Handler {
	limit := a.cfg.CheckoutPerMinute
	if limit <= 0 {
		limit = 20
	}
	return limiter.New(limiter.Config{
		Max:          limit,
		Expiration:   time.Minute,
		KeyGenerator: a.clientIP,
		LimitReached: func(c *fiber.Ctx) error {
			return &pageError{status: fiber.StatusTooManyRequests, key: "error.rate_limited"}
		},
	})
}

// webhookLimiter caps failed webhook deliveries (bad signature, malformed
// body) per client IP. Successful deliveries are not counted, so a vendor
// sending a burst of genuine notices is never slowed down.
func (a *App) webhookLimiter() fiber.Handler {
	return limiter.New(limiter.Config{
		Max:                    30,
		Expiration:             time.Minute,
		SkipSuccessfulRequests: true,
		KeyGenerator:           a.clientIP,
		LimitReached: func(c *fiber.Ctx) error {
			return c.Status(fiber.StatusTooManyRequests).SendString("too many failed webhook deliveries")
		},
	})
}
