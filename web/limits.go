package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/limiter"

	"github.com/esimshop/esimshop/web/httpx"
)

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
		KeyGenerator: a.ip.Of,
		LimitReached: func(c *fiber.Ctx) error {
			return &httpx.PageError{Status: fiber.StatusTooManyRequests, Key: "error.rate_limited"}
		},
	})
}
