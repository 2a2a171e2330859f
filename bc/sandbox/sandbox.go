// Package sandbox is a faithful in-process simulator of the Billionconnect
// reseller API, used by the shop's -demo mode and by tests. A *Sandbox is an
// http.Handler that answers every interface the shop calls (F001–F052) in
// the vendor's exact wire format, keeps orders in memory, and pushes signed
// notices (N009, N010, N013, …) to a callback URL with the vendor's retry
// behaviour. Faults — error codes, gateway errors, slow answers, duplicate
// or early notices — can be injected to test the shop's resilience.
//
// Reply codes. "1000" success and "1003" 参数错误 are the vendor's own; the
// others are the sandbox's choice, because the vendor does not document them:
//
//	1001 签名验证失败        bad or missing signature, or x-sign-method not md5
//	1002 渠道不存在          x-channel-id is not the configured AppKey
//	1003 参数错误            malformed JSON, missing/invalid parameter, wrong salesMethod
//	1004 数据不存在          unknown order, orderId or iccid
//	1005 账户余额不足        F040/F007 costs more than the balance
//	1006 不支持的接口类型    unknown tradeType
//	1007 订单状态不允许该操作 e.g. F041 before the eSIM was delivered
//
// Every failure changes nothing. F023 answers tradeCode as a JSON number, as
// its documentation says; every other interface answers it as a string.
package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// maxBody bounds a request body; the largest legitimate request (an F040
// with a few hundred lines) is far smaller.
const maxBody = 1 << 20

// vendorZone is the vendor's clock (China Standard Time); all times it
// renders are in it.
var vendorZone = time.FixedZone("CST", 8*3600)

// timeLayout is the vendor's timestamp format.
const timeLayout = "2006-01-02 15:04:05"

// Reply codes; see the package documentation.
const (
	codeOK          = "1000"
	codeSign        = "1001"
	codeChannel     = "1002"
	codeParam       = "1003"
	codeNotFound    = "1004"
	codeBalance     = "1005"
	codeUnsupported = "1006"
	codeState       = "1007"
)

var codeMsg = map[string]string{
	codeOK: "success", codeSign: "签名验证失败", codeChannel: "渠道不存在", codeParam: "参数错误",
	codeNotFound: "数据不存在", codeBalance: "账户余额不足", codeUnsupported: "不支持的接口类型",
	codeState: "订单状态不允许该操作",
}

// Config configures a Sandbox.
type Config struct {
	AppKey    string // expected x-channel-id
	AppSecret string // signs and verifies bodies; never logged
	// SalesMethod is the only salesMethod the account may use ("5" when empty).
	SalesMethod string
	// CallbackURL receives the notices; empty disables delivery (the
	// attempts are still logged).
	CallbackURL string
	// NoticeDelay is the wait between an order and its notices, and the unit
	// of the retry backoff.
	NoticeDelay time.Duration
	// InstallStep is how long each step of a simulated traveller
	// installing a delivered eSIM takes (downloaded, installed, enabled):
	// each step is announced by N012 and shows in F042 once it happened.
	// 0 puts the whole history in F042 at delivery, one minute apart, and
	// sends no N012.
	InstallStep time.Duration
	// Catalog is what the vendor sells; nil means Default().
	Catalog *Catalog
	// Seed makes ICCIDs, order IDs and activation codes reproducible; 0
	// picks a random seed so that a restarted demo never repeats an ICCID.
	Seed int64
	// HTTPClient delivers notices; nil means a client with a 10 s timeout.
	HTTPClient *http.Client
	// Logf, when set, receives one line per notice attempt and per fault.
	Logf func(format string, args ...any)
	// UnusedProfiles makes delivered eSIMs report "not downloaded" (F042)
	// until SetProfileStatus says otherwise, so refunds cancel at the
	// vendor (the demo); false reports the default history ending in
	// "enabled".
	UnusedProfiles bool
}

// Sandbox is the simulated vendor. Its methods are safe for concurrent use.
type Sandbox struct {
	cfg    Config
	cat    atomic.Pointer[catalogIndex] // see catalog and SetCatalog
	client *http.Client
	ctx    context.Context // cancelled by Close; parents all notice work
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	closed    bool
	rng       *rand.Rand
	orders    map[string]*Order // by channelOrderId
	byOrderID map[string]*Order
	byICCID   map[string]*esimRef
	ids       map[string]bool // every orderId/subOrderId/uid handed out
	balance   int64           // fen
	calls     map[string]int
	failCode  map[string]*codeFault
	failHTTP  map[string]*httpFault
	// noticeSecret and noticeChannel override AppSecret and AppKey on
	// outgoing notices ("" for none).
	noticeSecret, noticeChannel string
	delays                      map[string]time.Duration
	dup                         int
	early                       bool
	notices                     []NoticeAttempt
	after                       afterSale // profile statuses and cancellations (refund.go)
}

// defaultBalance is the simulated account's opening balance: 100,000 CNY.
const defaultBalance = 100_000_00

// New returns a Sandbox ready to serve. Call Close when done.
func New(cfg Config) *Sandbox {
	if cfg.SalesMethod == "" {
		cfg.SalesMethod = "5"
	}
	if cfg.Catalog == nil {
		cfg.Catalog = Default()
	}
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	seed := uint64(cfg.Seed)
	if seed == 0 {
		seed = rand.Uint64()
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Sandbox{
		cfg: cfg, client: client, ctx: ctx, cancel: cancel,
		rng:    rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		orders: map[string]*Order{}, byOrderID: map[string]*Order{}, byICCID: map[string]*esimRef{},
		ids: map[string]bool{}, balance: defaultBalance, calls: map[string]int{},
		failCode: map[string]*codeFault{}, failHTTP: map[string]*httpFault{}, delays: map[string]time.Duration{}, dup: 1,
	}
	s.cat.Store(indexCatalog(cfg.Catalog))
	return s
}

// Close stops every pending notice (in-flight deliveries are cancelled) and
// waits for their goroutines. The handler keeps answering afterwards but
// schedules no more notices.
func (s *Sandbox) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
}

// goLocked runs fn in a tracked goroutine unless the sandbox is closed.
// s.mu must be held.
func (s *Sandbox) goLocked(fn func(ctx context.Context)) {
	if s.closed {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn(s.ctx)
	}()
}

// sleep waits d or until ctx ends; it reports whether the full wait elapsed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Sandbox) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}

// reply is an interface's answer.
type reply struct {
	code, msg string
	data      any
	numeric   bool // tradeCode as a JSON number (F023)
}

func ok(data any) reply { return reply{code: codeOK, msg: codeMsg[codeOK], data: data} }

func fail(code string) reply { return reply{code: code, msg: codeMsg[code]} }

// ServeHTTP answers one vendor API call. Any path is accepted, as the
// vendor uses one URL for everything.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request entity too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	tradeType := peekTradeType(body)
	s.mu.Lock()
	s.calls[tradeType]++
	status := s.takeHTTPFaultLocked(tradeType)
	s.mu.Unlock()
	if status != 0 {
		s.logf("sandbox: %s answered with injected HTTP %d", tradeType, status)
		writeGatewayError(w, status)
		return
	}
	rep := s.handle(r.Context(), r.Header, body)
	if d := s.delayFor(tradeType); d > 0 && !sleep(r.Context(), d) {
		return // the client gave up; the work is done, the answer is lost
	}
	numeric := rep.numeric || tradeType == "F023"
	var code any = rep.code
	if numeric {
		code = json.Number(rep.code)
	}
	out, err := json.Marshal(struct {
		TradeCode any    `json:"tradeCode"`
		TradeMsg  string `json:"tradeMsg"`
		TradeData any    `json:"tradeData"`
	}{code, rep.msg, rep.data})
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write(out)
}

// peekTradeType reads tradeType for bookkeeping before anything is
// verified; a body that does not parse counts under "".
func peekTradeType(body []byte) string {
	var env struct {
		TradeType any `json:"tradeType"`
	}
	_ = json.Unmarshal(body, &env)
	t, _ := env.TradeType.(string)
	return t
}

// handlers maps tradeType to its implementation.
var handlers = map[string]func(*Sandbox, context.Context, json.RawMessage) reply{
	"F001": (*Sandbox).f001, "F002": (*Sandbox).f002, "F003": (*Sandbox).f003,
	"F040": (*Sandbox).f040, "F011": (*Sandbox).f011, "F041": (*Sandbox).f041,
	"F042": (*Sandbox).f042, "F046": (*Sandbox).f046, "F023": (*Sandbox).f023,
	"F052": (*Sandbox).f052, "F007": (*Sandbox).f007, "F014": (*Sandbox).f014,
	"F008": (*Sandbox).f008, "F017": (*Sandbox).f017,
}

// handle authenticates, parses the envelope, applies code faults and
// dispatches. Nothing changes unless every check passes.
func (s *Sandbox) handle(ctx context.Context, h http.Header, body []byte) reply {
	if !constantEqual(h.Get("x-channel-id"), s.cfg.AppKey) {
		return fail(codeChannel)
	}
	if !equalFoldASCII(h.Get("x-sign-method"), "md5") || !verifySign(s.cfg.AppSecret, body, h.Get("x-sign-value")) {
		return fail(codeSign)
	}
	var env struct {
		TradeType string          `json:"tradeType"`
		TradeTime string          `json:"tradeTime"`
		TradeData json.RawMessage `json:"tradeData"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.TradeType == "" {
		return fail(codeParam)
	}
	if _, err := time.ParseInLocation(timeLayout, env.TradeTime, vendorZone); err != nil {
		return fail(codeParam)
	}
	s.mu.Lock()
	f := s.takeCodeFaultLocked(env.TradeType)
	s.mu.Unlock()
	if f != nil {
		s.logf("sandbox: %s answered with injected code %s", env.TradeType, f.code)
		return reply{code: f.code, msg: f.msg}
	}
	fn, found := handlers[env.TradeType]
	if !found {
		return fail(codeUnsupported)
	}
	return fn(s, ctx, env.TradeData)
}

// decode parses tradeData into v; absent or null data leaves v zero.
func decode(data json.RawMessage, v any) error {
	if len(data) == 0 {
		return nil
	}
	return json.Unmarshal(data, v)
}

// common holds the parameters shared by most interfaces.
type common struct {
	SalesMethod flexString `json:"salesMethod"`
	Language    flexString `json:"language"`
}

// check validates the common parameters and returns the language ("1"
// Chinese, "2" English). salesMethod must match the account when present,
// and be present when required.
func (c common) check(s *Sandbox, salesRequired bool) (lang string, valid bool) {
	if (salesRequired || c.SalesMethod != "") && string(c.SalesMethod) != s.cfg.SalesMethod {
		return "", false
	}
	switch c.Language {
	case "", "1":
		return "1", true
	case "2":
		return "2", true
	}
	return "", false
}

// catalog is the catalog the sandbox sells now.
func (s *Sandbox) catalog() *catalogIndex { return s.cat.Load() }

// SetCatalog replaces what the sandbox sells (F001/F002/F003 answer from c
// from now on), as the vendor does when it reshuffles its catalog. Orders
// already placed keep working. c must not be modified afterwards.
func (s *Sandbox) SetCatalog(c *Catalog) { s.cat.Store(indexCatalog(c)) }
