package bc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testKey    = "channel-42"
	testSecret = vectorSecret
)

// testNow is pinned so tradeTime is predictable: 06:05:09 UTC is 14:05:09
// in the vendor's UTC+8.
var testNow = time.Date(2026, 11, 27, 6, 5, 9, 0, time.UTC)

const testTradeTime = "2026-11-27 14:05:09"

// received is one request as the fake vendor saw it.
type received struct {
	Body      []byte
	TradeType string
	TradeTime string
	TradeData json.RawMessage
}

// vendor is an httptest server that checks every request the way the real
// vendor would (method, headers, signature over the received bytes, strict
// envelope) and answers with reply.
type vendor struct {
	t     *testing.T
	reply func(w http.ResponseWriter, r *http.Request, got received)
	mu    sync.Mutex
	calls []received
}

func (v *vendor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body := new(bytes.Buffer)
	if _, err := body.ReadFrom(r.Body); err != nil {
		v.t.Errorf("reading request: %v", err)
		return
	}
	problems := []string{}
	if r.Method != http.MethodPost {
		problems = append(problems, "method "+r.Method)
	}
	if got := r.Header.Get("Content-Type"); got != "application/json;charset=UTF-8" {
		problems = append(problems, "Content-Type "+got)
	}
	if got := r.Header.Get("x-channel-id"); got != testKey {
		problems = append(problems, "x-channel-id "+got)
	}
	if got := r.Header.Get("x-sign-method"); got != "md5" {
		problems = append(problems, "x-sign-method "+got)
	}
	if !Verify(testSecret, body.Bytes(), r.Header.Get("x-sign-value")) {
		problems = append(problems, "signature does not match the received bytes")
	}
	if strings.Contains(body.String(), testSecret) {
		problems = append(problems, "secret in body")
	}
	var env struct {
		TradeType string          `json:"tradeType"`
		TradeTime string          `json:"tradeTime"`
		TradeData json.RawMessage `json:"tradeData"`
	}
	dec := json.NewDecoder(bytes.NewReader(body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&env); err != nil {
		problems = append(problems, "envelope: "+err.Error())
	}
	if env.TradeTime != testTradeTime {
		problems = append(problems, "tradeTime "+env.TradeTime)
	}
	if len(problems) > 0 {
		v.t.Errorf("bad request: %s", strings.Join(problems, "; "))
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	got := received{Body: body.Bytes(), TradeType: env.TradeType, TradeTime: env.TradeTime, TradeData: env.TradeData}
	v.mu.Lock()
	v.calls = append(v.calls, got)
	v.mu.Unlock()
	v.reply(w, r, got)
}

func (v *vendor) only(t *testing.T) received {
	t.Helper()
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.calls) != 1 {
		t.Fatalf("vendor received %d calls, want 1", len(v.calls))
	}
	return v.calls[0]
}

// newVendor starts a fake vendor and a Client pointed at it.
func newVendor(t *testing.T, reply func(w http.ResponseWriter, r *http.Request, got received)) (*Client, *vendor) {
	t.Helper()
	v := &vendor{t: t, reply: reply}
	srv := httptest.NewServer(v)
	t.Cleanup(srv.Close)
	c := New(Config{URL: srv.URL, AppKey: testKey, AppSecret: testSecret, Now: func() time.Time { return testNow }})
	return c, v
}

// answer replies 200 with body verbatim.
func answer(body string) func(http.ResponseWriter, *http.Request, received) {
	return func(w http.ResponseWriter, _ *http.Request, _ received) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, body)
	}
}

// success replies with a successful envelope around tradeData.
func success(tradeData string) func(http.ResponseWriter, *http.Request, received) {
	return answer(`{"tradeCode":"1000","tradeMsg":"success","tradeData":` + tradeData + `}`)
}

func TestCallSendsExactlySignedEnvelope(t *testing.T) {
	c, v := newVendor(t, success(`[]`))
	if _, err := c.Countries(context.Background(), "5"); err != nil {
		t.Fatal(err)
	}
	got := v.only(t)
	want := `{"tradeType":"F001","tradeTime":"2026-11-27 14:05:09","tradeData":{"salesMethod":"5","language":"2"}}`
	if string(got.Body) != want {
		t.Errorf("body\n got %s\nwant %s", got.Body, want)
	}
}

func TestNewDefaults(t *testing.T) {
	c := New(Config{URL: "http://x"})
	if c.timeout != 20*time.Second || c.loc != VendorLocation || c.maxBody != 64<<20 || c.http == nil || c.now == nil {
		t.Errorf("defaults not applied: %+v", c)
	}
	if _, off := testNow.In(c.loc).Zone(); off != 8*3600 {
		t.Errorf("default zone offset %d, want UTC+8", off)
	}
}

func TestConfigStringRedactsSecret(t *testing.T) {
	cfg := Config{URL: "http://x", AppKey: "k", AppSecret: testSecret}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%v", &cfg)} {
		if strings.Contains(s, testSecret) {
			t.Errorf("formatted Config leaks the secret: %s", s)
		}
	}
}

// TestRequestTradeData pins the tradeData every method sends: field names,
// numbers as strings, language "2" where it applies, optional fields left
// out when empty.
func TestRequestTradeData(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name      string
		tradeType string
		call      func(c *Client) error
		want      string
	}{
		{"countries", "F001", func(c *Client) error { _, err := c.Countries(context.Background(), "5"); return err },
			`{"salesMethod":"5","language":"2"}`},
		{"skus minimal", "F002", func(c *Client) error {
			_, _, err := c.SKUs(context.Background(), SKUQuery{SalesMethod: "5"})
			return err
		},
			`{"salesMethod":"5","language":"2"}`},
		{"skus all filters", "F002", func(c *Client) error {
			_, _, err := c.SKUs(context.Background(), SKUQuery{SalesMethod: "5", SKUID: "123", CountryCode: "JP", NetworkOperatorScope: "2"})
			return err
		}, `{"salesMethod":"5","language":"2","skuId":"123","countryCode":"JP","networkOperatorScope":"2"}`},
		{"skus by country", "F002", func(c *Client) error {
			_, _, err := c.SKUs(context.Background(), SKUQuery{SalesMethod: "5", CountryCode: "JP"})
			return err
		}, `{"salesMethod":"5","language":"2","countryCode":"JP"}`},
		{"prices", "F003", func(c *Client) error { _, _, err := c.Prices(context.Background(), "5"); return err },
			`{"salesMethod":"5"}`},
		{"create order", "F040", func(c *Client) error {
			_, err := c.CreateOrder(context.Background(), CreateOrderRequest{
				ChannelOrderID: "ES-1", Email: "a@example.com", TotalAmount: "9.90",
				SubOrderList: []SubOrderRequest{{ChannelSubOrderID: "ES-1-1", DeviceSKUID: "1756", PlanSKUCopies: 7, Number: 2}},
			})
			return err
		}, `{"channelOrderId":"ES-1","email":"a@example.com","totalAmount":"9.90","subOrderList":[{"channelSubOrderId":"ES-1-1","deviceSkuId":"1756","planSkuCopies":"7","number":"2"}]}`},
		{"query order", "F011", func(c *Client) error { _, err := c.QueryOrder(context.Background(), "ES-1"); return err },
			`{"channelOrderId":"ES-1"}`},
		{"resend email", "F041", func(c *Client) error { return c.ResendEmail(context.Background(), "BC9", "a@example.com") },
			`{"orderId":"BC9","email":"a@example.com"}`},
		{"profile status", "F042", func(c *Client) error { _, err := c.ProfileStatus(context.Background(), "8986"); return err },
			`{"iccid":"8986"}`},
		{"plan usage", "F046", func(c *Client) error {
			_, err := c.PlanUsage(context.Background(), PlanUsageQuery{ICCID: "8986", ChannelOrderID: "ES-1"})
			return err
		}, `{"iccid":"8986","channelOrderId":"ES-1","language":"2"}`},
		{"daily usage", "F023", func(c *Client) error {
			_, err := c.DailyUsage(context.Background(), DailyUsageQuery{ICCID: "8986", BeginDate: day(1), EndDate: day(27)})
			return err
		}, `{"iccid":"8986","beginDate":"2026-11-01","endDate":"2026-11-27","language":"2"}`},
		{"top-up skus", "F052", func(c *Client) error { _, err := c.TopUpSKUs(context.Background(), "8986"); return err },
			`{"iccid":"8986"}`},
		{"top-up", "F007", func(c *Client) error {
			_, err := c.TopUp(context.Background(), TopUpRequest{ChannelOrderID: "TU-1",
				SubOrderList: []TopUpLine{{ChannelSubOrderID: "TU-1-1", ICCID: StringList{"8986"}, SKUID: "77", Copies: 3}}})
			return err
		}, `{"channelOrderId":"TU-1","subOrderList":[{"channelSubOrderId":"TU-1-1","iccid":["8986"],"skuId":"77","copies":"3"}]}`},
		{"balance", "F014", func(c *Client) error { _, err := c.Balance(context.Background()); return err },
			`{}`},
		{"cancel order", "F008", func(c *Client) error { return c.CancelOrder(context.Background(), "BC9") },
			`{"orderId":"BC9"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, v := newVendor(t, success(`null`))
			if err := tt.call(c); err != nil {
				t.Fatal(err)
			}
			got := v.only(t)
			if got.TradeType != tt.tradeType {
				t.Errorf("tradeType %s, want %s", got.TradeType, tt.tradeType)
			}
			if string(got.TradeData) != tt.want {
				t.Errorf("tradeData\n got %s\nwant %s", got.TradeData, tt.want)
			}
		})
	}
}

// TestListCallsNullTradeData checks that a null or absent array is an
// empty, non-nil slice.
func TestListCallsNullTradeData(t *testing.T) {
	for _, body := range []string{
		`{"tradeCode":"1000","tradeMsg":"success","tradeData":null}`,
		`{"tradeCode":"1000","tradeMsg":"success"}`,
	} {
		c, _ := newVendor(t, answer(body))
		ctx := context.Background()
		countries, err1 := c.Countries(ctx, "5")
		skus, _, err2 := c.SKUs(ctx, SKUQuery{SalesMethod: "5"})
		prices, _, err3 := c.Prices(ctx, "5")
		records, err4 := c.ProfileStatus(ctx, "8986")
		usage, err5 := c.DailyUsage(ctx, DailyUsageQuery{ICCID: "8986", BeginDate: testNow, EndDate: testNow})
		topUps, err6 := c.TopUpSKUs(ctx, "8986")
		plan, err7 := c.PlanUsage(ctx, PlanUsageQuery{ICCID: "8986", OrderID: "BC9"})
		if err := errors.Join(err1, err2, err3, err4, err5, err6, err7); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if countries == nil || skus == nil || prices == nil || records == nil || usage == nil || topUps == nil || plan.SubOrderList == nil {
			t.Errorf("%s: got a nil slice", body)
		}
		if len(countries)+len(skus)+len(prices)+len(records)+len(usage)+len(topUps)+len(plan.SubOrderList) != 0 {
			t.Errorf("%s: got items", body)
		}
	}
}

func TestInvalidRequestsAreNotSent(t *testing.T) {
	line := SubOrderRequest{ChannelSubOrderID: "L1", DeviceSKUID: "S", PlanSKUCopies: 1, Number: 1}
	with := func(f func(*SubOrderRequest)) CreateOrderRequest {
		l := line
		f(&l)
		return CreateOrderRequest{ChannelOrderID: "O1", SubOrderList: []SubOrderRequest{l}}
	}
	tests := []struct {
		name string
		call func(c *Client) error
	}{
		{"no channelOrderId", func(c *Client) error {
			_, err := c.CreateOrder(context.Background(), CreateOrderRequest{SubOrderList: []SubOrderRequest{line}})
			return err
		}},
		{"no lines", func(c *Client) error {
			_, err := c.CreateOrder(context.Background(), CreateOrderRequest{ChannelOrderID: "O1"})
			return err
		}},
		{"no channelSubOrderId", func(c *Client) error {
			_, err := c.CreateOrder(context.Background(), with(func(l *SubOrderRequest) { l.ChannelSubOrderID = "" }))
			return err
		}},
		{"no deviceSkuId", func(c *Client) error {
			_, err := c.CreateOrder(context.Background(), with(func(l *SubOrderRequest) { l.DeviceSKUID = "" }))
			return err
		}},
		{"zero copies", func(c *Client) error {
			_, err := c.CreateOrder(context.Background(), with(func(l *SubOrderRequest) { l.PlanSKUCopies = 0 }))
			return err
		}},
		{"zero eSIMs", func(c *Client) error {
			_, err := c.CreateOrder(context.Background(), with(func(l *SubOrderRequest) { l.Number = 0 }))
			return err
		}},
		{"501 eSIMs", func(c *Client) error {
			_, err := c.CreateOrder(context.Background(), with(func(l *SubOrderRequest) { l.Number = 501 }))
			return err
		}},
		{"no salesMethod", func(c *Client) error { _, _, err := c.SKUs(context.Background(), SKUQuery{}); return err }},
		{"plan usage without order", func(c *Client) error {
			_, err := c.PlanUsage(context.Background(), PlanUsageQuery{ICCID: "8986"})
			return err
		}},
		{"daily usage reversed", func(c *Client) error {
			_, err := c.DailyUsage(context.Background(), DailyUsageQuery{ICCID: "8986", BeginDate: testNow, EndDate: testNow.AddDate(0, 0, -1)})
			return err
		}},
		{"top-up without iccid", func(c *Client) error {
			_, err := c.TopUp(context.Background(), TopUpRequest{ChannelOrderID: "T", SubOrderList: []TopUpLine{{ChannelSubOrderID: "T1", SKUID: "S", Copies: 1}}})
			return err
		}},
		{"cancel without id", func(c *Client) error { return c.CancelOrder(context.Background(), "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, v := newVendor(t, success(`null`))
			err := tt.call(c)
			var inv *InvalidRequestError
			if !errors.As(err, &inv) {
				t.Fatalf("err = %v, want *InvalidRequestError", err)
			}
			if Temporary(err) {
				t.Error("invalid request reported as temporary")
			}
			if len(v.calls) != 0 {
				t.Errorf("invalid request was sent")
			}
		})
	}
}
