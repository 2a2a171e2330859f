package views

import (
	"strings"
	"testing"
)

// TestConfirmationCodeAndAPNCredentials checks that an eSIM needing a
// confirmation code shows it (page, HTML and text email), that the install
// steps say where to type it, and that APN credentials are shown; an eSIM
// without them shows none of it.
func TestConfirmationCodeAndAPNCredentials(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(e *ESIMView)
		wantCode  string // confirmation code shown; "" for none
		wantStep  bool
		wantNote  bool // "needed but missing" note
		wantCreds bool
	}{
		{"code and credentials", func(e *ESIMView) {
			e.ConfirmationRequired, e.ConfirmationCode, e.APNUsername, e.APNPassword = true, "739201", "travel", "s3cret"
		}, "739201", true, false, true},
		{"flag without a code", func(e *ESIMView) { e.ConfirmationRequired = true }, "", true, true, false},
		{"neither", func(e *ESIMView) {}, "", false, false, false},
	}
	for _, lang := range Languages {
		for _, tt := range tests {
			t.Run(lang+" "+tt.name, func(t *testing.T) {
				o := testDelivered(lang)
				for i := range o.ESIMs {
					tt.edit(&o.ESIMs[i])
				}
				doc, _ := render(t, Order(o))
				code := text(doc.Find(`[data-field="confirmation"] [data-value="confirmation"]`).First())
				if code != tt.wantCode {
					t.Errorf("page confirmation code = %q, want %q", code, tt.wantCode)
				}
				if got := doc.Find(`[data-step="confirmation"]`).Length(); (got > 0) != tt.wantStep {
					t.Errorf("page confirmation steps = %d, want some: %v", got, tt.wantStep)
				}
				if got := doc.Find("[data-confirmation-missing]").Length() > 0; got != tt.wantNote {
					t.Errorf("missing-code note shown = %v, want %v", got, tt.wantNote)
				}
				if got := doc.Find(`[data-value="apn-password"]`).Length() > 0; got != tt.wantCreds {
					t.Errorf("APN password shown = %v, want %v", got, tt.wantCreds)
				}
				e := testEmail(lang, false)
				e.ESIMs = o.ESIMs
				_, html := render(t, EmailHTML(e))
				txt := EmailText(e)
				step := T(lang, "esim.confirmation_step")
				for name, body := range map[string]string{"html": html, "text": txt} {
					if tt.wantCode != "" && !strings.Contains(body, tt.wantCode) {
						t.Errorf("%s email lacks the confirmation code", name)
					}
					if strings.Contains(body, step) != tt.wantStep {
						t.Errorf("%s email confirmation step shown = %v, want %v", name, !tt.wantStep, tt.wantStep)
					}
					if strings.Contains(body, "s3cret") != tt.wantCreds {
						t.Errorf("%s email APN password shown = %v, want %v", name, !tt.wantCreds, tt.wantCreds)
					}
				}
			})
		}
	}
}
