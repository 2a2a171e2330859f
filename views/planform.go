package views

import (
	"context"
	"io"
	"strings"

	"github.com/a-h/templ"

	"github.com/esimshop/esimshop/store"
)

// MaxQuantity is the most eSIMs one order line may buy: the store's rule,
// shown by the form.
const MaxQuantity = store.MaxQuantity

// backURL is where the plan page's back link goes: the destination the
// buyer came from, else home.
func backURL(d PlanData) string {
	if d.BackURL != "" {
		return d.BackURL
	}
	return Path(d.Lang, "/")
}

// selectedCopies is the tier to pre-select: the buyer's choice when it is
// one of the tiers, else the first (cheapest) tier.
func selectedCopies(d PlanData) int {
	for _, t := range d.Tiers {
		if t.Copies == d.SelectedCopies {
			return t.Copies
		}
	}
	if len(d.Tiers) > 0 {
		return d.Tiers[0].Copies
	}
	return 0
}

// quantity is the quantity field's value, 1 unless the buyer chose another
// valid number.
func quantity(d PlanData) int {
	if d.Quantity >= 1 && d.Quantity <= MaxQuantity {
		return d.Quantity
	}
	return 1
}

// fieldAttrs marks a form field invalid and points it at its error
// message when errs has one for field.
func fieldAttrs(errs map[string]string, field string) templ.Attributes {
	if errs[field] == "" {
		return templ.Attributes{}
	}
	a := templ.Attributes{
		"aria-invalid":     "true",
		"aria-describedby": field + "-error",
	}
	if f := errorFields(errs); len(f) > 0 && f[0] == field {
		// The first field to fix takes the focus when the page loads,
		// with or without JavaScript.
		a["autofocus"] = true
	}
	return a
}

// formFields are the buy form's fields in page order.
var formFields = []string{"copies", "travel_date", "quantity", "email"}

// errorFields are the fields with an error, in page order.
func errorFields(errs map[string]string) []string {
	var out []string
	for _, f := range formFields {
		if errs[f] != "" {
			out = append(out, f)
		}
	}
	return out
}

// fieldID is the element id of a form field, for the error summary's
// links: the options' fieldset, or the input itself.
func fieldID(field string) string {
	if field == "copies" {
		return "options"
	}
	return field
}

// barTotal is what the sticky bar shows: the total for the quantity when
// web computed it, else the chosen option's price.
func barTotal(d PlanData) string {
	if d.Total != "" {
		return d.Total
	}
	for _, t := range d.Tiers {
		if t.Copies == selectedCopies(d) {
			return t.Price
		}
	}
	return ""
}

// jsonLDEscaper makes serialised JSON safe inside a <script> element: a
// "</script>" or "<!--" in any string cannot end or confuse the element.
// These characters only occur inside JSON strings, where the \u escapes
// mean the same thing, so the data is unchanged.
var jsonLDEscaper = strings.NewReplacer(
	"<", `\u003c`,
	">", `\u003e`,
	"&", `\u0026`,
	"\u2028", `\u2028`,
	"\u2029", `\u2029`,
)

// jsonLD renders the schema.org JSON web serialised as a
// <script type="application/ld+json"> element, or nothing when empty.
func jsonLD(p Page, data string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		body := strings.TrimSpace(data)
		if body == "" {
			return nil
		}
		open := `<script type="application/ld+json"`
		if n := nonce(ctx, p); n != "" {
			open += ` nonce="` + templ.EscapeString(n) + `"`
		}
		if _, err := io.WriteString(w, open+">"); err != nil {
			return err
		}
		if _, err := io.WriteString(w, jsonLDEscaper.Replace(body)); err != nil {
			return err
		}
		_, err := io.WriteString(w, "</script>")
		return err
	})
}

// PlanTitle is the localised headline of a plan for its page and title:
// "Japan 5 GB · 7 days", "Europe 1 GB/day · 7–30 days". place is the
// localised country or region name.
func PlanTitle(lang, place string, c PlanCard) string {
	return T(lang, "plan.headline", place, dataLabel(lang, c), daysLabel(lang, c.Days, c.MaxDays))
}
