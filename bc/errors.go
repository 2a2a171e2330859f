package bc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// APIError is a well-formed vendor answer whose tradeCode is not "1000". The
// request reached the vendor and was refused, so retrying the same request
// will not help (see Temporary) — except CodeBusy, the vendor's rate
// limit. TradeMsg is kept verbatim; it is often Chinese (e.g. 1003
// "参数错误", parameter error) and belongs in logs and admin views, not in
// front of a buyer; Meaning gives the operator an English reading.
type APIError struct {
	TradeType string // interface called, e.g. "F040"
	TradeCode string // vendor result code, e.g. "1003"
	TradeMsg  string // vendor message, verbatim
}

// Error implements error.
func (e *APIError) Error() string {
	return fmt.Sprintf("billionconnect %s: tradeCode %s: %s", e.TradeType, e.TradeCode, e.TradeMsg)
}

// Meaning is an English explanation of the refusal for the operator
// (see CodeMeaning).
func (e *APIError) Meaning() string { return CodeMeaning(e.TradeCode, e.TradeMsg) }

// BadAnswerError is an answer that is not a vendor envelope at all: not
// JSON (an HTML error page from the vendor's CDN, sometimes with HTTP
// 200), or JSON without a tradeCode. It says nothing about the request,
// so it is temporary.
type BadAnswerError struct {
	TradeType string
	Reason    string
}

// Error implements error.
func (e *BadAnswerError) Error() string {
	return fmt.Sprintf("billionconnect %s: %s", e.TradeType, e.Reason)
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
// context, since the outcome is then unknown), HTTP 5xx (Cloudflare's 522
// included) or 429 answers, answers that are not a vendor envelope (an
// HTML page, even with HTTP 200) and the vendor's "system busy" (1999). Any
// other vendor refusal (*APIError: 1003, 1047, insufficient balance…), a
// tradeData that does not decode, an oversized answer and invalid input are
// permanent: retrying would get the same result.
func Temporary(err error) bool {
	if err == nil {
		return false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.TradeCode == CodeBusy
	}
	var badErr *BadAnswerError
	if errors.As(err, &badErr) {
		return true
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

// Vendor result codes seen on the live API (section 5 of the protocol
// notes) besides CodeSuccess.
const (
	CodeParameterError  = "1003" // 参数错误
	CodeNoSalesStrategy = "1047" // 销售策略不存在
	CodeBusy            = "1999" // 系统繁忙: rate limited, retry later
)

// CodeMeaning explains a vendor refusal in English for the operator; msg
// is the vendor's own text (often Chinese), used to recognise refusals
// that have no documented code. Unknown refusals get "" and are shown as
// the vendor sent them.
func CodeMeaning(code, msg string) string {
	switch code {
	case CodeParameterError:
		return "parameter error: the vendor refused a value in the request (e.g. a wrong salesMethod, an unsupported parameter or a missing travel date)"
	case CodeNoSalesStrategy:
		return "no sales strategy: the vendor account has no sales method set up for this call; ask Billionconnect to configure the account (retrying will not help)"
	case CodeBusy:
		return "system busy: the vendor is rate limiting; the shop retries later"
	}
	if insufficientBalance(msg) {
		return "insufficient balance: the vendor account cannot pay for this order; top up the Billionconnect account, then retry"
	}
	return ""
}

// insufficientBalance recognises the vendor's "balance too low" refusal
// by its text, in Chinese or English: no public source gives its code.
func insufficientBalance(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "余额不足") || strings.Contains(m, "insufficient balance") || strings.Contains(m, "balance is not enough")
}
