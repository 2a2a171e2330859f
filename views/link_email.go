package views

import "strings"

// LinkEmailData is one of the short link emails: the "My eSIMs" sign-in
// link when Number is "", else an order's own link sent again.
type LinkEmailData struct {
	Lang    string
	URL     string // the link: sign-in or order page
	Number  string // the order's number; "" for the sign-in link
	Minutes int    // how long the sign-in link lasts
	Demo    bool
	// TopUp, with Number and Plan, makes it the top-up confirmation:
	// URL is then the order page of the eSIM that got the data.
	TopUp bool
	Plan  string // the added plan's title
	ICCID string
}

// TopUpEmailSubject is the subject of a top-up confirmation.
func TopUpEmailSubject(lang, number string) string { return T(lang, "email.topup_subject", number) }

// SignInEmailSubject is the subject of the sign-in link email.
func SignInEmailSubject(lang string) string { return T(lang, "email.signin_subject") }

// OrderLinkEmailSubject is the subject of an order's link sent again.
func OrderLinkEmailSubject(lang, number string) string {
	return T(lang, "email.orderlink_subject", number)
}

func linkLang(d LinkEmailData) string {
	if _, ok := catalogs[d.Lang]; ok {
		return d.Lang
	}
	return DefaultLang
}

func linkSubject(d LinkEmailData) string {
	if d.TopUp {
		return TopUpEmailSubject(linkLang(d), d.Number)
	}
	if d.Number == "" {
		return SignInEmailSubject(linkLang(d))
	}
	return OrderLinkEmailSubject(linkLang(d), d.Number)
}

func linkHeading(d LinkEmailData) string {
	if d.TopUp {
		return T(linkLang(d), "email.topup_heading")
	}
	if d.Number == "" {
		return T(linkLang(d), "email.signin_heading")
	}
	return T(linkLang(d), "email.orderlink_heading", d.Number)
}

func linkIntro(d LinkEmailData) string {
	if d.TopUp {
		return T(linkLang(d), "email.topup_intro", d.Plan, d.ICCID, d.Number)
	}
	if d.Number == "" {
		return T(linkLang(d), "email.signin_intro", d.Minutes)
	}
	return T(linkLang(d), "email.orderlink_intro")
}

func linkButton(d LinkEmailData) string {
	if d.TopUp {
		return T(linkLang(d), "email.topup_button")
	}
	if d.Number == "" {
		return T(linkLang(d), "email.signin_button")
	}
	return T(linkLang(d), "email.open_order")
}

func linkFine(d LinkEmailData) string {
	if d.Number == "" {
		return T(linkLang(d), "email.signin_fine")
	}
	return T(linkLang(d), "email.private")
}

// LinkEmailText is the plain-text part of a link email.
func LinkEmailText(d LinkEmailData) string {
	lang := linkLang(d)
	var b strings.Builder
	if d.Demo {
		b.WriteString(T(lang, "email.demo_link") + "\n\n")
	}
	b.WriteString(linkHeading(d) + "\n\n" + linkIntro(d) + "\n\n" + d.URL + "\n\n" + linkFine(d) + "\n\n" + T(lang, "email.footer") + "\n")
	return b.String()
}
