package views

import (
	"strings"
	"testing"
)

func TestOutbox(t *testing.T) {
	for _, lang := range Languages {
		mails := []OutboxMail{
			{To: "ana@example.com", Subject: EmailSubject(lang, "ES-2"), Status: "sent", CreatedAt: "2025-03-01 10:20 UTC",
				HTML: `<!DOCTYPE html><html><body><p class="x">Hello & "bye"</p><script>alert(1)</script></body></html>`, Text: "Hello\nbye"},
			{To: "bo@example.com", Subject: EmailSubject(lang, "ES-1"), Status: "weird<b>", CreatedAt: "2025-03-01 10:00 UTC"},
		}
		p := testPage(lang, true)
		doc, html := render(t, Outbox(OutboxData{Page: p, Mails: mails}))
		if got := text(doc.Find("h1")); got != T(lang, "outbox.heading") {
			t.Errorf("%s: h1 = %q", lang, got)
		}
		if doc.Find(`meta[name=robots][content="noindex, nofollow"]`).Length() != 1 || doc.Find(`link[rel=canonical]`).Length() != 0 {
			t.Errorf("%s: outbox must be private", lang)
		}
		items := doc.Find("[data-mail]")
		if items.Length() != 2 {
			t.Fatalf("%s: %d mails", lang, items.Length())
		}
		first, second := items.Eq(0), items.Eq(1)
		if text(first.Find("h2")) != mails[0].Subject || text(first.Find("[data-mail-to]")) != "ana@example.com" || text(first.Find("[data-mail-time]")) != mails[0].CreatedAt {
			t.Errorf("%s: first mail = %q", lang, text(first))
		}
		if got := text(first.Find("[data-mail-status]")); got != T(lang, "outbox.status_sent") {
			t.Errorf("%s: status = %q", lang, got)
		}
		if got := text(second.Find("[data-mail-status]")); got != "weird<b>" || !second.Find("[data-mail-status]").HasClass("mail-status-other") {
			t.Errorf("%s: unknown status = %q", lang, got)
		}
		frame := first.Find("iframe")
		if _, ok := frame.Attr("sandbox"); !ok || strings.Contains(frame.AttrOr("sandbox", ""), "allow-scripts") || strings.Contains(frame.AttrOr("sandbox", ""), "allow-same-origin") {
			t.Errorf("%s: iframe sandbox = %q", lang, frame.AttrOr("sandbox", ""))
		}
		// srcdoc holds the email's HTML as a document (escaped once in the
		// attribute), not as text.
		if got := frame.AttrOr("srcdoc", ""); got != mails[0].HTML {
			t.Errorf("%s: srcdoc = %q", lang, got)
		}
		if strings.Contains(html, "<script>alert") {
			t.Errorf("%s: the email's script reached the page unescaped", lang)
		}
		if got := first.Find("details pre[data-mail-text]").Text(); got != mails[0].Text {
			t.Errorf("%s: text part = %q", lang, got)
		}
		if second.Find("iframe, details").Length() != 0 {
			t.Errorf("%s: empty parts rendered", lang)
		}

		doc, _ = render(t, Outbox(OutboxData{Page: p}))
		if text(doc.Find("[data-outbox-empty]")) != T(lang, "outbox.empty") {
			t.Errorf("%s: empty outbox message missing", lang)
		}
	}
}

// TestOutboxShowsRealEmail renders an actual delivery email in the outbox.
func TestOutboxShowsRealEmail(t *testing.T) {
	var b strings.Builder
	d := testEmail("en", true)
	if err := EmailHTML(d).Render(t.Context(), &b); err != nil {
		t.Fatal(err)
	}
	doc, _ := render(t, Outbox(OutboxData{Page: testPage("en", true), Mails: []OutboxMail{{To: "a@b.c", Subject: "s", Status: "sent", HTML: b.String(), Text: EmailText(d)}}}))
	if got := doc.Find("iframe").AttrOr("srcdoc", ""); got != b.String() {
		t.Error("email HTML altered in srcdoc")
	}
}
