package metrics

import (
	"context"
	"errors"
	"fmt"
	"net/textproto"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/web/mail"
)

// senderFunc is a mail.Sender from a function.
type senderFunc func(context.Context, mail.Message) error

// Send calls f.
func (f senderFunc) Send(ctx context.Context, m mail.Message) error { return f(ctx, m) }

func TestSenderCountsOutcomes(t *testing.T) {
	m := New(nil, "")
	if m.Sender(nil) != nil {
		t.Error("a nil sender must stay nil")
	}
	errs := []error{nil, nil, &textproto.Error{Code: 451, Msg: "later"}, fmt.Errorf("x: %w", mail.ErrInvalid)}
	for _, e := range errs {
		s := m.Sender(senderFunc(func(context.Context, mail.Message) error { return e }))
		if got := s.Send(context.Background(), mail.Message{}); !errors.Is(got, e) {
			t.Errorf("Send = %v, want %v passed through", got, e)
		}
	}
	for outcome, want := range map[string]float64{"sent": 2, "temporary": 1, "permanent": 1} {
		if got := testutil.ToFloat64(m.mails.WithLabelValues(outcome)); got != want {
			t.Errorf("%s = %v, want %v", outcome, got, want)
		}
	}
}

func TestVendorOutcome(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, "ok"},
		{&bc.APIError{TradeType: "F040", TradeCode: "1001"}, "refused"},
		{&bc.BadAnswerError{TradeType: "F002", Reason: "x"}, "bad_answer"},
		{&bc.HTTPError{TradeType: "F002", StatusCode: 502}, "http_error"},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), "timeout"},
	}
	m := New(nil, "")
	for _, tt := range tests {
		if got := vendorOutcome(tt.err); got != tt.want {
			t.Errorf("vendorOutcome(%v) = %s, want %s", tt.err, got, tt.want)
		}
		m.ObserveVendor("F040", time.Millisecond, tt.err)
	}
	if got := testutil.ToFloat64(m.vendor.WithLabelValues("F040", "refused")); got != 1 {
		t.Errorf("refused count %v", got)
	}
}
