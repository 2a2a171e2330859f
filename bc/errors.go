package bc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// APIError is a well-formed vendor answer whose tradeCode is not "1000". The
// request reached the vendor and was refused, so retrying the same request
// will not help (see Temporary). TradeMsg is kept verbatim; it is often
// Chinese (e.g. 1003 "参数错误", parameter error) and belongs in logs and admin
// views, not in front of a buyer.
type APIError struct {
	TradeType string // interface called, e.g. "F040"
	TradeCode string // vendor result code, e.g. "1003"
	TradeMsg  string // vendor message, verbatim
}

// Error implements error.
func (e *APIError) Error() string {
	return fmt.Sprintf("billionconnect %s: tradeCode %s: %s", e.TradeType, e.TradeCode, e.TradeMsg)
}

// HTTPError is an HTTP answer other than 200 OK. Only the status is kept:
// the body of an error page is neither useful nor safe to log.
type HTTPError struct {
	TradeType  string
	StatusCode int
}

// Error implements error.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("billionconnect %s: HTTP %d %s", e.TradeType, e.StatusCode, http.StatusText(e.StatusCode))
}

// transportError marks a failure to complete the HTTP exchange (dial, TLS,
// time-out, connection reset, cancelled context). The request may or may not
// have reached the vendor, which is why such errors are temporary: every
// write interface the shop uses is idempotent on the shop's own IDs.
type transportError struct {
	tradeType string
	err       error
}

func (e *transportError) Error() string {
	return fmt.Sprintf("billionconnect %s: %v", e.tradeType, e.err)
}

func (e *transportError) Unwrap() error { return e.err }

// Temporary reports whether err is worth retrying later with the same
// request: network errors, time-outs (including a cancelled or expired
// context, since the outcome is then unknown) and HTTP 5xx or 429 answers.
// A vendor refusal (*APIError), a malformed or oversized answer and invalid
// input are permanent: retrying would get the same result.
func Temporary(err error) bool {
	if err == nil {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return false
	}
	var httpErr *HTTPError
	if errors.As(err, &httpErr) {
		return httpErr.StatusCode >= 500 || httpErr.StatusCode == http.StatusTooManyRequests
	}
	var tErr *transportError
	if errors.As(err, &tErr) {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}
