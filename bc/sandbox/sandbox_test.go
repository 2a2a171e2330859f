package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestAuthFailuresDoNothing(t *testing.T) {
	sb, c, rc := setup(t, nil)
	jp := skuByName(t, Default(), "Japan 1GB 7 Days")
	body := c.body("F040", order("A-1", [3]string{jp.SKUID, "1", "1"}))
	tests := []struct {
		name string
		hdr  map[string]string
		want string
	}{
		{"wrong signature", map[string]string{"x-sign-value": "e8d6da84ebdbea651cf4ae7579a964fc"}, codeSign},
		{"missing signature", map[string]string{"x-sign-value": ""}, codeSign},
		{"signed with another secret", map[string]string{"x-sign-value": signWith("other-secret", body)}, codeSign},
		{"sign method not md5", map[string]string{"x-sign-method": "sha256"}, codeSign},
		{"unknown channel", map[string]string{"x-channel-id": "someone-else"}, codeChannel},
		{"missing channel", map[string]string{"x-channel-id": ""}, codeChannel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := c.callRaw(body, tt.hdr); r.code() != tt.want || r.TradeMsg == "" {
				t.Fatalf("code %s %q, want %s", r.code(), r.TradeMsg, tt.want)
			}
		})
	}
	time.Sleep(60 * time.Millisecond)
	if n := len(sb.Orders()); n != 0 {
		t.Fatalf("%d orders after unauthenticated calls", n)
	}
	if n := len(rc.of("N009")); n != 0 {
		t.Fatalf("%d N009 after unauthenticated calls", n)
	}
	if got := sb.Calls("F040"); got != len(tests) {
		t.Fatalf("Calls(F040) = %d, want %d", got, len(tests))
	}
	// An upper-case signature is still the same signature.
	if r := c.callRaw(body, map[string]string{"x-sign-value": strings.ToUpper(signWith(testSecret, body))}); r.code() != codeOK {
		t.Fatalf("upper-case signature: %s", r.code())
	}
}

func TestEnvelopeErrors(t *testing.T) {
	_, c, _ := setup(t, nil)
	tests := []struct {
		name string
		body string
		want string
	}{
		{"malformed JSON", `{"tradeType":"F001",`, codeParam},
		{"trailing data", `{"tradeType":"F001","tradeTime":"2026-01-02 03:04:05","tradeData":{"salesMethod":"5"}} x`, codeParam},
		{"missing tradeType", `{"tradeTime":"2026-01-02 03:04:05","tradeData":{"salesMethod":"5"}}`, codeParam},
		{"missing tradeTime", `{"tradeType":"F001","tradeData":{"salesMethod":"5"}}`, codeParam},
		{"bad tradeTime", `{"tradeType":"F001","tradeTime":"2026-01-02T03:04:05Z","tradeData":{"salesMethod":"5"}}`, codeParam},
		{"tradeData not an object", `{"tradeType":"F001","tradeTime":"2026-01-02 03:04:05","tradeData":[1]}`, codeParam},
		{"unknown tradeType", `{"tradeType":"F999","tradeTime":"2026-01-02 03:04:05","tradeData":{}}`, codeUnsupported},
		{"ok", `{"tradeType":"F001","tradeTime":"2026-01-02 03:04:05","tradeData":{"salesMethod":"5","language":"2"}}`, codeOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := c.callRaw([]byte(tt.body), nil); r.code() != tt.want {
				t.Fatalf("code %s %q, want %s", r.code(), r.TradeMsg, tt.want)
			}
		})
	}
	t.Run("GET is refused", func(t *testing.T) {
		resp, err := c.http.Get(c.url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("oversized body", func(t *testing.T) {
		big := `{"tradeType":"F001","tradeTime":"2026-01-02 03:04:05","tradeData":{"pad":"` + strings.Repeat("x", maxBody) + `"}}`
		resp, _, err := c.post([]byte(big), nil)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
}

func TestSalesMethodAndLanguage(t *testing.T) {
	_, c, _ := setup(t, func(cfg *Config) { cfg.SalesMethod = "3" })
	tests := []struct {
		tradeType string
		data      map[string]any
		want      string
	}{
		{"F001", map[string]any{"salesMethod": "3"}, codeOK},
		{"F001", map[string]any{"salesMethod": 3}, codeOK},
		{"F001", map[string]any{"salesMethod": "5"}, codeParam},
		{"F001", map[string]any{}, codeParam},
		{"F001", map[string]any{"salesMethod": "3", "language": "3"}, codeParam},
		{"F002", map[string]any{"salesMethod": "3", "networkOperatorScope": "1"}, codeOK},
		{"F002", map[string]any{"salesMethod": "3", "networkOperatorScope": "9"}, codeParam},
		{"F003", map[string]any{"salesMethod": "5"}, codeParam},
		{"F003", map[string]any{"salesMethod": "3"}, codeOK},
		{"F014", map[string]any{}, codeOK},
		{"F014", map[string]any{"salesMethod": "5"}, codeParam},
	}
	for _, tt := range tests {
		if r := c.call(tt.tradeType, tt.data); r.code() != tt.want {
			t.Errorf("%s %v: code %s, want %s", tt.tradeType, tt.data, r.code(), tt.want)
		}
	}
}

func TestFailNext(t *testing.T) {
	sb, c, _ := setup(t, nil)
	jp := skuByName(t, Default(), "Japan 1GB 7 Days").SKUID
	sb.FailNext("F040", 2, "9999", "系统繁忙")
	for i := range 2 {
		if r := c.call("F040", order("FN-1", [3]string{jp, "1", "1"})); r.code() != "9999" || r.TradeMsg != "系统繁忙" {
			t.Fatalf("call %d: %s %q", i, r.code(), r.TradeMsg)
		}
	}
	if len(sb.Orders()) != 0 {
		t.Fatal("a failed F040 created an order")
	}
	c.mustOK("F040", order("FN-1", [3]string{jp, "1", "1"}), nil)
	if got := sb.Calls("F040"); got != 3 {
		t.Fatalf("Calls = %d", got)
	}
	// Faults are per interface.
	sb.FailNext("F011", 1, "1004", "x")
	c.mustOK("F003", map[string]any{"salesMethod": "5"}, nil)
}

func TestFailNextHTTP(t *testing.T) {
	sb, c, _ := setup(t, nil)
	jp := skuByName(t, Default(), "Japan 1GB 7 Days").SKUID
	sb.FailNextHTTP("F040", 1, http.StatusBadGateway)
	resp, body, err := c.post(c.body("F040", order("FH-1", [3]string{jp, "1", "1"})), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusBadGateway || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !bytes.Contains(body, []byte("502 Bad Gateway")) {
		t.Fatalf("got %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if len(sb.Orders()) != 0 {
		t.Fatal("order created behind a gateway error")
	}
	c.mustOK("F040", order("FH-1", [3]string{jp, "1", "1"}), nil)
}

func TestSetDelayProcessesThenAnswersLate(t *testing.T) {
	sb, c, _ := setup(t, nil)
	jp := skuByName(t, Default(), "Japan 1GB 7 Days").SKUID
	sb.SetDelay("F040", time.Minute)
	impatient := &testClient{t: t, url: c.url, http: &http.Client{Timeout: 100 * time.Millisecond}, key: testKey, secret: testSecret}
	start := time.Now()
	if _, _, err := impatient.post(impatient.body("F040", order("SD-1", [3]string{jp, "1", "1"})), nil); err == nil {
		t.Fatal("expected a client time-out")
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("delay did not respect the client's time-out")
	}
	waitFor(t, "the order", func() bool { return len(sb.Orders()) == 1 })
	sb.SetDelay("F040", 0)
	var rep orderReply
	c.mustOK("F040", order("SD-1", [3]string{jp, "1", "1"}), &rep)
	if rep.OrderID != sb.Orders()[0].OrderID {
		t.Fatalf("retry after time-out got order %s, want %s", rep.OrderID, sb.Orders()[0].OrderID)
	}
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	rc := newReceiver(t)
	sb := New(Config{AppKey: testKey, AppSecret: testSecret, CallbackURL: rc.srv.URL, NoticeDelay: time.Hour, Seed: 1})
	c := &testClient{t: t, key: testKey, secret: testSecret}
	jp := skuByName(t, Default(), "Japan 1GB 7 Days").SKUID
	for i := range 5 {
		rec := recorderCall(t, sb, c.body("F040", order("CL-"+string(rune('0'+i)), [3]string{jp, "1", "1"})))
		if !strings.Contains(rec, `"tradeCode":"1000"`) {
			t.Fatalf("F040: %s", rec)
		}
	}
	done := make(chan struct{})
	go func() { sb.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	rc.srv.Close()
	rc.srv.Client().CloseIdleConnections()
	waitFor(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before })
	if n := len(rc.of("N009")); n != 0 {
		t.Fatalf("%d notices sent after Close", n)
	}
	// After Close the handler still answers but schedules nothing.
	if rec := recorderCall(t, sb, c.body("F040", order("CL-after", [3]string{jp, "1", "1"}))); !strings.Contains(rec, `"1000"`) {
		t.Fatalf("after Close: %s", rec)
	}
	if runtime.NumGoroutine() > before {
		t.Fatal("F040 after Close started a goroutine")
	}
}

// recorderCall serves one signed request without a network, so goroutine
// counts only reflect the sandbox.
func recorderCall(t *testing.T, sb *Sandbox, body []byte) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("x-channel-id", testKey)
	req.Header.Set("x-sign-method", "md5")
	req.Header.Set("x-sign-value", signWith(testSecret, body))
	rec := &recorder{h: http.Header{}}
	sb.ServeHTTP(rec, req)
	return rec.buf.String()
}

type recorder struct {
	h   http.Header
	buf bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.h }
func (r *recorder) Write(b []byte) (int, error) { return r.buf.Write(b) }
func (r *recorder) WriteHeader(int)             {}

func TestF023AnswersNumericTradeCode(t *testing.T) {
	_, c, _ := setup(t, nil)
	r := c.call("F023", map[string]any{"iccid": "8985200000000000000", "beginDate": "2026-01-01", "endDate": "2026-01-02"})
	var n json.Number
	if err := json.Unmarshal(r.TradeCode, &n); err != nil || n.String() != codeNotFound {
		t.Fatalf("tradeCode %s, want the number %s", r.TradeCode, codeNotFound)
	}
}
