package httpx

import "github.com/gofiber/fiber/v2"

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
// with (the error handler has not run yet when middleware sees it).
func StatusOf(err error) int {
	switch e := err.(type) {
	case *fiber.Error:
		return e.Code
	case *PageError:
		return e.Status
	}
	return fiber.StatusInternalServerError
}
