package store

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestMailLog(t *testing.T) {
	ctx := context.Background()
	db, clk, o := paidOrder(t)
	mail := func(orderID int64, status string) Mail {
		return Mail{OrderID: orderID, Kind: MailESIMDelivery, To: " buyer@example.com ", Subject: "Your eSIM",
			Text: "Scan the QR code.", HTML: "<p>Scan the QR code.</p>", Status: status}
	}
	steps := []struct {
		name     string
		m        Mail
		wantSent bool
	}{
		{"queued for the order", mail(o.ID, ""), false},
		{"logged without SMTP", mail(o.ID, MailLogged), true},
		{"sent, no order", mail(0, MailSent), true},
	}
	var ids []int64
	for i, s := range steps {
		at := t0.Add(time.Duration(i) * time.Minute)
		clk.set(at)
		id, err := db.RecordMail(ctx, s.m)
		if err != nil {
			t.Fatalf("%s: RecordMail: %v", s.name, err)
		}
		ids = append(ids, id)
		all, err := db.Mails(ctx, 1)
		if err != nil || len(all) != 1 {
			t.Fatalf("%s: Mails = %v, %v", s.name, all, err)
		}
		got := all[0]
		want := s.m
		want.ID, want.To, want.CreatedAt = id, "buyer@example.com", at
		if want.Status == "" {
			want.Status = MailQueued
		}
		if s.wantSent {
			want.SentAt = at
		}
		if got != want {
			t.Errorf("%s: stored\n%+v\nwant\n%+v", s.name, got, want)
		}
	}
	clk.set(t0.Add(time.Hour))
	if err := db.SetMailStatus(ctx, ids[0], MailFailed, "550 mailbox unavailable"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetMailStatus(ctx, ids[0], MailSent, ""); err != nil {
		t.Fatal(err)
	}
	forOrder, err := db.MailsForOrder(ctx, o.ID)
	if err != nil || len(forOrder) != 2 || forOrder[0].ID != ids[0] || forOrder[0].Status != MailSent ||
		forOrder[0].Error != "" || !forOrder[0].SentAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("MailsForOrder = %+v, %v", forOrder, err)
	}
	// A later status does not move SentAt back to NULL.
	if err := db.SetMailStatus(ctx, ids[1], MailFailed, "bounce"); err != nil {
		t.Fatal(err)
	}
	if m, _ := db.MailsForOrder(ctx, o.ID); !m[1].SentAt.Equal(t0.Add(time.Minute)) || m[1].Error != "bounce" {
		t.Errorf("mail after bounce %+v", m[1])
	}
	if all, _ := db.Mails(ctx, 0); len(all) != 3 || all[0].ID != ids[2] {
		t.Errorf("Mails(0) = %+v, want all three newest first", all)
	}

	bad := []struct {
		name string
		m    Mail
		code string
	}{
		{"no kind", Mail{To: "a@b.c"}, EINVALID},
		{"bad recipient", Mail{Kind: MailESIMDelivery, To: "nobody"}, EINVALID},
		{"bad status", Mail{Kind: MailESIMDelivery, To: "a@b.c", Status: "bounced"}, EINVALID},
		{"huge body", Mail{Kind: MailESIMDelivery, To: "a@b.c", HTML: strings.Repeat("x", maxMailBodyLen+1)}, EINVALID},
		{"unknown order", Mail{Kind: MailESIMDelivery, To: "a@b.c", OrderID: 999}, ENOTFOUND},
	}
	for _, b := range bad {
		if _, err := db.RecordMail(ctx, b.m); ErrorCode(err) != b.code {
			t.Errorf("%s: %v, want %s", b.name, err, b.code)
		}
	}
	if err := db.SetMailStatus(ctx, 999, MailSent, ""); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown mail: %v, want ENOTFOUND", err)
	}
	if err := db.SetMailStatus(ctx, ids[0], "done", ""); ErrorCode(err) != EINVALID {
		t.Errorf("bad status: %v, want EINVALID", err)
	}
}
