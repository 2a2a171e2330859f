package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/esimshop/esimshop/bc"
)

// noticeTries is one delivery plus the vendor's three retries.
const noticeTries = 4

// NoticeAttempt is one POST of a notice to the callback URL.
type NoticeAttempt struct {
	TradeType  string
	Attempt    int    // 1 for the first try, up to 4
	Body       []byte // the exact signed bytes sent
	StatusCode int    // 0 when there was no HTTP answer
	Accepted   bool   // HTTP 200 and tradeCode "1000"
	Err        string // why it was not accepted
	At         time.Time
}

// Notices returns the delivery log, oldest first.
func (s *Sandbox) Notices() []NoticeAttempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]NoticeAttempt, len(s.notices))
	for i, n := range s.notices {
		n.Body = bytes.Clone(n.Body)
		out[i] = n
	}
	return out
}

// SendNotice pushes an arbitrary signed notice (N012, N002/N003 with an
// array, N006, …) to the callback URL, with the usual retries, and reports
// whether the shop acknowledged it. It is sent once, whatever
// DuplicateNotices says. Close or ctx stop it.
func (s *Sandbox) SendNotice(ctx context.Context, tradeType string, tradeData any) error {
	if tradeType == "" {
		return errors.New("sandbox: SendNotice needs a tradeType")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()
	return s.deliver(ctx, tradeType, tradeData)
}

// backoff is the wait before retry k (1-based): short, and scaled from
// NoticeDelay so that tests run fast and the demo looks like the vendor.
func (s *Sandbox) backoff(k int) time.Duration {
	base := min(max(s.cfg.NoticeDelay/2, 10*time.Millisecond), time.Minute)
	return base * time.Duration(k)
}

// deliver signs one notice and POSTs it until the shop acknowledges it or
// the tries run out.
func (s *Sandbox) deliver(ctx context.Context, tradeType string, data any) error {
	body, err := json.Marshal(struct {
		TradeType string `json:"tradeType"`
		TradeTime string `json:"tradeTime"`
		TradeData any    `json:"tradeData"`
	}{tradeType, time.Now().In(vendorZone).Format(timeLayout), data})
	if err != nil {
		return fmt.Errorf("sandbox: encode %s: %w", tradeType, err)
	}
	var last error
	for attempt := 1; attempt <= noticeTries; attempt++ {
		if attempt > 1 && !sleep(ctx, s.backoff(attempt-1)) {
			return ctx.Err()
		}
		status, err := s.post(ctx, body)
		s.record(NoticeAttempt{TradeType: tradeType, Attempt: attempt, Body: body, StatusCode: status, Accepted: err == nil, Err: errText(err), At: time.Now()})
		if err == nil {
			s.logf("sandbox: %s delivered (attempt %d)", tradeType, attempt)
			return nil
		}
		s.logf("sandbox: %s attempt %d not accepted: %v", tradeType, attempt, err)
		last = err
		if s.cfg.CallbackURL == "" || ctx.Err() != nil {
			break
		}
	}
	return fmt.Errorf("sandbox: %s not accepted: %w", tradeType, last)
}

// post sends one signed notice and checks the acknowledgement.
func (s *Sandbox) post(ctx context.Context, body []byte) (int, error) {
	if s.cfg.CallbackURL == "" {
		return 0, errors.New("no callback URL configured")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.CallbackURL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	s.mu.Lock()
	secret, channel := s.cfg.AppSecret, s.cfg.AppKey
	if s.noticeSecret != "" {
		secret = s.noticeSecret
	}
	if s.noticeChannel != "" {
		channel = s.noticeChannel
	}
	s.mu.Unlock()
	req.Header.Set("x-channel-id", channel)
	req.Header.Set("x-sign-method", "md5")
	req.Header.Set("x-sign-value", bc.Sign(secret, body))
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	ackBody, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	var ack struct {
		TradeCode flexString `json:"tradeCode"`
	}
	if err := json.Unmarshal(ackBody, &ack); err != nil {
		return resp.StatusCode, fmt.Errorf("answer is not a JSON acknowledgement: %w", err)
	}
	if ack.TradeCode != codeOK {
		return resp.StatusCode, fmt.Errorf("tradeCode %q", string(ack.TradeCode))
	}
	return resp.StatusCode, nil
}

func (s *Sandbox) record(a NoticeAttempt) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notices = append(s.notices, a)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
