package httpx

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
)

// TestStatusOf pins the one error → status mapping the error handlers,
// the access log and the metrics share, wrapped errors included.
func TestStatusOf(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{NotFound("error.not_found"), fiber.StatusNotFound},
		{fmt.Errorf("wrapped: %w", BadRequest("error.bad_request")), fiber.StatusBadRequest},
		{fiber.ErrMethodNotAllowed, fiber.StatusMethodNotAllowed},
		{store.Errorf(store.ENOTFOUND, "no content 9"), fiber.StatusNotFound},
		{fmt.Errorf("loading: %w", store.Errorf(store.EINVALID, "bad")), fiber.StatusBadRequest},
		{store.Errorf(store.ECONFLICT, "taken"), fiber.StatusConflict},
		{store.Errorf(store.EUNAVAILABLE, "busy"), fiber.StatusServiceUnavailable},
		{errors.New("disk on fire"), fiber.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := StatusOf(tt.err); got != tt.want {
			t.Errorf("StatusOf(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
