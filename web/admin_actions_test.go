package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/admin"
	"github.com/esimshop/esimshop/web/mail"
)

// refundCounter wraps the shop's payment provider and counts refunds.
type refundCounter struct {
	billing.Provider
	refunds atomic.Int32
}

func (p *refundCounter) Refund(ctx context.Context, r billing.RefundRequest) (string, error) {
	p.refunds.Add(1)
	return p.Provider.Refund(ctx, r)
}

// countingMailer is an SMTP stand-in that counts what it sends.
type countingMailer struct{ sent atomic.Int32 }

func (m *countingMailer) Send(context.Context, mail.Message) error {
	m.sent.Add(1)
	return nil
}

// deliveredOrder buys a plan and waits until its eSIM arrived and the
// email was logged.
func deliveredOrder(t *testing.T, s *testShop) store.Order {
	t.Helper()
	paid := s.buyAndPay(t, 1)
	o := s.waitStatus(t, paid.ID, store.StatusDelivered)
	waitFor(t, "the delivery email", func() bool {
		mails, err := s.db.MailsForOrder(context.Background(), o.ID)
		return err == nil && len(mails) == 1 && (mails[0].Status == store.MailLogged || mails[0].Status == store.MailSent)
	})
	return o
}

// waitFor polls cond for up to 15 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestAdminOrderActions checks each order action's effect, and that the
// same form submitted twice (same action_id) does not repeat it.
func TestAdminOrderActions(t *testing.T) {
	tests := []struct {
		name   string
		opts   func(*Config)
		setup  func(t *testing.T, s *testShop) store.Order
		action string
		form   url.Values
		flash  string
		check  func(t *testing.T, s *testShop, o store.Order) // after both submits
	}{
		{
			name: "retry placement",
			setup: func(t *testing.T, s *testShop) store.Order {
				// A refusal goes to the operator after one call.
				s.sandbox.FailNext("F040", 1, "1005", "账户余额不足")
				paid := s.buyAndPay(t, 1)
				return s.waitStatus(t, paid.ID, store.StatusNeedsAttention)
			},
			action: "retry-placement", flash: "retry-placement",
			check: func(t *testing.T, s *testShop, o store.Order) {
				s.waitStatus(t, o.ID, store.StatusDelivered)
				if n := len(s.sandbox.Orders()); n != 1 {
					t.Errorf("%d vendor orders, want 1", n)
				}
				if n := s.sandbox.Calls("F040"); n != 2 {
					t.Errorf("%d F040 calls, want 2 (1 refused + 1 retry)", n)
				}
			},
		},
		{
			name:   "refund",
			setup:  func(t *testing.T, s *testShop) store.Order { return deliveredOrder(t, s) },
			action: "refund", form: url.Values{"confirm": {"1"}}, flash: "refund",
			check: func(t *testing.T, s *testShop, o store.Order) {
				got, err := s.db.OrderByID(context.Background(), o.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != store.StatusRefunded || !strings.HasPrefix(got.RefundID, "demo_re_") {
					t.Errorf("order %s refund %q, want refunded", got.Status, got.RefundID)
				}
				if n := s.app.cfg.Payments.(*refundCounter).refunds.Load(); n != 1 {
					t.Errorf("%d refund calls, want 1", n)
				}
			},
		},
		{
			name:   "resend email",
			opts:   func(c *Config) { c.Mailer = &countingMailer{} },
			setup:  func(t *testing.T, s *testShop) store.Order { return deliveredOrder(t, s) },
			action: "resend-email", flash: "resend-email",
			check: func(t *testing.T, s *testShop, o store.Order) {
				m := s.app.cfg.Mailer.(*countingMailer)
				waitFor(t, "the second email", func() bool { return m.sent.Load() == 2 })
				time.Sleep(300 * time.Millisecond) // a third would come now
				if n := m.sent.Load(); n != 2 {
					t.Errorf("%d emails sent, want 2", n)
				}
			},
		},
		{
			name:   "vendor resend",
			setup:  func(t *testing.T, s *testShop) store.Order { return deliveredOrder(t, s) },
			action: "vendor-resend", flash: "vendor-resend",
			check: func(t *testing.T, s *testShop, o store.Order) {
				if n := s.sandbox.Calls("F041"); n != 1 {
					t.Errorf("%d F041 calls, want 1", n)
				}
			},
		},
		{
			name:   "check status",
			setup:  func(t *testing.T, s *testShop) store.Order { return deliveredOrder(t, s) },
			action: "check-status", flash: "check-status",
			check: func(t *testing.T, s *testShop, o store.Order) {
				if s.sandbox.Calls("F011") != 1 || s.sandbox.Calls("F042") != 1 {
					t.Errorf("F011 %d, F042 %d calls, want 1 each", s.sandbox.Calls("F011"), s.sandbox.Calls("F042"))
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newAdminShop(t, func(c *Config) {
				c.Payments = &refundCounter{Provider: c.Payments}
				if tt.opts != nil {
					tt.opts(c)
				}
			})
			s.app.Start()
			o := tt.setup(t, s)
			ac := signIn(t, s)
			page := orderURL(o.Number)
			form := url.Values{"action_id": {testActionID(tt.action, 1)}}
			for k, v := range tt.form {
				form[k] = v
			}
			wantDone(t, ac.post(t, page+"/"+tt.action, form), page, tt.flash)
			wantDone(t, ac.post(t, page+"/"+tt.action, form), page, "dup")
			tt.check(t, s, o)
			resp := ac.get(t, page+"?done="+tt.flash)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("order page: status %d", resp.StatusCode)
			}
			body := text(doc(t, resp).Find("body"))
			if !strings.Contains(body, admin.FlashMessage(tt.flash)) {
				t.Errorf("order page does not show %q", admin.FlashMessage(tt.flash))
			}
			audit, err := s.db.AuditLog(context.Background(), o.ID, 10)
			if err != nil || len(audit) != 1 || audit[0].AdminEmail != testAdminEmail {
				t.Errorf("audit log %+v (err %v), want one entry by the admin", audit, err)
			}
		})
	}
}

// TestAdminRefundNeedsConfirmation checks that a refund without the ticked
// box does nothing and leaves the form usable.
func TestAdminRefundNeedsConfirmation(t *testing.T) {
	s := newAdminShop(t, func(c *Config) { c.Payments = &refundCounter{Provider: c.Payments} })
	s.app.Start()
	o := deliveredOrder(t, s)
	ac := signIn(t, s)
	page := orderURL(o.Number)
	form := url.Values{"action_id": {testActionID("refund", 2)}}
	wantDone(t, ac.post(t, page+"/refund", form), page, "confirm")
	if n := s.app.cfg.Payments.(*refundCounter).refunds.Load(); n != 0 {
		t.Fatalf("%d refunds without confirmation", n)
	}
	form.Set("confirm", "1")
	wantDone(t, ac.post(t, page+"/refund", form), page, "refund")
	// Refunded: nothing more happens, even from a fresh form.
	form.Set("action_id", testActionID("refund", 3))
	wantDone(t, ac.post(t, page+"/refund", form), page, "nothing")
	form.Set("action_id", testActionID("retry-placement", 4))
	wantDone(t, ac.post(t, page+"/retry-placement", form), page, "not-allowed")
	if n := s.app.cfg.Payments.(*refundCounter).refunds.Load(); n != 1 {
		t.Errorf("%d refunds, want 1", n)
	}
}

// TestAdminActionNeedsActionID checks that an action form without a
// well-formed action_id is refused: it could not be told from its repeat.
func TestAdminActionNeedsActionID(t *testing.T) {
	s := newAdminShop(t)
	s.app.Start()
	o := deliveredOrder(t, s)
	ac := signIn(t, s)
	for _, id := range []string{"", "short", strings.Repeat("g", 32) + "-x", testActionID("X", 1)} {
		resp := ac.post(t, orderURL(o.Number)+"/vendor-resend", url.Values{"action_id": {id}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("action_id %q: status %d, want 400", id, resp.StatusCode)
		}
	}
	if n := s.sandbox.Calls("F041"); n != 0 {
		t.Errorf("%d F041 calls, want 0", n)
	}
}
