package metrics

import (
	"crypto/subtle"
	"net"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/esimshop/esimshop/web/httpx"
)

// Middleware counts every request by its route pattern (never the raw
// path: tokens and SKUs would make the label set unbounded), method and
// final status, and observes its latency.
func (m *Metrics) Middleware() fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			// The error handler has not run yet; it sets the final status.
			status = httpx.StatusOf(err)
		}
		route := c.Route().Path
		if status == fiber.StatusNotFound {
			// Unknown paths land on the catch-all; one label for them all.
			route = "not_found"
		}
		method := knownMethod(c.Method())
		m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		return err
	}
}

// knownMethod is m as a constant string, "other" for a method the shop
// does not route. Fiber's c.Method() points into the request buffer,
// which the next request on the connection overwrites: a label kept by
// the registry must never be that string itself.
func knownMethod(m string) string {
	for _, k := range []string{fiber.MethodGet, fiber.MethodHead, fiber.MethodPost, fiber.MethodPut,
		fiber.MethodPatch, fiber.MethodDelete, fiber.MethodOptions} {
		if m == k {
			return k
		}
	}
	return "other"
}

// Handler serves the registry at GET /metrics behind Guard.
func (m *Metrics) Handler() fiber.Handler {
	h := adaptor.HTTPHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	return func(c *fiber.Ctx) error {
		if status := m.guard(c); status != 0 {
			c.Set(fiber.HeaderCacheControl, "no-store")
			if status == fiber.StatusUnauthorized {
				c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			}
			return c.SendStatus(status)
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return h(c)
	}
}

// guard returns 0 when the scrape may proceed, else the status to answer.
// With a token: "Authorization: Bearer <token>", compared in constant
// time, from anywhere. Without one: only a loopback peer, and only when
// the request carries no forwarding header, since a reverse proxy on the
// same machine makes every visitor look like loopback.
func (m *Metrics) guard(c *fiber.Ctx) int {
	if m.token != "" {
		want := "Bearer " + m.token
		if subtle.ConstantTimeCompare([]byte(c.Get(fiber.HeaderAuthorization)), []byte(want)) != 1 {
			return fiber.StatusUnauthorized
		}
		return 0
	}
	for _, h := range []string{fiber.HeaderXForwardedFor, "Forwarded", "X-Real-Ip"} {
		if c.Get(h) != "" {
			return fiber.StatusNotFound
		}
	}
	ip := net.ParseIP(c.Context().RemoteIP().String())
	if ip == nil || !ip.IsLoopback() {
		return fiber.StatusNotFound
	}
	return 0
}
