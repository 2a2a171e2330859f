package httpx

import (
	"context"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/gofiber/fiber/v2"
)

// ctxKey keys values the web layer puts on a request's context.
type ctxKey int

const ctxRequestID ctxKey = iota

// RequestIDHandler adds the request id found on the context to every log
// record, so each line written while serving a request can be traced back
// to it (and to the X-Request-Id the client saw).
type RequestIDHandler struct{ slog.Handler }

// Handle implements slog.Handler.
func (h RequestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id, ok := ctx.Value(ctxRequestID).(string); ok {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h RequestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return RequestIDHandler{h.Handler.WithAttrs(as)}
}

// WithGroup implements slog.Handler.
func (h RequestIDHandler) WithGroup(name string) slog.Handler {
	return RequestIDHandler{h.Handler.WithGroup(name)}
}

// AccessLog logs one line per request. It logs the route pattern, not
// the path: order pages and QR codes carry a bearer token in their path,
// and tokens never go into logs. Query strings are never logged either.
func AccessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			// The error handler has not run yet; it sets the final status.
			status = StatusOf(err)
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		log.Log(c.UserContext(), level, "request",
			"method", c.Method(), "route", c.Route().Path, "status", status,
			"duration_ms", float64(time.Since(start).Microseconds())/1000, "bytes", len(c.Response().Body()))
		return err
	}
}

// LogPanic logs a recovered panic with its stack; the client gets the
// generic 500 page from the error handler.
func LogPanic(log *slog.Logger) func(c *fiber.Ctx, e any) {
	return func(c *fiber.Ctx, e any) {
		log.ErrorContext(c.UserContext(), "panic", "route", c.Route().Path, "panic", e, "stack", string(debug.Stack()))
	}
}
