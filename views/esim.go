package views

import (
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

// esimHeading titles the delivered-eSIM section: "Your eSIM" or "Your 3
// eSIMs". Two keys rather than Plural, because the singular names no count.
func esimHeading(lang string, n int) string {
	if n == 1 {
		return T(lang, "esim.heading_one")
	}
	return T(lang, "esim.heading_many", n)
}

// esimTitle is the plan an eSIM belongs to, with the same fallback as an
// order line when the title is empty or unreadable vendor text.
func esimTitle(lang string, e ESIMView) string {
	return lineTitle(lang, OrderLineView{Title: e.Title})
}

// esimID is a page-unique element id for part of eSIM e ("esim-2-smdp"),
// so labels and buttons can point at each other when an order holds
// several eSIMs.
func esimID(e ESIMView, part string) string {
	id := "esim-" + strconv.Itoa(e.Index)
	if part != "" {
		id += "-" + part
	}
	return id
}

// apnManual reports whether the buyer must type the APN: only when there is
// an APN to type. A vendor flag without a value would send the buyer
// looking for a setting we cannot give them.
// needsConfirmation reports whether any eSIM needs a confirmation code at
// installation: the install steps then say where to type it.
func needsConfirmation(es []ESIMView) bool {
	for _, e := range es {
		if e.ConfirmationRequired || e.ConfirmationCode != "" {
			return true
		}
	}
	return false
}

func apnManual(e ESIMView) bool {
	return e.APNManual && e.APN != ""
}

// imageURL vets an image src from web. templ's own check refuses "cid:"
// (the email's attached QR codes), so this allows exactly the forms web
// produces: a site path, an attachment reference, an http(s) URL, or an
// inline PNG. Anything else renders as templ's "failed sanitisation" URL,
// never as a javascript: or other active URL.
func imageURL(u string) templ.SafeURL {
	lower := strings.ToLower(u)
	switch {
	case strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//"),
		strings.HasPrefix(lower, "cid:"),
		strings.HasPrefix(lower, "https://"),
		strings.HasPrefix(lower, "http://"),
		strings.HasPrefix(lower, "data:image/png;base64,"):
		return templ.SafeURL(u)
	}
	return templ.FailedSanitizationURL
}
