package web

import (
	"sync"
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

// webhookLimiter caps failed webhook deliveries (bad signature, malformed
// body) per client IP: once an address has failed maxWebhookFailures
// times in a minute, it gets 429 until the minute ends. Only failures are
// counted, after the fact, so a vendor sending a burst of genuine notices
// — however many at once — is never slowed down.
func (a *App) webhookLimiter() fiber.Handler {
	var (
		mu       sync.Mutex
		window   time.Time
		failures = map[string]int{}
	)
	return func(c *fiber.Ctx) error {
		ip, now := a.ip.Of(c), time.Now()
		mu.Lock()
		if now.Sub(window) >= time.Minute {
			window, failures = now, map[string]int{} // also bounds the map
		}
		blocked := failures[ip] >= maxWebhookFailures
		mu.Unlock()
		if blocked {
			return c.Status(fiber.StatusTooManyRequests).SendString("too many failed webhook deliveries")
		}
		err := c.Next()
		if st := c.Response().StatusCode(); err != nil || st == fiber.StatusBadRequest || st == fiber.StatusUnauthorized || st >= 500 {
			mu.Lock()
			failures[ip]++
			mu.Unlock()
		}
		return err
	}
}

// maxWebhookFailures is how many failed webhook deliveries an address may
// make per minute.
const maxWebhookFailures = 30
