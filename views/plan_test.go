package views

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestPlanCardShowsDataDaysPrice(t *testing.T) {
	tests := []struct {
		name string
		lang string
		card PlanCard
		want []string // substrings of the card's text
		not  []string
	}{
		{"total en", "en", cardJapan, []string{"Total data", "5 GB · 7 days", "$9.50", "$1.90 per GB", "5G", "Hotspot", "Provider's name: Japan 5GB 7Days"}, []string{"countries", "/day", "from"}},
		{"total es", "es", cardJapan, []string{"Datos totales", "5 GB · 7 días", "$9.50", "$1.90 por GB", "Compartir datos"}, []string{"países"}},
		{"daily en", "en", cardAsia, []string{"1 GB/day", "1 GB/day · 3 days", "$6.00", "$2.00 per day", "4G", "No hotspot", "12 countries", "Asia"}, []string{"from", "per GB"}},
		{"daily es", "es", cardAsia, []string{"1 GB/día", "1 GB/día · 3 días", "$2.00 por día", "12 países", "Sin compartir datos"}, []string{"desde"}},
		{"unknown data", "en", PlanCard{URL: "/plans/9", Days: 1, MaxDays: 1, Price: "$1.00", Countries: 2}, []string{"Data plan", "1 day", "$1.00", "2 countries"}, []string{"per GB", "Hotspot"}},
		{"fractional es", "es", PlanCard{URL: "/plans/9", DataKB: 1572864, Days: 5, MaxDays: 5, Price: "2,00 €"}, []string{"1,5 GB", "5 días"}, nil},
		{"unlimited daily en", "en", PlanCard{URL: "/plans/u", Daily: true, Unlimited: true, Days: 1, MaxDays: 30, Price: "$4.00", PerUnit: "$4.00", Hotspot: "yes"}, []string{"Unlimited", "Unlimited · 1 day", "$4.00 per day", "Hotspot"}, []string{"/day ·", "GB", "per GB"}},
		{"unlimited total es", "es", PlanCard{URL: "/plans/u", Unlimited: true, Days: 7, MaxDays: 7, Price: "20,00 €"}, []string{"Ilimitado", "7 días"}, []string{"por GB", "Plan de datos"}},
	}
	for _, tt := range tests {
		doc, _ := render(t, planCard(tt.lang, tt.card, ""))
		card := doc.Find(".card")
		if href := card.Find("a.card-head").AttrOr("href", ""); href != tt.card.URL {
			t.Errorf("%s: href = %q", tt.name, href)
		}
		got := text(card)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: card %q lacks %q", tt.name, got, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(got, w) {
				t.Errorf("%s: card %q should not contain %q", tt.name, got, w)
			}
		}
	}
}

func TestDestination(t *testing.T) {
	for _, lang := range Languages {
		d := testDestination(lang)
		d.Sort = "data"
		doc, _ := render(t, Destination(d))
		if got := text(doc.Find("h1")); got != "🇯🇵 "+T(lang, "dest.heading", CountryName(lang, "JP")) {
			t.Errorf("%s: h1 = %q", lang, got)
		}
		// Filter links keep the sort; sort links keep the filter; defaults
		// are left out of the URL.
		wantLinks := map[string]string{
			T(lang, "filter.all"):   "/destinations/jp?sort=data",
			T(lang, "filter.total"): "/destinations/jp?filter=total&sort=data",
			T(lang, "filter.daily"): "/destinations/jp?filter=daily&sort=data",
			T(lang, "sort.price"):   "/destinations/jp",
			T(lang, "sort.data"):    "/destinations/jp?sort=data",
			T(lang, "sort.days"):    "/destinations/jp?sort=days",
		}
		links := doc.Find(".seg a")
		if links.Length() != len(wantLinks)+len(tripOptions) {
			t.Errorf("%s: %d filter/sort links", lang, links.Length())
		}
		for label, href := range wantLinks {
			a := links.FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == label })
			if a.AttrOr("href", "") != href {
				t.Errorf("%s: link %q = %q, want %q", lang, label, a.AttrOr("href", ""), href)
			}
		}
		cur := doc.Find(".seg a[aria-current]")
		if cur.Length() != 3 || cur.Eq(0).Text() != T(lang, "trip.any") || cur.Eq(1).Text() != T(lang, "filter.all") || cur.Last().Text() != T(lang, "sort.data") {
			t.Errorf("%s: current filter/sort not marked", lang)
		}
		if doc.Find("#local-h").Length() != 1 || doc.Find("#multi-h").Length() != 1 {
			t.Errorf("%s: local and multi sections expected", lang)
		}
		if doc.Find(".card").Length() != 2 {
			t.Errorf("%s: want 2 cards, got %d", lang, doc.Find(".card").Length())
		}
	}
}

func TestDestinationFilter(t *testing.T) {
	tests := []struct {
		filter    string
		wantSKUs  []string
		wantEmpty bool
	}{
		{"all", []string{"1001", "2002"}, false},
		{"", []string{"1001", "2002"}, false},
		{"bogus", []string{"1001", "2002"}, false},
		{"total", []string{"1001"}, false},
		{"daily", []string{"2002"}, false},
	}
	for _, tt := range tests {
		d := testDestination("en")
		d.Filter = tt.filter
		doc, _ := render(t, Destination(d))
		var got []string
		doc.Find(".card").Each(func(_ int, s *goquery.Selection) { got = append(got, s.AttrOr("data-sku", "")) })
		if strings.Join(got, ",") != strings.Join(tt.wantSKUs, ",") {
			t.Errorf("filter %q: cards %v, want %v", tt.filter, got, tt.wantSKUs)
		}
	}
	d := testDestination("es")
	d.Local, d.Multi, d.Filter = nil, []PlanCard{cardJapan}, "daily"
	doc, _ := render(t, Destination(d))
	if !strings.Contains(doc.Text(), T("es", "dest.none")) || doc.Find(`a[href="/destinations/jp"].btn`).Length() != 1 {
		t.Error("empty filter result should say so and link to all plans")
	}
}

func TestRegion(t *testing.T) {
	for _, lang := range Languages {
		home := testHome(lang, false)
		name := RegionName(lang, "europe")
		doc, _ := render(t, Region(RegionData{Page: testPage(lang, false), Slug: "europe", Name: name, Plans: []PlanCard{cardAsia}, Countries: home.All}))
		if got := doc.Find("h1").Text(); got != T(lang, "region.heading", name) {
			t.Errorf("%s: h1 = %q", lang, got)
		}
		if doc.Find(".card").Length() != 1 {
			t.Errorf("%s: plan card missing", lang)
		}
		if doc.Find(`#countries-h`).Text() != T(lang, "region.countries", 2) || doc.Find(`a.tile[href="/destinations/us"]`).Length() != 1 {
			t.Errorf("%s: covered countries missing", lang)
		}
	}
}

func TestPlanPage(t *testing.T) {
	for _, lang := range Languages {
		d := testPlan(lang)
		doc, _ := render(t, Plan(d))
		if got := doc.Find("h1").Text(); got != CountryName(lang, "JP")+" 5 GB · "+Plural(lang, "card.days", 7) {
			t.Errorf("%s: h1 = %q", lang, got)
		}
		if doc.Find("a.back").AttrOr("href", "") != "/destinations/jp" {
			t.Errorf("%s: back link wrong", lang)
		}
		facts := text(doc.Find("dl.facts"))
		for _, w := range []string{"5G", "128 kbps", Plural(lang, "plan.validity", 30), T(lang, "plan.fact_topup")} {
			if !strings.Contains(facts, w) {
				t.Errorf("%s: facts %q lack %q", lang, facts, w)
			}
		}
		// Two options: no data or days range in the facts; each option
		// says exactly what it is.
		if strings.Contains(facts, "–") || strings.Contains(facts, T(lang, "plan.fact_days")) {
			t.Errorf("%s: facts show a range across options: %q", lang, facts)
		}
		for i, want := range []string{"5 GB · " + Plural(lang, "card.days", 7), "10 GB · " + Plural(lang, "card.days", 14)} {
			if got := text(doc.Find("label.tier strong").Eq(i)); got != want {
				t.Errorf("%s: option %d = %q, want %q", lang, i, got, want)
			}
		}
		if doc.Find("label.tier").Eq(1).Find(".badge").Length() != 1 {
			t.Errorf("%s: the cheaper-per-GB option is not marked best value", lang)
		}
		if strings.Contains(facts, T(lang, "plan.fact_reset")) {
			t.Errorf("%s: daily reset shown for a total plan", lang)
		}
		cov := text(doc.Find("ul.coverage"))
		for _, w := range []string{CountryName(lang, "JP"), "SoftBank (5G)", "KDDI (4G)", "plus.acs.jp"} {
			if !strings.Contains(cov, w) {
				t.Errorf("%s: coverage %q lacks %q", lang, cov, w)
			}
		}

		form := doc.Find("form.buy")
		if form.AttrOr("method", "") != "post" || form.AttrOr("action", "") != Path(lang, "/checkout")+"#buy" || form.AttrOr("id", "") != "buy" {
			t.Errorf("%s: form posts to %q", lang, form.AttrOr("action", ""))
		}
		for sel, want := range map[string]string{
			`input[type=hidden][name=_csrf]`: "tok",
			`input[type=hidden][name=sku]`:   "1001",
			`input[name=quantity]`:           "1",
			`input[type=email][name=email]`:  "",
			`input[name=copies]:checked`:     "1",
		} {
			s := form.Find(sel)
			if s.Length() != 1 || s.AttrOr("value", "?") != want {
				t.Errorf("%s: %s: n=%d value=%q want %q", lang, sel, s.Length(), s.AttrOr("value", "?"), want)
			}
		}
		if q := form.Find(`input[name=quantity]`); q.AttrOr("min", "") != "1" || q.AttrOr("max", "") != "10" {
			t.Errorf("%s: quantity bounds wrong", lang)
		}
		tiers := form.Find("label.tier")
		if tiers.Length() != 2 || !strings.Contains(text(tiers.Last()), "10 GB") || !strings.Contains(text(tiers.Last()), "$18.00") {
			t.Errorf("%s: tiers = %q", lang, text(tiers))
		}
		if form.Find(`.error, [aria-invalid]`).Length() != 0 {
			t.Errorf("%s: errors shown on a clean form", lang)
		}
		if form.Find(`button[type=submit]`).Text() != T(lang, "plan.buy") {
			t.Errorf("%s: buy button missing", lang)
		}
	}
}

func TestPlanPageDaily(t *testing.T) {
	d := testPlan("es")
	d.Card = cardAsia
	d.SpeedAfterKbps = 0
	d.Tiers = []CardOption{{Copies: 3, Days: 3, Price: "$6.00", PerUnit: "$2.00"}}
	doc, _ := render(t, Plan(d))
	facts := text(doc.Find("dl.facts"))
	if !strings.Contains(facts, T("es", "plan.reset_daily")) || !strings.Contains(facts, "1 GB/día") {
		t.Errorf("daily facts = %q", facts)
	}
	if strings.Contains(facts, T("es", "plan.fact_after")) {
		t.Error("speed after allowance shown although unknown")
	}
	if got := text(doc.Find("label.tier")); !strings.Contains(got, "1 GB/día · 3 días") || !strings.Contains(got, "$2.00 por día") {
		t.Errorf("daily tier = %q", got)
	}
}

func TestPlanFormErrorsNextToFields(t *testing.T) {
	for _, lang := range Languages {
		d := testPlan(lang)
		d.SelectedCopies = 2
		d.Quantity = 3
		d.Email = "bad@"
		d.Errors = map[string]string{
			"copies":   T(lang, "form.copies"),
			"quantity": T(lang, "form.quantity"),
			"email":    T(lang, "form.email"),
			"form":     T(lang, "form.payment"),
		}
		doc, _ := render(t, Plan(d))
		form := doc.Find("form.buy")
		if a := form.Find(`[role=alert]#form-error`); a.Text() != T(lang, "form.payment") {
			t.Errorf("%s: form error = %q", lang, a.Text())
		}
		if form.Find(`input[name=copies]:checked`).AttrOr("value", "") != "2" ||
			form.Find(`input[name=quantity]`).AttrOr("value", "") != "3" ||
			form.Find(`input[name=email]`).AttrOr("value", "") != "bad@" {
			t.Errorf("%s: the buyer's input was not kept", lang)
		}
		for _, field := range []string{"copies", "quantity", "email"} {
			in := form.Find(`input[name=` + field + `]`).First()
			id := in.AttrOr("aria-describedby", "")
			if id != field+"-error" || in.AttrOr("aria-invalid", "") != "true" {
				t.Errorf("%s: %s not marked invalid (describedby=%q)", lang, field, id)
				continue
			}
			msg := form.Find("#" + id)
			if msg.Text() != d.Errors[field] {
				t.Errorf("%s: %s error = %q", lang, field, msg.Text())
			}
			// "Next to the field": inside the field's own container.
			container := in.Closest("div.field, fieldset")
			if container.Find("#"+id).Length() != 1 {
				t.Errorf("%s: %s error is not next to its field", lang, field)
			}
		}
	}
}

func TestPlanFormDefaults(t *testing.T) {
	tests := []struct {
		selected, quantity  int
		wantCopies, wantQty string
	}{
		{0, 0, "1", "1"},
		{2, 10, "2", "10"},
		{7, 11, "1", "1"}, // unknown tier and out-of-range quantity fall back
		{1, -1, "1", "1"},
	}
	for _, tt := range tests {
		d := testPlan("en")
		d.SelectedCopies, d.Quantity = tt.selected, tt.quantity
		doc, _ := render(t, Plan(d))
		if got := doc.Find(`input[name=copies]:checked`); got.Length() != 1 || got.AttrOr("value", "") != tt.wantCopies {
			t.Errorf("selected %d: checked = %q", tt.selected, got.AttrOr("value", ""))
		}
		if got := doc.Find(`input[name=quantity]`).AttrOr("value", ""); got != tt.wantQty {
			t.Errorf("quantity %d: value = %q", tt.quantity, got)
		}
	}
	d := testPlan("en")
	d.Tiers = nil
	doc, _ := render(t, Plan(d))
	if doc.Find(`form.buy button[type=submit], [data-buybar]`).Length() != 0 || !strings.Contains(doc.Text(), T("en", "plan.unavailable")) {
		t.Error("a plan without tiers must not offer a buy button")
	}
}

func TestPlanJSONLD(t *testing.T) {
	evil := map[string]any{
		"@context": "https://schema.org",
		"@type":    "Product",
		"name":     `Japan </script><script>alert(1)</script> <!-- & "x"` + "\u2028",
	}
	var raw strings.Builder
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false) // the worst case: web forgot to escape
	if err := enc.Encode(evil); err != nil {
		t.Fatal(err)
	}
	d := testPlan("en")
	d.JSONLD = raw.String()
	d.Nonce = "n0nce"
	doc, html := render(t, Plan(d))

	if strings.Contains(html, "<script>alert") || strings.Count(html, "</script>") != 2 {
		t.Fatalf("JSON-LD broke out of its script element:\n%s", html)
	}
	ld := doc.Find(`script[type="application/ld+json"]`)
	if ld.Length() != 1 || ld.AttrOr("nonce", "") != "n0nce" {
		t.Fatalf("want one ld+json script with nonce, got %d", ld.Length())
	}
	var back map[string]any
	if err := json.Unmarshal([]byte(ld.Text()), &back); err != nil {
		t.Fatalf("JSON-LD no longer parses: %v\n%s", err, ld.Text())
	}
	if back["name"] != evil["name"] {
		t.Errorf("JSON-LD data changed: %q", back["name"])
	}

	d.JSONLD = ""
	doc, _ = render(t, Plan(d))
	if doc.Find(`script[type="application/ld+json"]`).Length() != 0 {
		t.Error("empty JSON-LD rendered a script element")
	}
}

func TestPlanTitle(t *testing.T) {
	tests := []struct {
		lang, place string
		card        PlanCard
		want        string
	}{
		{"en", "Japan", cardJapan, "Japan 5 GB · 7 days"},
		{"es", "Japón", cardJapan, "Japón 5 GB · 7 días"},
		{"en", "Asia", cardAsia, "Asia 1 GB/day · 3–30 days"},
		{"es", "Asia", cardAsia, "Asia 1 GB/día · 3–30 días"},
	}
	for _, tt := range tests {
		if got := PlanTitle(tt.lang, tt.place, tt.card); got != tt.want {
			t.Errorf("PlanTitle(%q, %q) = %q, want %q", tt.lang, tt.place, got, tt.want)
		}
	}
}
