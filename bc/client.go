package bc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Vendor endpoints. Every interface is a POST to the same URL; the
// interface is chosen by tradeType in the body.
const (
	TestURL       = "https://api-flow-ts.billionconnect.com/Flow/saler/2.0/invoke"
	ProductionURL = "https://api-flow.billionconnect.com/Flow/saler/2.0/invoke"
)

// Trade types of the interfaces the shop calls.
const (
	TradeCountries     = "F001"
	TradeSKUs          = "F002"
	TradePrices        = "F003"
	TradeTopUp         = "F007"
	TradeCancelOrder   = "F008"
	TradeQueryOrder    = "F011"
	TradeBalance       = "F014"
	TradeDailyUsage    = "F023"
	TradeCreateOrder   = "F040"
	TradeResendEmail   = "F041"
	TradeProfileStatus = "F042"
	TradePlanUsage     = "F046"
	TradeTopUpSKUs     = "F052"
)

// CodeSuccess is the tradeCode of a successful answer; anything else is a
// failure.
const CodeSuccess = "1000"

// LanguageEnglish is the language parameter value for English. The vendor
// defaults to Chinese when it is omitted, so every call that takes a
// language sends it.
const LanguageEnglish = "2"

// TimeLayout is the vendor's timestamp format (tradeTime, recordTime,
// validTime...), in the vendor's zone.
const TimeLayout = "2006-01-02 15:04:05"

const (
	defaultTimeout = 20 * time.Second
	// DefaultOrderTimeout bounds F040: the vendor can take long to create
	// an order, and other integrations raised this to 45–60 s after real
	// time-outs. F040 is idempotent, so a time-out is retried safely.
	DefaultOrderTimeout = 60 * time.Second
	// maxResponseBytes caps what is read from the vendor: the F002 catalog
	// is tens of MiB, anything beyond this is a fault, not a catalog.
	maxResponseBytes = 64 << 20
)

// VendorLocation is the default zone for tradeTime: fixed UTC+8 (China
// Standard Time, no daylight saving), the vendor's own zone.
var VendorLocation = time.FixedZone("UTC+8", 8*60*60)

// Config configures a Client.
type Config struct {
	URL       string // endpoint, TestURL or ProductionURL
	AppKey    string // sent as x-channel-id
	AppSecret string // signs requests; never logged or put in an error
	// HTTPClient sends the requests; nil means a private client with the
	// default transport. Its own Timeout, if any, also applies.
	HTTPClient *http.Client
	// Timeout bounds each call (request and full response); 0 means 20s.
	Timeout time.Duration
	// OrderTimeout bounds F040 (CreateOrder) instead of Timeout; 0 means
	// DefaultOrderTimeout.
	OrderTimeout time.Duration
	// Location is the zone tradeTime is written in; nil means
	// VendorLocation (fixed UTC+8, the vendor's zone).
	Location *time.Location
	// Now returns the current time; nil means time.Now. Tests pin it.
	Now func() time.Time
	// Observe, when set, is told of every finished call: its tradeType,
	// how long it took and its error (nil on success), for metrics.
	Observe func(tradeType string, elapsed time.Duration, err error)
}

// String describes c without its secret, so that logging a Config (by
// mistake or on purpose) never leaks the AppSecret.
func (c Config) String() string {
	return fmt.Sprintf("bc.Config{URL:%q AppKey:%q AppSecret:<redacted>}", c.URL, c.AppKey)
}

// GoString is String for %#v.
func (c Config) GoString() string { return c.String() }

// Client calls the Billionconnect reseller API. It is safe for concurrent
// use.
type Client struct {
	url       string
	appKey    string
	appSecret string
	http      *http.Client
	timeout   time.Duration
	orderTime time.Duration // F040's time-out
	loc       *time.Location
	now       func() time.Time
	maxBody   int64
	observe   func(tradeType string, elapsed time.Duration, err error)
}

// New returns a Client for cfg, filling in the documented defaults.
func New(cfg Config) *Client {
	c := &Client{
		url:       cfg.URL,
		appKey:    cfg.AppKey,
		appSecret: cfg.AppSecret,
		http:      cfg.HTTPClient,
		timeout:   cfg.Timeout,
		orderTime: cfg.OrderTimeout,
		loc:       cfg.Location,
		now:       cfg.Now,
		maxBody:   maxResponseBytes,
		observe:   cfg.Observe,
	}
	if c.http == nil {
		c.http = &http.Client{}
	}
	if c.timeout <= 0 {
		c.timeout = defaultTimeout
	}
	if c.orderTime <= 0 {
		c.orderTime = DefaultOrderTimeout
	}
	if c.loc == nil {
		c.loc = VendorLocation
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c
}

// requestEnvelope is the body of every call.
type requestEnvelope struct {
	TradeType string `json:"tradeType"`
	TradeTime string `json:"tradeTime"`
	TradeData any    `json:"tradeData"`
}

// responseEnvelope is the body of every answer.
type responseEnvelope struct {
	TradeCode Code            `json:"tradeCode"`
	TradeMsg  String          `json:"tradeMsg"`
	TradeData json.RawMessage `json:"tradeData"`
}

// call performs one interface call: it serialises the envelope once, signs
// exactly those bytes, sends them, checks the answer and decodes its
// tradeData into out (unless out is nil or tradeData is null or absent).
func (c *Client) call(ctx context.Context, tradeType string, tradeData, out any) (err error) {
	if c.observe != nil {
		start := time.Now() // elapsed time, not c.now: tests pin that clock
		defer func() { c.observe(tradeType, time.Since(start), err) }()
	}
	if c.url == "" {
		return fmt.Errorf("billionconnect %s: no endpoint URL configured", tradeType)
	}
	body, err := json.Marshal(requestEnvelope{
		TradeType: tradeType,
		TradeTime: c.now().In(c.loc).Format(TimeLayout),
		TradeData: tradeData,
	})
	if err != nil {
		return fmt.Errorf("billionconnect %s: encoding request: %w", tradeType, err)
	}

	timeout := c.timeout
	if tradeType == TradeCreateOrder {
		timeout = c.orderTime
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		// The only input here is the configured URL; the error names it,
		// never a credential.
		return fmt.Errorf("billionconnect %s: building request: %w", tradeType, err)
	}
	// Set directly rather than with Header.Set so the names go out in the
	// lowercase spelling the vendor documents.
	req.Header["Content-Type"] = []string{"application/json;charset=UTF-8"}
	req.Header["x-channel-id"] = []string{c.appKey}
	req.Header["x-sign-method"] = []string{"md5"}
	req.Header["x-sign-value"] = []string{Sign(c.appSecret, body)}

	resp, err := c.http.Do(req)
	if err != nil {
		return &transportError{tradeType: tradeType, err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		// Drain a little so the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return &HTTPError{TradeType: tradeType, StatusCode: resp.StatusCode}
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return &transportError{tradeType: tradeType, err: fmt.Errorf("reading response: %w", err)}
	}
	if int64(len(raw)) > c.maxBody {
		return fmt.Errorf("billionconnect %s: response larger than %d bytes", tradeType, c.maxBody)
	}

	var env responseEnvelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return &BadAnswerError{TradeType: tradeType, Reason: "decoding response envelope: " + err.Error() + answerKind(raw)}
	}
	if env.TradeCode == "" {
		return &BadAnswerError{TradeType: tradeType, Reason: "response has no tradeCode"}
	}
	if string(env.TradeCode) != CodeSuccess {
		return &APIError{TradeType: tradeType, TradeCode: string(env.TradeCode), TradeMsg: string(env.TradeMsg)}
	}
	if out == nil || isNullJSON(env.TradeData) {
		return nil
	}
	if err := json.Unmarshal(env.TradeData, out); err != nil {
		return fmt.Errorf("billionconnect %s: decoding tradeData: %w", tradeType, err)
	}
	return nil
}

// callList is call for interfaces whose tradeData is an array. A null or
// absent array is an empty, non-nil slice, so callers can tell "no items"
// from an error without a nil check.
func callList[T any](ctx context.Context, c *Client, tradeType string, tradeData any) ([]T, error) {
	var items []T
	if err := c.call(ctx, tradeType, tradeData, &items); err != nil {
		return nil, err
	}
	if items == nil {
		items = []T{}
	}
	return items, nil
}

// callEach is call for interfaces whose tradeData is an array of
// records decoded one by one (see decodeEach).
func callEach[T any](ctx context.Context, c *Client, tradeType string, tradeData any) ([]T, []Rejected, error) {
	var raw json.RawMessage
	if err := c.call(ctx, tradeType, tradeData, &raw); err != nil {
		return nil, nil, err
	}
	items, rejected, err := decodeEach[T](raw, false)
	if err != nil {
		return nil, nil, fmt.Errorf("billionconnect %s: decoding tradeData: %w", tradeType, err)
	}
	return items, rejected, nil
}

// answerKind names what a non-JSON answer looks like, for the log.
func answerKind(raw []byte) string {
	t := bytes.TrimSpace(raw)
	if len(t) > 0 && t[0] == '<' {
		return " (an HTML page)"
	}
	return ""
}

// isNullJSON reports whether raw is absent or the JSON literal null.
func isNullJSON(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || bytes.Equal(raw, []byte("null"))
}

// errInvalid builds the error for a request rejected before it is sent.
func errInvalid(tradeType, format string, args ...any) error {
	return &InvalidRequestError{TradeType: tradeType, Reason: fmt.Sprintf(format, args...)}
}

// InvalidRequestError is a request the client refused to send because it
// would certainly be rejected (a missing required field, a count out of
// range). It is a programming or data error, never temporary.
type InvalidRequestError struct {
	TradeType string
	Reason    string
}

// Error implements error.
func (e *InvalidRequestError) Error() string {
	return fmt.Sprintf("billionconnect %s: invalid request: %s", e.TradeType, e.Reason)
}
