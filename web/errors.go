package web

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
)

// pageError is an error with a status and a localised, user-safe message
// key; handlers return it for bad input.
type pageError struct {
	status int
	key    string // message key in views' catalog
	args   []any
}

func (e *pageError) Error() string { return e.key }

// notFound and badRequest build the errors handlers return for bad input.
func notFound(key string, args ...any) error   { return &pageError{fiber.StatusNotFound, key, args} }
func badRequest(key string, args ...any) error { return &pageError{fiber.StatusBadRequest, key, args} }

// handleError is the one place errors become responses. The client never
// sees internal error text: only a status and a localised message.
func (a *App) handleError(c *fiber.Ctx, err error) error {
	status, key, args := fiber.StatusInternalServerError, "error.internal", []any(nil)
	var pe *pageError
	var fe *fiber.Error
	switch {
	case errors.As(err, &pe):
		status, key, args = pe.status, pe.key, pe.args
	case errors.As(err, &fe):
		status = fe.Code
		switch fe.Code {
		case fiber.StatusNotFound:
			key = "error.not_found"
		case fiber.StatusMethodNotAllowed:
			key = "error.method"
		case fiber.StatusRequestEntityTooLarge:
			key = "error.too_large"
		case fiber.StatusTooManyRequests:
			key = "error.rate_limited"
		default:
			if fe.Code < 500 {
				key = "error.bad_request"
			}
		}
	default:
		switch store.ErrorCode(err) {
		case store.ENOTFOUND:
			status, key = fiber.StatusNotFound, "error.not_found"
		case store.EINVALID:
			status, key = fiber.StatusBadRequest, "error.bad_request"
		case store.ECONFLICT:
			status, key = fiber.StatusConflict, "error.conflict"
		}
	}
	if status >= 500 {
		a.log.ErrorContext(c.UserContext(), "request failed", "method", c.Method(), "route", c.Route().Path, "err", err)
	}
	// Error pages are never cached and never indexed.
	c.Set(fiber.HeaderCacheControl, "no-store")
	lang := langOf(c)
	msg := views.T(lang, key, args...)
	if strings.HasPrefix(c.Path(), "/admin/") && signedIn(c).Email != "" {
		// The operator keeps the admin's navigation (English, like the admin).
		c.Set("X-Robots-Tag", "noindex, nofollow")
		if p, err := a.adminPage(c, fmt.Sprintf("Error %d", status), ""); err == nil {
			return render(c, status, views.AdminError(views.AdminErrorData{AdminPage: p, Status: status, Message: views.T("en", key, args...)}))
		}
	}
	p := a.page(c, c.Path(), views.T(lang, "error.title", status), msg, nil)
	p.NoIndex = true
	return render(c, status, views.ErrorPage(views.ErrorData{Page: p, Status: status, Message: msg}))
}
