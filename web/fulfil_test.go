package web

import (
	"context"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/esimshop/esimshop/bc/sandbox"
	"github.com/esimshop/esimshop/store"
)

// buyAndPay buys a plan through the real checkout form and the demo
// payment page, and returns the paid order.
func (s *testShop) buyAndPay(t testing.TB, quantity int) store.Order {
	t.Helper()
	pending := s.buyPending(t, quantity)
	if resp := s.post(t, "/demo/pay/"+pending.Token+"/pay", url.Values{"_csrf": {csrfTestToken}}, true); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay status %d", resp.StatusCode)
	}
	o, err := s.db.OrderByID(context.Background(), pending.ID)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// buyPending checks a plan out through the real checkout form and returns
// the order, still waiting for its payment.
func (s *testShop) buyPending(t testing.TB, quantity int) store.Order {
	t.Helper()
	p := someMultiTierPlan(t, s)
	resp := s.post(t, "/checkout", validForm(p, p.Priced[1].Copies, quantity), true)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("checkout status %d", resp.StatusCode)
	}
	token := resp.Header.Get("Location")[strings.LastIndex(resp.Header.Get("Location"), "/")+1:]
	o, err := s.db.OrderByToken(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// waitStatus waits until the order reaches want, failing after 15s.
func (s *testShop) waitStatus(t testing.TB, id int64, want store.OrderStatus) store.Order {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		o, err := s.db.OrderByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Status == want {
			return o
		}
		if time.Now().After(deadline) {
			t.Fatalf("order %s is %s, never became %s", o.Number, o.Status, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitMails waits until the order has n logged mails, then a little longer
// to catch a second one that should not come.
func (s *testShop) mailsAfterSettling(t testing.TB, id int64) []store.Mail {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mails, err := s.db.MailsForOrder(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(mails) > 0 && mails[0].Status == "logged" || time.Now().After(deadline) {
			time.Sleep(200 * time.Millisecond)
			mails, err = s.db.MailsForOrder(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			return mails
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestFulfilment goes from payment to a delivered eSIM: F040 with the
// right fields, N009 stored, the order page showing a QR code that decodes
// to the exact LPA string, and one email.
func TestFulfilment(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	s.app.Start()
	paid := s.buyAndPay(t, 2)
	o := s.waitStatus(t, paid.ID, store.StatusDelivered)

	orders := s.sandbox.Orders()
	if len(orders) != 1 {
		t.Fatalf("%d vendor orders, want 1", len(orders))
	}
	vo, line := orders[0], paid.Lines[0]
	if vo.ChannelOrderID != o.Number || vo.Email != o.Email || len(vo.SubOrders) != 1 {
		t.Errorf("vendor order = %+v", vo)
	}
	sub := vo.SubOrders[0]
	if sub.ChannelSubOrderID != line.Number || sub.SKUID != line.SKUID || sub.Copies != line.Copies || sub.Number != 2 {
		t.Errorf("vendor line = %+v, want %+v", sub, line)
	}
	if o.VendorOrderID != vo.OrderID || o.Lines[0].VendorSubOrderID != sub.SubOrderID {
		t.Errorf("vendor ids not stored: %q %q", o.VendorOrderID, o.Lines[0].VendorSubOrderID)
	}
	if len(o.ESIMs) != 2 {
		t.Fatalf("%d eSIMs stored, want 2", len(o.ESIMs))
	}
	for i, e := range o.ESIMs {
		want := sub.ESIMs[i]
		if e.ICCID != want.ICCID || e.LPA != want.QRCodeContent || e.SMDP == "" || e.ActivationCode == "" || !strings.HasSuffix(e.LPA, e.ActivationCode) {
			t.Errorf("eSIM %d = %+v, vendor sent %+v", i, e, want)
		}
	}

	d := doc(t, s.get(t, "/orders/"+o.Token+"?lang=en"))
	page := d.Text()
	for _, e := range o.ESIMs {
		for _, want := range []string{e.ICCID, e.SMDP, e.ActivationCode} {
			if !strings.Contains(page, want) {
				t.Errorf("order page lacks %q", want)
			}
		}
	}
	src, ok := d.Find(`img[src*="/qr.png"]`).First().Attr("src")
	if !ok {
		t.Fatal("no QR image on the order page")
	}
	qr := s.get(t, src)
	if qr.StatusCode != http.StatusOK || qr.Header.Get("Cache-Control") != "no-store" || qr.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR: %d %v", qr.StatusCode, qr.Header)
	}
	if got := decodeQR(t, qr.Body); got != o.ESIMs[0].LPA {
		t.Errorf("QR decodes to %q, want %q", got, o.ESIMs[0].LPA)
	}
	mails := s.mailsAfterSettling(t, o.ID)
	if len(mails) != 1 || !strings.Contains(mails[0].Text, o.ESIMs[0].ActivationCode) || mails[0].To != o.Email {
		t.Errorf("mails = %d %+v", len(mails), mails)
	}
}

// decodeQR reads a QR code PNG back to its text.
func decodeQR(t testing.TB, r io.Reader) string {
	t.Helper()
	img, err := png.Decode(r)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.GetText()
}

// TestFulfilmentFaults covers the vendor misbehaving: F040 failing before
// it works, N009 repeated, and N009 arriving before the F040 reply. Each
// ends with one vendor order, one set of eSIMs and one email.
func TestFulfilmentFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault func(*sandbox.Sandbox)
		f040  int // calls expected
	}{
		{"F040 busy 3 times", func(sb *sandbox.Sandbox) { sb.FailNextBusy("F040", 3) }, 4},
		{"F040 gateway errors", func(sb *sandbox.Sandbox) { sb.FailNextHTTP("F040", 2, http.StatusBadGateway) }, 3},
		{"F040 Cloudflare 522", func(sb *sandbox.Sandbox) { sb.FailNextHTTP("F040", 1, 522) }, 2},
		{"F040 HTML page with HTTP 200", func(sb *sandbox.Sandbox) { sb.FailNextHTTP("F040", 2, http.StatusOK) }, 3},
		{"N009 twice", func(sb *sandbox.Sandbox) { sb.DuplicateNotices(2) }, 1},
		{"N009 before the F040 reply", func(sb *sandbox.Sandbox) { sb.NoticeBeforeReply(true) }, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
			tt.fault(s.sandbox)
			s.app.Start()
			paid := s.buyAndPay(t, 1)
			o := s.waitStatus(t, paid.ID, store.StatusDelivered)
			if n := len(s.sandbox.Orders()); n != 1 {
				t.Errorf("%d vendor orders", n)
			}
			if n := s.sandbox.Calls("F040"); n != tt.f040 {
				t.Errorf("%d F040 calls, want %d", n, tt.f040)
			}
			if len(o.ESIMs) != 1 {
				t.Errorf("%d eSIMs", len(o.ESIMs))
			}
			if mails := s.mailsAfterSettling(t, o.ID); len(mails) != 1 {
				t.Errorf("%d mails", len(mails))
			}
			o = s.waitVendorID(t, o.ID)
			if o.Status != store.StatusDelivered {
				t.Errorf("status %s after the F040 reply", o.Status)
			}
		})
	}
}

// waitVendorID waits until the F040 reply is stored.
func (s *testShop) waitVendorID(t testing.TB, id int64) store.Order {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		o, err := s.db.OrderByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if o.VendorOrderID != "" || time.Now().After(deadline) {
			return o
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestPlacementGivesUp checks that after the last failed try of a
// temporary fault the order waits for the operator with the vendor's code
// and message.
func TestPlacementGivesUp(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"), func(c *Config) { c.Jobs.MaxAttempts = 3 })
	s.sandbox.FailNextBusy("F040", 100)
	s.app.Start()
	paid := s.buyAndPay(t, 1)
	o := s.waitStatus(t, paid.ID, store.StatusNeedsAttention)
	if o.VendorCode != "1999" || o.VendorMsg != "系统繁忙" || !strings.Contains(o.Attention, "after 3 attempts") {
		t.Errorf("order = code %q msg %q attention %q", o.VendorCode, o.VendorMsg, o.Attention)
	}
	if n := s.sandbox.Calls("F040"); n != 3 {
		t.Errorf("%d F040 calls, want 3", n)
	}
}

// TestPlacementRefused checks that a permanent vendor refusal goes to the
// operator at once (one F040 call, no retries), with an English reading
// next to the vendor's own code and text.
func TestPlacementRefused(t *testing.T) {
	tests := []struct {
		name, code, msg, want string
		fault                 func(*sandbox.Sandbox)
	}{
		{"parameter error", "1003", "参数错误", "parameter error", func(sb *sandbox.Sandbox) { sb.FailNext("F040", 100, "1003", "参数错误") }},
		{"no sales strategy", "1047", "销售策略不存在", "no sales strategy", func(sb *sandbox.Sandbox) { sb.FailNext("F040", 100, "1047", "销售策略不存在") }},
		{"insufficient balance", "1005", "账户余额不足", "insufficient balance", func(sb *sandbox.Sandbox) { sb.SetBalance(0) }},
		{"unknown code", "4711", "未知错误", "refused the order (tradeCode 4711)", func(sb *sandbox.Sandbox) { sb.FailNext("F040", 100, "4711", "未知错误") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
			tt.fault(s.sandbox)
			s.app.Start()
			paid := s.buyAndPay(t, 1)
			o := s.waitStatus(t, paid.ID, store.StatusNeedsAttention)
			if o.VendorCode != tt.code || o.VendorMsg != tt.msg || !strings.Contains(o.Attention, tt.want) {
				t.Errorf("order = code %q msg %q attention %q", o.VendorCode, o.VendorMsg, o.Attention)
			}
			if n := s.sandbox.Calls("F040"); n != 1 {
				t.Errorf("%d F040 calls, want 1: a refusal is not retried", n)
			}
		})
	}
}

// TestCrashedWorkerIsReplaced simulates a worker killed mid-job: its job
// stays claimed until the lease runs out, then another worker completes it.
func TestCrashedWorkerIsReplaced(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"), func(c *Config) { c.Jobs.Lease = 300 * time.Millisecond })
	paid := s.buyAndPay(t, 1) // no workers yet: the job waits
	j, ok, err := s.db.ClaimJob(context.Background(), time.Now(), 300*time.Millisecond)
	if err != nil || !ok || j.OrderID != paid.ID {
		t.Fatalf("claim = %+v %v %v", j, ok, err)
	}
	// The "dead" worker never finishes. A new process starts its workers.
	s.app.Start()
	o := s.waitStatus(t, paid.ID, store.StatusDelivered)
	if n := len(s.sandbox.Orders()); n != 1 || len(o.ESIMs) != 1 {
		t.Errorf("%d vendor orders, %d eSIMs", n, len(o.ESIMs))
	}
	if err := s.db.CompleteJob(context.Background(), j); err == nil {
		t.Error("the dead worker's late completion was accepted")
	}
}

// TestReconciliation checks an order whose eSIM never comes: F011 is
// asked, recorded, and the order ends with the operator.
func TestReconciliation(t *testing.T) {
	s := newTestShopWith(t, mustRule(t, "retail", "0.14", "0", "", "usd"),
		func(c *sandbox.Config) { c.NoticeDelay = time.Hour },
		func(c *Config) { c.ReconcileAfter = 100 * time.Millisecond })
	s.app.Start()
	paid := s.buyAndPay(t, 1)
	o := s.waitStatus(t, paid.ID, store.StatusNeedsAttention)
	if s.sandbox.Calls("F011") < 2 {
		t.Errorf("F011 called %d times, want 2", s.sandbox.Calls("F011"))
	}
	events, err := s.db.OrderEvents(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range events {
		found = found || strings.Contains(e.Cause, "F011")
	}
	if !found {
		t.Errorf("no F011 note in %+v", events)
	}
}
