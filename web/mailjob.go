package web

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strconv"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/mail"
)

// sendESIMEmail is the send_esim_email job: email the buyer, in their
// language, the order page link, the QR codes and the manual details.
// Without SMTP the mail is only logged (and shown in the demo outbox).
// The job is queued once per order, when it is delivered.
func (a *App) sendESIMEmail(ctx context.Context, j store.Job) error {
	o, err := a.db.OrderByID(ctx, j.OrderID)
	if err != nil {
		return err
	}
	if len(o.ESIMs) == 0 {
		return fmt.Errorf("order %s has no eSIMs to send", o.Number)
	}
	msg, err := a.deliveryMessage(o)
	if err != nil {
		return err
	}
	id, err := a.deliveryMailLog(ctx, o, msg)
	if err != nil {
		return err
	}
	if a.cfg.Mailer == nil {
		return a.db.SetMailStatus(ctx, id, store.MailLogged, "")
	}
	if err := a.cfg.Mailer.Send(ctx, msg); err != nil {
		if serr := a.db.SetMailStatus(ctx, id, store.MailQueued, err.Error()); serr != nil {
			a.log.Error("recording mail status", "mail", id, "err", serr)
		}
		return fmt.Errorf("sending the eSIM email for order %s: %w", o.Number, err)
	}
	return a.db.SetMailStatus(ctx, id, store.MailSent, "")
}

// deliveryMailLog returns the mail log entry for this delivery email.
func (a *App) deliveryMailLog(ctx context.Context, o store.Order, msg mail.Message) (int64, error) {
	mails, err := a.db.MailsForOrder(ctx, o.ID)
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
	return a.db.RecordMail(ctx, store.Mail{
		OrderID: o.ID, Kind: store.MailESIMDelivery, To: o.Email, Subject: msg.Subject,
		Text: msg.Text, HTML: msg.HTML, Status: store.MailQueued,
	})
}

// deliveryMessage renders the delivery email with its QR codes inline.
func (a *App) deliveryMessage(o store.Order) (mail.Message, error) {
	lang := o.Lang
	d := views.EmailData{
		Lang: lang, Number: o.Number, OrderURL: a.cfg.BaseURL + "/orders/" + o.Token,
		Lines: orderLines(lang, o), Total: money(o.Total, o.Currency, lang), Demo: a.cfg.Demo,
	}
	msg := mail.Message{From: a.cfg.MailFrom, To: o.Email, Subject: views.EmailSubject(lang, o.Number)}
	for i, e := range o.ESIMs {
		cid := "qr-" + strconv.FormatInt(e.ID, 10)
		png, err := qrPNG(e.LPA)
		if err != nil {
			return msg, err
		}
		msg.Attachments = append(msg.Attachments, mail.Attachment{
			Filename: "esim-" + strconv.Itoa(i+1) + ".png", ContentType: "image/png", ContentID: cid, Data: png,
		})
		v := a.esimView(lang, o, i, e)
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
	msg.Headers = map[string]string{"X-Order": o.Number, "Message-ID": "<" + o.Number + ".delivery@" + a.host() + ">"}
	return msg, nil
}

// host is the shop's host name, from BASE_URL.
func (a *App) host() string {
	if u, err := url.Parse(a.cfg.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// emailFailed records that the delivery email could not be sent; the
// eSIM stays on the order page, and the operator can re-send it.
func (a *App) emailFailed(ctx context.Context, j store.Job, err error) {
	if nerr := a.db.AddOrderNote(ctx, j.OrderID, "delivery email could not be sent: "+err.Error()); nerr != nil {
		a.log.Error("noting mail failure", "order_id", j.OrderID, "err", nerr)
	}
}
