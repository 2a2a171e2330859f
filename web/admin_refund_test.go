package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/esimshop/esimshop/bc/sandbox"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/admin"
)

// TestAdminRefundPage works a refund through the admin over HTTP: the page
// shows the fresh install status, an installed eSIM is refused without
// "refund anyway" (nothing stored), an uninstalled one is cancelled at the
// vendor (one F008) and refunded once even when the form is sent twice.
func TestAdminRefundPage(t *testing.T) {
	s := newAdminShop(t)
	s.app.Start()
	o := deliveredOrder(t, s)
	iccid := o.ESIMs[0].ICCID
	s.sandbox.SetProfileStatus(iccid, store.ProfileInstalled)
	ac := signIn(t, s)
	page := orderURL(o.Number) + "/refunds"

	resp := ac.get(t, page)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("refund page: %d", resp.StatusCode)
	}
	d := doc(t, resp)
	row := d.Find(`tr[data-esim="` + iccid + `"]`)
	if _, installed := row.Attr("data-installed"); !installed || !strings.Contains(text(row.Find("[data-install-status]")), "installed") {
		t.Fatalf("eSIM row %q: not shown as installed", text(row))
	}
	if d.Find(`form[data-form=refund] textarea[name=reason][required]`).Length() != 1 {
		t.Fatal("no required reason field")
	}

	form := url.Values{"action_id": {testActionID("refund-desk", 1)}, "iccid": {iccid}, "reason": {"buyer changed plans"}}
	resp = ac.post(t, page, form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("installed without confirmation: %d", resp.StatusCode)
	}
	d = doc(t, resp)
	if d.Find("[data-refund-error]").Length() != 1 || d.Find("[data-refund-anyway] input[name=refund_anyway]").Length() != 1 {
		t.Fatal("refusal does not say why or offer 'refund anyway'")
	}
	if rs, _ := s.db.Refunds(context.Background(), o.ID); len(rs) != 0 {
		t.Fatalf("refused refund stored: %+v", rs)
	}

	bad := url.Values{"action_id": {testActionID("refund-desk", 2)}, "amount": {"1.234"}, "reason": {"x"}}
	if resp := ac.post(t, page, bad); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad amount: %d", resp.StatusCode)
	}

	s.sandbox.SetProfileStatus(iccid, store.ProfileNotDownloaded)
	form.Set("action_id", testActionID("refund-desk", 3))
	wantDone(t, ac.post(t, page, form), page, "refund-queued")
	wantDone(t, ac.post(t, page, form), page, "dup")
	s.waitStatus(t, o.ID, store.StatusRefunded)
	if n := s.sandbox.Calls("F008"); n != 1 {
		t.Errorf("%d F008 calls, want 1", n)
	}
	if !s.sandbox.Cancelled(iccid) {
		t.Error("eSIM not cancelled at the vendor")
	}
	d = doc(t, ac.get(t, page))
	r := d.Find("tr[data-refund]")
	if r.Length() != 1 || r.AttrOr("data-vendor-state", "") != store.RefundDone || r.AttrOr("data-payment-state", "") != store.RefundDone {
		t.Fatalf("refund rows: %d, %q", r.Length(), text(r))
	}
	if !strings.Contains(text(r), "balance") {
		t.Errorf("vendor balance change not shown: %q", text(r))
	}
}

// TestAdminNoteAndEmail: a private note lands on the timeline, a wrong
// address is refused, a corrected email is audited and the resent eSIM
// email goes to it.
func TestAdminNoteAndEmail(t *testing.T) {
	s := newAdminShop(t)
	s.app.Start()
	o := deliveredOrder(t, s)
	ac := signIn(t, s)
	page := orderURL(o.Number)
	d := doc(t, ac.get(t, page))
	if d.Find(`form[data-form=note] textarea[name=note]`).Length() != 1 || d.Find(`form[data-form=email] input[name=email]`).AttrOr("value", "") != o.Email {
		t.Fatal("order page lacks the note or email form")
	}
	wantDone(t, ac.post(t, page+"/notes", url.Values{"action_id": {testActionID("note", 1)}, "note": {"called the buyer, wrong address"}}), page, "note-added")
	wantDone(t, ac.post(t, page+"/notes", url.Values{"action_id": {testActionID("note", 2)}, "note": {"  "}}), page, "note-invalid")
	wantDone(t, ac.post(t, page+"/email", url.Values{"action_id": {testActionID("email", 3)}, "email": {"not an address"}}), page, "email-invalid")
	wantDone(t, ac.post(t, page+"/email", url.Values{"action_id": {testActionID("email", 4)}, "email": {"right@example.org"}}), page, "email-changed")
	wantDone(t, ac.post(t, page+"/email", url.Values{"action_id": {testActionID("email", 4)}, "email": {"right@example.org"}}), page, "dup")
	body := text(doc(t, ac.get(t, page)).Find("body"))
	for _, want := range []string{"note by " + testAdminEmail + ": called the buyer, wrong address", "buyer email changed from " + o.Email + " to right@example.org"} {
		if !strings.Contains(body, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	wantDone(t, ac.post(t, page+"/resend-email", url.Values{"action_id": {testActionID("resend-email", 5)}}), page, "resend-email")
	waitFor(t, "the resent email", func() bool {
		mails, _ := s.db.MailsForOrder(context.Background(), o.ID)
		return len(mails) == 2 && mails[len(mails)-1].To == "right@example.org" || len(mails) == 2 && mails[0].To == "right@example.org"
	})
	audit, _ := s.db.AuditLog(context.Background(), o.ID, 10)
	actions := map[string]int{}
	for _, a := range audit {
		actions[a.Action]++
	}
	if actions["note"] != 1 || actions["change_email"] != 2 {
		t.Errorf("audit %v", actions)
	}
}

// TestAdminEnterESIMByHand recovers a stuck order (F040 accepted, no
// N009): a bad ICCID or activation string is refused and stores nothing;
// a good one delivers the order and sends the eSIM email.
func TestAdminEnterESIMByHand(t *testing.T) {
	s := newTestShopWith(t, mustRule(t, "retail", "0.14", "0", "", "usd"), func(c *sandbox.Config) { c.NoticeDelay = time.Hour })
	if err := admin.CreateAccount(context.Background(), s.db, testAdminEmail, testAdminPassword); err != nil {
		t.Fatal(err)
	}
	s.app.Start()
	o := s.waitStatus(t, s.buyAndPay(t, 1).ID, store.StatusPlaced)
	ac := signIn(t, s)
	page := orderURL(o.Number)
	if doc(t, ac.get(t, page)).Find(`form[data-form=enter-esim]`).Length() != 1 {
		t.Fatal("no 'enter eSIM by hand' form on a stuck order")
	}
	const lpa = "LPA:1$SECSMSMINIAPP.EASTCOMPEACE.COM$2C13942911FF452AB45E9E99A5D444A1"
	bad := []url.Values{
		{"iccid": {"12345"}, "lpa": {lpa}},
		{"iccid": {"89852000000000012345"}, "lpa": {"not an LPA"}},
	}
	for i, f := range bad {
		f.Set("action_id", testActionID("enter-esim", i+1))
		wantDone(t, ac.post(t, page+"/esims", f), page, "esim-invalid")
	}
	if cur, _ := s.db.OrderByID(context.Background(), o.ID); len(cur.ESIMs) != 0 || cur.Status != store.StatusPlaced {
		t.Fatalf("a refused eSIM changed the order: %s, %d eSIMs", cur.Status, len(cur.ESIMs))
	}
	good := url.Values{"action_id": {testActionID("enter-esim", 9)}, "iccid": {"89852000000000012345"}, "lpa": {lpa}}
	wantDone(t, ac.post(t, page+"/esims", good), page, "esim-delivered")
	d := s.waitStatus(t, o.ID, store.StatusDelivered)
	if len(d.ESIMs) != 1 || d.ESIMs[0].ActivationCode != "2C13942911FF452AB45E9E99A5D444A1" {
		t.Fatalf("eSIMs %+v", d.ESIMs)
	}
	waitFor(t, "the eSIM email", func() bool {
		mails, _ := s.db.MailsForOrder(context.Background(), o.ID)
		return len(mails) == 1
	})
}
