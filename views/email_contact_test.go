package views

import (
	"strings"
	"testing"
)

// TestEmailContact: with a published contact page, both parts of the
// email link it in the buyer's language; without one, neither does.
func TestEmailContact(t *testing.T) {
	for _, lang := range Languages {
		d := testEmail(lang, false)
		d.ContactURL = "https://shop.example/contact?lang=" + lang
		doc, _ := render(t, EmailHTML(d))
		if a := doc.Find("[data-contact] a"); a.AttrOr("href", "") != d.ContactURL || !strings.Contains(text(doc.Find("[data-contact]")), T(lang, "email.contact")) {
			t.Errorf("%s: HTML contact = %q", lang, text(doc.Find("[data-contact]")))
		}
		if txt := EmailText(d); !strings.Contains(txt, T(lang, "email.contact")+":\n"+d.ContactURL) {
			t.Errorf("%s: text part lacks the contact link", lang)
		}
		d.ContactURL = ""
		if doc, _ := render(t, EmailHTML(d)); doc.Find("[data-contact]").Length() != 0 || strings.Contains(EmailText(d), T(lang, "email.contact")) {
			t.Errorf("%s: contact linked while unpublished", lang)
		}
	}
}
