package sandbox

import (
	"fmt"
	"net/http"
	"time"
)

// codeFault makes the next n calls of an interface answer with a code.
type codeFault struct {
	n         int
	code, msg string
}

// httpFault makes the next n calls of an interface fail at the HTTP level.
type httpFault struct{ n, status int }

// FailNext makes the next n authenticated calls of tradeType answer with
// code and msg and do nothing else. n <= 0 clears the fault.
func (s *Sandbox) FailNext(tradeType string, n int, code, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= 0 {
		delete(s.failCode, tradeType)
		return
	}
	s.failCode[tradeType] = &codeFault{n: n, code: code, msg: msg}
}

// FailNextHTTP makes the next n calls of tradeType answer with the HTTP
// status and an HTML error page, as the vendor's gateway does when the
// service behind it is down; nothing is processed, not even the signature.
// Status 200 gives the HTML page with HTTP 200 (seen live), 522 a
// Cloudflare "connection timed out" page. n <= 0 clears the fault.
func (s *Sandbox) FailNextHTTP(tradeType string, n int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= 0 {
		delete(s.failHTTP, tradeType)
		return
	}
	s.failHTTP[tradeType] = &httpFault{n: n, status: status}
}

// FailNextBusy makes the next n calls of tradeType answer "system busy"
// (1999 系统繁忙), the vendor's rate limit.
func (s *Sandbox) FailNextBusy(tradeType string, n int) {
	s.FailNext(tradeType, n, "1999", "系统繁忙")
}

// SignNoticesWith makes notices go out signed with secret instead of the
// AppSecret, as after a secret reset on the vendor's portal ("" restores
// the AppSecret).
func (s *Sandbox) SignNoticesWith(secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noticeSecret = secret
}

// SendNoticesAs makes notices carry channel as x-channel-id instead of the
// AppKey ("" restores it).
func (s *Sandbox) SendNoticesAs(channel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noticeChannel = channel
}

// SetDelay holds back every answer to tradeType by d (0 clears it). The
// call is processed first and only its answer is late — what a client sees
// when the vendor is slow and it times out: the work is done, the answer is
// lost, and a retry must be idempotent. A client that hangs up stops the wait.
func (s *Sandbox) SetDelay(tradeType string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d <= 0 {
		delete(s.delays, tradeType)
		return
	}
	s.delays[tradeType] = d
}

// DuplicateNotices makes every automatic notice (N009, N010, N013) go out n
// times, each time with its own retries. n < 1 means once.
func (s *Sandbox) DuplicateNotices(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dup = max(1, n)
}

// NoticeBeforeReply, when on, makes F040 deliver its N009 synchronously
// (retries included) before the F040 answer is written, so the shop learns
// about its eSIMs before it knows the vendor's order ID. N010 follows
// asynchronously.
func (s *Sandbox) NoticeBeforeReply(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.early = on
}

// Calls reports how many requests named tradeType in their body, whatever
// the outcome (bad signature and injected faults included).
func (s *Sandbox) Calls(tradeType string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[tradeType]
}

// SetBalance sets the account balance in fen (hundredths of a CNY), for
// testing what happens when the reseller account runs dry.
func (s *Sandbox) SetBalance(fen int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.balance = fen
}

func (s *Sandbox) takeCodeFaultLocked(tradeType string) *codeFault {
	f := s.failCode[tradeType]
	if f == nil {
		return nil
	}
	if f.n--; f.n <= 0 {
		delete(s.failCode, tradeType)
	}
	return &codeFault{code: f.code, msg: f.msg}
}

func (s *Sandbox) takeHTTPFaultLocked(tradeType string) int {
	f := s.failHTTP[tradeType]
	if f == nil {
		return 0
	}
	if f.n--; f.n <= 0 {
		delete(s.failHTTP, tradeType)
	}
	return f.status
}

func (s *Sandbox) delayFor(tradeType string) time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.delays[tradeType]
}

// writeGatewayError writes an nginx-style HTML error page (Cloudflare's
// for 522).
func writeGatewayError(w http.ResponseWriter, status int) {
	text := fmt.Sprintf("%d %s", status, http.StatusText(status))
	if status == 522 {
		text = "522: Connection timed out"
	}
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", text, text)
}
