package views

import (
	"net/url"
	"strconv"
	"strings"
)

// EmailSubject is the delivery email's subject line in lang.
func EmailSubject(lang, number string) string {
	return T(lang, "email.subject", number)
}

// EmailText is the plain-text part of the delivery email: the same content
// as EmailHTML, for clients that show no HTML and for filters that score a
// mail without one. The QR code exists only as an image, so the text points
// to the order page and the manual details instead.
func EmailText(d EmailData) string {
	lang := emailLang(d)
	var b strings.Builder
	line := func(s ...string) {
		b.WriteString(strings.Join(s, ""))
		b.WriteByte('\n')
	}
	field := func(key, value string) {
		if value != "" {
			line(T(lang, key), ": ", value)
		}
	}
	heading := func(s string) {
		line()
		line(s)
		line(strings.Repeat("=", len([]rune(s))))
	}

	line(T(lang, "email.heading"))
	line()
	if d.Demo {
		line("** ", T(lang, "email.demo"), " **")
		line()
	}
	line(T(lang, "email.intro", d.Number))
	line()
	if d.OrderURL != "" {
		line(T(lang, "email.open_order"), ":")
		line(d.OrderURL)
		line(T(lang, "email.open_hint"))
	}

	for _, e := range d.ESIMs {
		heading(T(lang, "esim.number", e.Index) + ": " + esimTitle(lang, e))
		if e.AppleURL != "" || e.AndroidURL != "" {
			line()
			if e.AppleURL != "" {
				line(T(lang, "order.install_iphone"), ":")
				line(e.AppleURL)
			}
			if e.AndroidURL != "" {
				line(T(lang, "order.install_android"), ":")
				line(e.AndroidURL)
			}
			line(T(lang, "esim.onetap_hint"))
		}
		line()
		line(T(lang, "esim.manual_h"), ":")
		field("esim.smdp", e.SMDP)
		field("esim.code", e.ActivationCode)
		field("esim.confirmation", e.ConfirmationCode)
		if e.ConfirmationRequired && e.ConfirmationCode == "" {
			field("esim.confirmation", T(lang, "esim.confirmation_missing"))
		}
		field("esim.lpa", e.LPA)
		if apnManual(e) {
			field("esim.apn", e.APN)
			line("  ", T(lang, "esim.apn_manual"))
		} else {
			field("esim.apn", strings.TrimPrefix(e.APN+" · "+T(lang, "esim.apn_auto"), " · "))
		}
		field("esim.apn_username", e.APNUsername)
		field("esim.apn_password", e.APNPassword)
		field("esim.install_by", e.InstallBy)
		field("esim.iccid", e.ICCID)
		field("esim.pin", e.PIN)
		field("esim.puk", e.PUK)
		field("esim.msisdn", e.MSISDN)
		if e.QRURL != "" {
			line()
			line(T(lang, "email.qr_text"))
		}
	}

	heading(T(lang, "esim.steps_h"))
	for _, s := range emailSteps(lang, needsConfirmation(d.ESIMs)) {
		line()
		line(s.Name)
		for i, step := range s.Steps {
			line(strconv.Itoa(i+1), ". ", step)
		}
	}
	if u := helpURL(d); u != "" {
		line()
		line(T(lang, "esim.more_help"), ":")
		line(u)
	}

	heading(T(lang, "order.install_h"))
	line(T(lang, "order.install"))
	line(T(lang, "esim.arrival"))
	line(T(lang, "help.keep"))

	if len(d.Lines) > 0 {
		heading(T(lang, "order.summary"))
		for _, l := range d.Lines {
			title := lineTitle(lang, l)
			if m := lineMeta(lang, l); m != "" {
				title += " (" + m + ")"
			}
			line("- ", title, ": ", l.Amount)
		}
		field("order.total", d.Total)
		field("order.travel_date", d.TravelDate)
	}

	if d.ContactURL != "" {
		line()
		line(T(lang, "email.contact"), ":")
		line(d.ContactURL)
	}
	line()
	line(T(lang, "email.private"))
	line()
	line("-- ")
	line(T(lang, "email.footer"))
	return b.String()
}

// emailLang is the email's language: d.Lang when supported, else the
// default, like pages.
func emailLang(d EmailData) string {
	return pageLang(Page{Lang: d.Lang})
}

// platformSteps is one phone platform's short install steps.
type platformSteps struct {
	Name  string
	Steps []string
}

// emailSteps are the short install steps of the order page, for the
// email; confirm adds where to type a confirmation code.
func emailSteps(lang string, confirm bool) []platformSteps {
	steps := []platformSteps{
		{"iPhone", []string{
			T(lang, "esim.iphone1"),
			T(lang, "esim.iphone2", T(lang, "order.install_iphone")),
			T(lang, "esim.iphone3"),
			T(lang, "esim.iphone4"),
		}},
		{"Android", []string{
			T(lang, "esim.android1"),
			T(lang, "esim.android2", T(lang, "order.install_android")),
			T(lang, "esim.android3"),
			T(lang, "esim.android4"),
		}},
	}
	if confirm {
		for i := range steps {
			steps[i].Steps = append(steps[i].Steps, T(lang, "esim.confirmation_step"))
		}
	}
	return steps
}

// helpURL is the absolute URL of the install guide in the email's
// language, on the same site as the order page (an email has no base URL
// for a relative link). "" when the order URL is not absolute.
func helpURL(d EmailData) string {
	u, err := url.Parse(d.OrderURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	help := url.URL{Scheme: u.Scheme, Host: u.Host, Path: Path(d.Lang, "/help/install")}
	help.RawQuery = url.Values{"lang": {emailLang(d)}}.Encode()
	return help.String()
}
