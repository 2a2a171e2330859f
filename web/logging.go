package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
)

// ctxKey keys values the web layer puts on a request's context.
type ctxKey int

const ctxRequestID ctxKey = iota

// requestIDHandler adds the request id found on the context to every log
// record, so each line written while serving a request can be traced back
// to it (and to the X-Request-Id the client saw).
type requestIDHandler struct{ slog.Handler }

// Handle implements slog.Handler.
func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if id, ok := ctx.Value(ctxRequestID).(string); ok {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs implements slog.Handler.
func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

// WithGroup implements slog.Handler.
func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// accessLog logs one line per request. It logs the route pattern, not
// the path: order pages and QR codes carry a bearer token in their path,
// and tokens never go into logs. Query strings are never logged either.
func (a *App) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		// The error handler has not run yet; it sets the final status.
		if fe, ok := err.(*fiber.Error); ok {
			status = fe.Code
		} else if pe, ok := err.(*pageError); ok {
			status = pe.status
		} else {
			status = fiber.StatusInternalServerError
		}
	}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	a.log.Log(c.UserContext(), level, "request",
		"method", c.Method(), "route", c.Route().Path, "status", status,
		"duration_ms", float64(time.Since(start).Microseconds())/1000, "bytes", len(c.Response().Body()))
	return err
}
