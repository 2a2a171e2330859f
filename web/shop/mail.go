package shop

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/mail"
	"github.com/esimshop/esimshop/web/present"
)

// sendESIMEmail is the send_esim_email job: email the buyer, in their
// language, the order page link, the QR codes and the manual details.
// Without SMTP the mail is only logged (and shown in the demo outbox).
// The job is queued once per order, when it is delivered.
func (s *Shop) sendESIMEmail(ctx context.Context, j store.Job) error {
	o, err := s.DB.OrderByID(ctx, j.OrderID)
	if err != nil {
		return err
	}
	var msg mail.Message
	if o.TopUp != nil {
		msg, err = topUpMessage(ctx, s.DB, s.BaseURL, s.MailFrom, s.Demo, o)
	} else if len(o.ESIMs) == 0 {
		return fmt.Errorf("order %s has no eSIMs to send", o.Number)
	} else {
		msg, err = s.deliveryMessage(o)
	}
	if err != nil {
		return err
	}
	id, err := s.deliveryMailLog(ctx, o, msg)
	if err != nil {
		return err
	}
	status := store.MailLogged
	if s.Mailer != nil {
		if err := s.Mailer.Send(ctx, msg); err != nil {
			if serr := s.DB.SetMailStatus(ctx, id, store.MailQueued, err.Error()); serr != nil {
				s.Log.Error("recording mail status", "mail", id, "err", serr)
			}
			return fmt.Errorf("sending the eSIM email for order %s: %w", o.Number, err)
		}
		status = store.MailSent
	}
	// The mail's outcome and the job's completion in one transaction: a
	// crash in between can no longer make a second worker send it again.
	if err := s.DB.CompleteMailJob(ctx, j, id, status); err != nil {
		return err
	}
	return errJobDone
}

// deliveryMailLog returns the mail log entry for this delivery email.
func (s *Shop) deliveryMailLog(ctx context.Context, o store.Order, msg mail.Message) (int64, error) {
	mails, err := s.DB.MailsForOrder(ctx, o.ID)
	if err != nil {
		return 0, err
	}
	// A retry reuses the row of an attempt that has not gone out yet; an
	// operator's re-send after a sent (or logged) mail gets a row of its own.
	for _, m := range mails {
		if m.Kind == store.MailESIMDelivery && m.Status == store.MailQueued {
			return m.ID, nil
		}
	}
	return s.DB.RecordMail(ctx, store.Mail{
		OrderID: o.ID, Kind: store.MailESIMDelivery, To: o.Email, Subject: msg.Subject,
		Text: msg.Text, HTML: msg.HTML, Status: store.MailQueued,
	})
}

// deliveryMessage renders the delivery email with its QR codes inline.
func (s *Shop) deliveryMessage(o store.Order) (mail.Message, error) {
	lang := o.Lang
	d := views.EmailData{
		Lang: lang, Number: o.Number, OrderURL: orderURL(s.BaseURL, o),
		Lines: present.OrderLines(lang, o), Total: present.Money(o.Total, o.Currency, lang), Demo: s.Demo,
		TravelDate: present.TravelDate(lang, o),
	}
	if s.ContactURL != nil {
		d.ContactURL = s.ContactURL(lang)
	}
	msg := mail.Message{From: s.MailFrom, To: o.Email, Subject: views.EmailSubject(lang, o.Number)}
	snap := s.Catalog.Snapshot()
	for i, e := range o.ESIMs {
		cid := "qr-" + strconv.FormatInt(e.ID, 10)
		png, err := present.QRPNG(e.LPA)
		if err != nil {
			return msg, err
		}
		msg.Attachments = append(msg.Attachments, mail.Attachment{
			Filename: "esim-" + strconv.Itoa(i+1) + ".png", ContentType: "image/png", ContentID: cid, Data: png,
		})
		v := present.ESIMView(lang, o, i, e, snap)
		v.QRURL = "cid:" + cid
		d.ESIMs = append(d.ESIMs, v)
	}
	var html bytes.Buffer
	if err := views.EmailHTML(d).Render(context.Background(), &html); err != nil {
		return msg, err
	}
	msg.HTML, msg.Text = html.String(), views.EmailText(d)
	// A stable Message-ID lets the receiving side drop a duplicate when a
	// retry follows a send whose outcome was unclear.
	msg.Headers = map[string]string{"X-Order": o.Number, "Message-ID": "<" + o.Number + ".delivery@" + host(s.BaseURL) + ">"}
	return msg, nil
}

// emailFailed records that the delivery email could not be sent; the
// eSIM stays on the order page, and the operator can re-send it.
func (s *Shop) emailFailed(ctx context.Context, j store.Job, err error) {
	if nerr := s.DB.AddOrderNote(ctx, j.OrderID, "delivery email could not be sent: "+err.Error()); nerr != nil {
		s.Log.Error("noting mail failure", "order_id", j.OrderID, "err", nerr)
	}
}
