package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// handleError is the one place errors become responses. The client never
// sees internal error text: only a status and a localised message.
func (a *App) handleError(c *fiber.Ctx, err error) error {
	status, key, args := errorPage(err)
	if status >= 500 {
		a.log.ErrorContext(c.UserContext(), "request failed", "method", c.Method(), "route", c.Route().Path, "err", err)
	}
	// Error pages are never cached and never indexed, and carry the
	// security headers even when no middleware ran (413, 431).
	c.Set(fiber.HeaderCacheControl, "no-store")
	httpx.SetSecurityHeaders(c, httpx.Secure(a.cfg.BaseURL))
	// The operator keeps the admin's navigation.
	if ok, err := a.admin.ErrorPage(c, status, key, args); ok {
		return err
	}
	lang := httpx.LangOf(c)
	msg := views.T(lang, key, args...)
	p := a.page(c, c.Path(), views.T(lang, "error.title", status), msg, nil)
	p.NoIndex = true
	return httpx.Render(c, status, views.ErrorPage(views.ErrorData{Page: p, Status: status, Message: msg}))
}

// errorPage maps an error to its status and message key: a page error as
// it says, a Fiber error by its code, a store error by its error code,
// anything else a 500.
func errorPage(err error) (status int, key string, args []any) {
	var pe *httpx.PageError
	var fe *fiber.Error
	switch {
	case errors.As(err, &pe):
		return pe.Status, pe.Key, pe.Args
	case errors.As(err, &fe):
		switch fe.Code {
		case fiber.StatusNotFound:
			return fe.Code, "error.not_found", nil
		case fiber.StatusMethodNotAllowed:
			return fe.Code, "error.method", nil
		case fiber.StatusRequestEntityTooLarge:
			return fe.Code, "error.too_large", nil
		case fiber.StatusTooManyRequests:
			return fe.Code, "error.rate_limited", nil
		}
		if fe.Code < 500 {
			return fe.Code, "error.bad_request", nil
		}
		return fe.Code, "error.internal", nil
	}
	// A store error: its status from StatusOf, the message by status.
	switch status := httpx.StatusOf(err); status {
	case fiber.StatusNotFound:
		return status, "error.not_found", nil
	case fiber.StatusBadRequest:
		return status, "error.bad_request", nil
	case fiber.StatusConflict:
		return status, "error.conflict", nil
	case fiber.StatusServiceUnavailable:
		return status, "error.busy", nil
	}
	return fiber.StatusInternalServerError, "error.internal", nil
}
