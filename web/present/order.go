package present

import (
	"net/url"
	"strconv"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
)

// qrSize is the QR image's side in pixels: large enough to scan from a
// second screen or paper, small enough for email.
const qrSize = 320

// QRPNG renders an LPA activation string as a QR code PNG. Medium error
// correction keeps the code sparse enough to scan from a phone screen.
func QRPNG(lpa string) ([]byte, error) {
	return qrcode.Encode(lpa, qrcode.Medium, qrSize)
}

// Money formats an amount in minor units for lang.
func Money(amount int64, currency, lang string) string {
	return billing.Money{Amount: amount, Currency: currency}.Format(lang)
}

// OrderLines turns order lines into their view.
func OrderLines(lang string, o store.Order) []views.OrderLineView {
	out := make([]views.OrderLineView, 0, len(o.Lines))
	for _, l := range o.Lines {
		out = append(out, views.OrderLineView{
			Title: l.Title, Copies: l.Copies, Quantity: l.Quantity, Days: l.Days,
			Amount: Money(l.Amount, o.Currency, lang), PlanURL: "/plans/" + l.SKUID,
		})
	}
	return out
}

// ESIMView describes the i-th eSIM of an order for the page and email.
// The eSIM notice does not say whether the APN must be set by hand; the
// plan in snap does.
func ESIMView(lang string, o store.Order, i int, e store.ESIM, snap *catalog.Snapshot) views.ESIMView {
	v := views.ESIMView{
		Index: i + 1, ICCID: e.ICCID, LPA: e.LPA, SMDP: e.SMDP, ActivationCode: e.ActivationCode,
		QRURL:      "/orders/" + o.Token + "/esims/" + strconv.FormatInt(e.ID, 10) + "/qr.png",
		AppleURL:   "https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=" + url.QueryEscape(e.LPA),
		AndroidURL: "https://esimsetup.android.com/esim_qrcode_provisioning?carddata=" + url.QueryEscape(e.LPA),
		APN:        e.APN, PIN: e.PIN, PUK: e.PUK, MSISDN: e.MSISDN,
		ConfirmationRequired: e.ConfirmationRequired, ConfirmationCode: e.ConfirmationCode,
		APNUsername: e.APNUsername, APNPassword: e.APNPassword,
	}
	for _, l := range o.Lines {
		if l.ID == e.LineID {
			v.Title = l.Title
			if p := snap.Plan(l.SKUID); p != nil {
				v.APNManual = p.APNManual()
			}
		}
	}
	if !e.InstallBy.IsZero() {
		v.InstallBy = views.FormatDate(lang, e.InstallBy)
	}
	return v
}

// ESIMQR is the QR code PNG of the order's eSIM whose id is the text id
// (a URL parameter); found is false when the order has no such eSIM.
func ESIMQR(o store.Order, id string) (png []byte, found bool, err error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, false, nil
	}
	for _, e := range o.ESIMs {
		if e.ID == n {
			png, err := QRPNG(e.LPA)
			return png, true, err
		}
	}
	return nil, false, nil
}

// TravelDate is the order's travel start written out in lang, or "" when
// the order has none.
func TravelDate(lang string, o store.Order) string {
	d, err := time.Parse(time.DateOnly, o.TravelDate)
	if err != nil {
		return ""
	}
	return views.FormatDate(lang, d)
}
