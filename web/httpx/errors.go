package httpx

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
)

// PageError is an error with a status and a localised, user-safe message
// key; handlers return it for bad input and the error handler renders it.
type PageError struct {
	Status int
	Key    string // message key in views' catalog
	Args   []any
}

// Error implements error; the key is safe to log.
func (e *PageError) Error() string { return e.Key }

// NotFound is a 404 page with a message key.
func NotFound(key string, args ...any) error {
	return &PageError{Status: fiber.StatusNotFound, Key: key, Args: args}
}

// BadRequest is a 400 page with a message key.
func BadRequest(key string, args ...any) error {
	return &PageError{Status: fiber.StatusBadRequest, Key: key, Args: args}
}

// StatusOf is the status an error returned by a handler will be answered
// with (the error handler has not run yet when middleware sees it): a
// page or Fiber error's own, a store error's by its code, else 500. The
// error handlers, the access log and the metrics all read it, so a
// missing record is a 404 everywhere, not a 404 page logged as a 500.
func StatusOf(err error) int {
	var pe *PageError
	var fe *fiber.Error
	switch {
	case errors.As(err, &pe):
		return pe.Status
	case errors.As(err, &fe):
		return fe.Code
	}
	switch store.ErrorCode(err) {
	case store.ENOTFOUND:
		return fiber.StatusNotFound
	case store.EINVALID:
		return fiber.StatusBadRequest
	case store.ECONFLICT:
		return fiber.StatusConflict
	case store.EUNAVAILABLE:
		return fiber.StatusServiceUnavailable
	}
	return fiber.StatusInternalServerError
}
