package shop

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/mail"
)

// recordingMailer keeps what it was asked to send.
type recordingMailer struct {
	mu   sync.Mutex
	sent []mail.Message
}

var _ mail.Sender = (*recordingMailer)(nil)

// Send implements mail.Sender.
func (m *recordingMailer) Send(_ context.Context, msg mail.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg)
	return nil
}

// claim claims the next due job at now, failing the test if it is not of kind.
func (tc *testCore) claim(t *testing.T, now time.Time, lease time.Duration, kind string) store.Job {
	t.Helper()
	j, ok, err := tc.db.ClaimJob(context.Background(), now, lease)
	if err != nil || !ok || j.Kind != kind {
		t.Fatalf("claim = %+v, %v, %v; want a %s job", j, ok, err, kind)
	}
	return j
}

// TestDeliveryEmailOnce: the delivery mail's outcome and its job's
// completion are one transaction. A worker whose lease ran out while it
// was sending cannot record it; the worker that took the job over reuses
// the same mail row and Message-ID, so the mail log shows one mail and a
// receiving server sees one message.
func TestDeliveryEmailOnce(t *testing.T) {
	mailer := &recordingMailer{}
	tc := newTestCore(t, false, func(d *Deps) { d.Mailer = mailer })
	ctx := context.Background()
	o := tc.checkout(t, 1)
	if err := tc.shop.PayDemo(ctx, o); err != nil {
		t.Fatal(err)
	}
	tc.shop.jobs.runJob(tc.claim(t, time.Now(), time.Minute, store.JobPlaceOrder))
	tc.waitStatus(t, o.ID, store.StatusDelivered)

	now := time.Now().Add(time.Second)
	first := tc.claim(t, now, time.Millisecond, store.JobSendESIMEmail)
	second := tc.claim(t, now.Add(time.Second), time.Minute, store.JobSendESIMEmail) // the lease ran out: taken over
	if err := tc.shop.sendESIMEmail(ctx, first); !errors.Is(err, store.ErrJobLeaseLost) {
		t.Fatalf("first worker: %v, want its lease lost", err)
	}
	tc.shop.jobs.runJob(second)

	mails, err := tc.db.MailsForOrder(ctx, o.ID)
	if err != nil || len(mails) != 1 || mails[0].Status != store.MailSent {
		t.Fatalf("mails %+v (err %v), want one sent", mails, err)
	}
	if len(mailer.sent) != 2 || mailer.sent[0].Headers["Message-ID"] != mailer.sent[1].Headers["Message-ID"] {
		t.Errorf("sent %d messages, want the same Message-ID twice", len(mailer.sent))
	}
	jobs, err := tc.db.Jobs(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if j.Kind == store.JobSendESIMEmail && (j.State != "done" || j.Attempts != 2) {
			t.Errorf("email job %s after %d attempts, want done after 2", j.State, j.Attempts)
		}
	}
	if j, ok, _ := tc.db.ClaimJob(ctx, now.Add(time.Minute), time.Minute); ok {
		t.Errorf("a %s job is still due after the mail went out", j.Kind)
	}
}
