package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/esimshop/esimshop/bc"
)

const (
	testKey    = "test-app-key"
	testSecret = "65f4ee66c5a019b9d0f5545b575c33c6"
)

// vendorReply is a decoded vendor answer.
type vendorReply struct {
	TradeCode json.RawMessage `json:"tradeCode"`
	TradeMsg  string          `json:"tradeMsg"`
	TradeData json.RawMessage `json:"tradeData"`
}

// code returns tradeCode whether it came as a string or a number.
func (r vendorReply) code() string { return strings.Trim(string(r.TradeCode), `"`) }

// testClient is a minimal signed client, independent of package bc's
// client so that the sandbox is tested against the protocol document.
type testClient struct {
	t      *testing.T
	url    string
	http   *http.Client
	key    string
	secret string
}

func (c *testClient) body(tradeType string, data any) []byte {
	c.t.Helper()
	b, err := json.Marshal(map[string]any{"tradeType": tradeType, "tradeTime": time.Now().Format(timeLayout), "tradeData": data})
	if err != nil {
		c.t.Fatal(err)
	}
	return b
}

// post sends body signed with the client's credentials.
func (c *testClient) post(body []byte, hdr map[string]string) (*http.Response, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set("x-channel-id", c.key)
	req.Header.Set("x-sign-method", "md5")
	req.Header.Set("x-sign-value", bc.Sign(c.secret, body))
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp, out, err
}

// call performs one interface call and decodes the envelope.
func (c *testClient) call(tradeType string, data any) vendorReply {
	c.t.Helper()
	return c.callRaw(c.body(tradeType, data), nil)
}

func (c *testClient) callRaw(body []byte, hdr map[string]string) vendorReply {
	c.t.Helper()
	resp, out, err := c.post(body, hdr)
	if err != nil {
		c.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("HTTP %d: %s", resp.StatusCode, out)
	}
	var r vendorReply
	if err := json.Unmarshal(out, &r); err != nil {
		c.t.Fatalf("reply %s: %v", out, err)
	}
	return r
}

// mustOK calls and decodes tradeData into v, failing unless tradeCode is 1000.
func (c *testClient) mustOK(tradeType string, data, v any) {
	c.t.Helper()
	r := c.call(tradeType, data)
	if r.code() != codeOK {
		c.t.Fatalf("%s: tradeCode %s %s", tradeType, r.code(), r.TradeMsg)
	}
	if v != nil {
		if err := json.Unmarshal(r.TradeData, v); err != nil {
			c.t.Fatalf("%s data %s: %v", tradeType, r.TradeData, err)
		}
	}
}

// received is one notice the test callback got.
type received struct {
	TradeType string
	Body      []byte
	SignOK    bool
	Header    http.Header
	At        time.Time
}

// receiver is the shop's webhook as far as the tests need it.
type receiver struct {
	mu      sync.Mutex
	got     []received
	hits    map[string]int
	respond func(tradeType string, hit int) (int, string) // hit counts per tradeType from 1; nil acks everything
	srv     *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{hits: map[string]int{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var env struct {
			TradeType string `json:"tradeType"`
		}
		_ = json.Unmarshal(body, &env)
		rc.mu.Lock()
		rc.hits[env.TradeType]++
		hit := rc.hits[env.TradeType]
		rc.got = append(rc.got, received{env.TradeType, body, bc.Verify(testSecret, body, r.Header.Get("x-sign-value")), r.Header.Clone(), time.Now()})
		respond := rc.respond
		rc.mu.Unlock()
		status, answer := http.StatusOK, `{"tradeCode":"1000","tradeMsg":"success"}`
		if respond != nil {
			status, answer = respond(env.TradeType, hit)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// of returns the notices of one tradeType received so far.
func (rc *receiver) of(tradeType string) []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []received
	for _, g := range rc.got {
		if g.TradeType == tradeType {
			out = append(out, g)
		}
	}
	return out
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// setup starts a sandbox behind an httptest server with a callback
// receiver, and returns a signed client for it.
func setup(t *testing.T, mod func(*Config)) (*Sandbox, *testClient, *receiver) {
	t.Helper()
	rc := newReceiver(t)
	cfg := Config{AppKey: testKey, AppSecret: testSecret, CallbackURL: rc.srv.URL + "/wp-json/bcesim/v1/webhook", NoticeDelay: 20 * time.Millisecond, Seed: 42}
	if mod != nil {
		mod(&cfg)
	}
	sb := New(cfg)
	srv := httptest.NewServer(sb)
	t.Cleanup(func() {
		srv.Close()
		sb.Close()
	})
	return sb, &testClient{t: t, url: srv.URL + "/Flow/saler/2.0/invoke", http: srv.Client(), key: testKey, secret: testSecret}, rc
}

// Known SKUs of the default catalog, found by name so the tests do not
// depend on generated IDs.
func skuByName(t *testing.T, cat *Catalog, name string) SKU {
	t.Helper()
	for _, s := range cat.SKUs {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no SKU named %q", name)
	return SKU{}
}

// order builds an F040 tradeData with one line per (sku, copies, number).
func order(id string, lines ...[3]string) map[string]any {
	var subs []map[string]any
	for i, l := range lines {
		subs = append(subs, map[string]any{
			"channelSubOrderId": id + "-" + string(rune('a'+i)),
			"deviceSkuId":       l[0], "planSkuCopies": l[1], "number": l[2],
		})
	}
	return map[string]any{"channelOrderId": id, "email": "buyer@example.com", "subOrderList": subs}
}

// signWith signs body with an arbitrary secret.
func signWith(secret string, body []byte) string { return bc.Sign(secret, body) }
