package bc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestCallErrors(t *testing.T) {
	tests := []struct {
		name       string
		reply      func(http.ResponseWriter, *http.Request, received)
		maxBody    int64
		timeout    time.Duration
		wantTemp   bool
		wantAPI    *APIError
		wantStatus int
		wantIn     string
	}{
		{name: "vendor refusal keeps code and Chinese message",
			reply:   answer(`{"tradeCode":"1003","tradeMsg":"参数错误","tradeData":null}`),
			wantAPI: &APIError{TradeType: "F003", TradeCode: "1003", TradeMsg: "参数错误"}, wantIn: "参数错误"},
		{name: "numeric tradeCode refusal",
			reply:   answer(`{"tradeCode":1003,"tradeMsg":"参数错误"}`),
			wantAPI: &APIError{TradeType: "F003", TradeCode: "1003", TradeMsg: "参数错误"}},
		{name: "HTTP 500", wantTemp: true, wantStatus: 500,
			reply: func(w http.ResponseWriter, _ *http.Request, _ received) { http.Error(w, "boom", 500) }},
		{name: "HTTP 503", wantTemp: true, wantStatus: 503,
			reply: func(w http.ResponseWriter, _ *http.Request, _ received) { http.Error(w, "later", 503) }},
		{name: "HTTP 429", wantTemp: true, wantStatus: 429,
			reply: func(w http.ResponseWriter, _ *http.Request, _ received) { http.Error(w, "slow down", 429) }},
		{name: "HTTP 404", wantTemp: false, wantStatus: 404,
			reply: func(w http.ResponseWriter, _ *http.Request, _ received) { http.NotFound(w, nil) }},
		{name: "busy 1999 is retried", wantTemp: true,
			reply:   answer(`{"tradeCode":"1999","tradeMsg":"系统繁忙"}`),
			wantAPI: &APIError{TradeType: "F003", TradeCode: "1999", TradeMsg: "系统繁忙"}, wantIn: "1999"},
		{name: "no sales strategy 1047 is not",
			reply:   answer(`{"tradeCode":"1047","tradeMsg":"销售策略不存在"}`),
			wantAPI: &APIError{TradeType: "F003", TradeCode: "1047", TradeMsg: "销售策略不存在"}},
		{name: "HTTP 522", wantTemp: true, wantStatus: 522,
			reply: func(w http.ResponseWriter, _ *http.Request, _ received) {
				http.Error(w, "<html>origin timed out</html>", 522)
			}},
		{name: "non-JSON answer", wantTemp: true, reply: answer(`<html>gateway</html>`), wantIn: "an HTML page"},
		{name: "trailing garbage", wantTemp: true, reply: answer(`{"tradeCode":"1000","tradeData":[]} x`), wantIn: "decoding response envelope"},
		{name: "no tradeCode", wantTemp: true, reply: answer(`{"tradeMsg":"success","tradeData":[]}`), wantIn: "no tradeCode"},
		{name: "tradeData of the wrong shape", reply: success(`{"skuId":"1"}`), wantIn: "decoding tradeData"},
		{name: "oversized answer", maxBody: 64, wantIn: "larger than 64 bytes",
			reply: success(`[{"skuId":"` + strings.Repeat("1", 100) + `","price":[]}]`)},
		{name: "time-out", timeout: 50 * time.Millisecond, wantTemp: true, wantIn: "F003",
			reply: func(w http.ResponseWriter, r *http.Request, _ received) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := newVendor(t, tt.reply)
			if tt.maxBody > 0 {
				c.maxBody = tt.maxBody
			}
			if tt.timeout > 0 {
				c.timeout = tt.timeout
			}
			_, _, err := c.Prices(context.Background(), "5")
			if err == nil {
				t.Fatal("no error")
			}
			if got := Temporary(err); got != tt.wantTemp {
				t.Errorf("Temporary(%v) = %v, want %v", err, got, tt.wantTemp)
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) != (tt.wantAPI != nil) {
				t.Errorf("err %v: APIError = %v, want %v", err, apiErr, tt.wantAPI)
			} else if tt.wantAPI != nil && *apiErr != *tt.wantAPI {
				t.Errorf("APIError = %+v, want %+v", *apiErr, *tt.wantAPI)
			}
			var httpErr *HTTPError
			if errors.As(err, &httpErr) != (tt.wantStatus != 0) || (httpErr != nil && httpErr.StatusCode != tt.wantStatus) {
				t.Errorf("err %v: want HTTP status %d", err, tt.wantStatus)
			}
			if !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("error %q does not mention %q", err, tt.wantIn)
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Errorf("error leaks the secret: %v", err)
			}
		})
	}
}

func TestCallContextCancelled(t *testing.T) {
	started := make(chan struct{})
	c, _ := newVendor(t, func(w http.ResponseWriter, r *http.Request, _ received) {
		close(started)
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, _, err := c.Prices(ctx, "5")
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !Temporary(err) {
		t.Error("cancelled call not temporary: its outcome is unknown")
	}
}

func TestCallConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := New(Config{URL: "http://" + addr, AppKey: testKey, AppSecret: testSecret})
	_, _, err = c.Prices(context.Background(), "5")
	if err == nil || !Temporary(err) {
		t.Fatalf("err = %v, want a temporary error", err)
	}
	if !strings.Contains(err.Error(), "F003") || strings.Contains(err.Error(), testSecret) {
		t.Errorf("error %q should name the trade type and not the secret", err)
	}
}

func TestTemporary(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"api error", &APIError{TradeCode: "1003"}, false},
		{"busy", &APIError{TradeCode: "1999"}, true},
		{"no sales strategy", &APIError{TradeCode: "1047"}, false},
		{"insufficient balance", &APIError{TradeCode: "2001", TradeMsg: "账户余额不足"}, false},
		{"bad answer", fmt.Errorf("job: %w", &BadAnswerError{Reason: "html"}), true},
		{"wrapped api error", fmt.Errorf("job: %w", &APIError{TradeCode: "1003"}), false},
		{"http 502", &HTTPError{StatusCode: 502}, true},
		{"http 429", &HTTPError{StatusCode: 429}, true},
		{"http 401", &HTTPError{StatusCode: 401}, false},
		{"net error", &net.OpError{Op: "dial", Err: errors.New("refused")}, true},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), true},
		{"plain error", errors.New("decode"), false},
		{"invalid request", &InvalidRequestError{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Temporary(tt.err); got != tt.want {
				t.Errorf("Temporary = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCodeMeaning(t *testing.T) {
	tests := []struct {
		code, msg, wantIn string
	}{
		{"1003", "参数错误", "parameter error"},
		{"1047", "销售策略不存在", "no sales strategy"},
		{"1999", "系统繁忙", "system busy"},
		{"2001", "账户余额不足", "insufficient balance"},
		{"2001", "Insufficient balance", "insufficient balance"},
		{"4242", "未知错误", ""},
	}
	for _, tt := range tests {
		got := (&APIError{TradeCode: tt.code, TradeMsg: tt.msg}).Meaning()
		if (tt.wantIn == "") != (got == "") || !strings.Contains(got, tt.wantIn) {
			t.Errorf("Meaning(%s, %q) = %q, want it to say %q", tt.code, tt.msg, got, tt.wantIn)
		}
	}
}
