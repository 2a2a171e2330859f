package views

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"github.com/esimshop/esimshop/static"
)

// pages returns one of every page for lang, for checks that apply to all.
func pages(lang string, demo bool) map[string]templ.Component {
	p := testPage(lang, demo)
	home := testHome(lang, demo)
	dest := testDestination(lang)
	dest.Demo = demo
	plan := testPlan(lang)
	plan.Demo = demo
	return map[string]templ.Component{
		"home":        Home(home),
		"search":      Search(SearchData{Page: p, Query: "jap", Results: home.Popular}),
		"destination": Destination(dest),
		"region":      Region(RegionData{Page: p, Slug: "asia", Name: RegionName(lang, "asia"), Plans: []PlanCard{cardAsia}, Countries: home.All}),
		"plan":        Plan(plan),
		"help":        InstallHelp(p),
		"error":       ErrorPage(ErrorData{Page: p, Status: 404, Message: T(lang, "error.not_found")}),
	}
}

func TestLayoutOnEveryPage(t *testing.T) {
	for _, lang := range Languages {
		for _, demo := range []bool{false, true} {
			for name, c := range pages(lang, demo) {
				doc, html := render(t, c)
				where := lang + "/" + name
				if got := doc.Find("html").AttrOr("lang", ""); got != lang {
					t.Errorf("%s: html lang = %q", where, got)
				}
				if got := doc.Find("title").Text(); got != T(lang, "home.title") {
					t.Errorf("%s: title = %q", where, got)
				}
				if n := doc.Find("[data-demo-banner]").Length(); (n == 1) != demo {
					t.Errorf("%s: demo=%v but %d banners", where, demo, n)
				}
				if demo && !strings.Contains(html, T(lang, "layout.demo")) {
					t.Errorf("%s: demo banner text not localised", where)
				}
				if doc.Find("h1").Length() != 1 {
					t.Errorf("%s: want exactly one h1, got %d", where, doc.Find("h1").Length())
				}
				if got := doc.Find(`link[rel=canonical]`).AttrOr("href", ""); got != "https://shop.example/?lang="+lang {
					t.Errorf("%s: canonical = %q", where, got)
				}
				if doc.Find(`link[rel=alternate][hreflang=es]`).AttrOr("href", "") != "https://shop.example/?lang=es" ||
					doc.Find(`link[rel=alternate][hreflang=x-default]`).AttrOr("href", "") != "https://shop.example/" {
					t.Errorf("%s: hreflang links missing", where)
				}
				cur := doc.Find(`.lang-switch a[aria-current]`)
				if cur.Length() != 1 || cur.AttrOr("hreflang", "") != lang {
					t.Errorf("%s: language switch does not mark %s as current", where, lang)
				}
				if doc.Find(`.lang-switch a`).Length() != len(Languages) {
					t.Errorf("%s: language switch should offer every language", where)
				}
				if doc.Find(`footer a[href="`+Path(lang, "/help/install")+`"]`).Length() != 1 {
					t.Errorf("%s: footer lacks the install help link", where)
				}
				css := doc.Find(`link[rel=stylesheet]`).AttrOr("href", "")
				js := doc.Find(`script[src]`)
				if css != static.URL("style.css") || js.AttrOr("src", "") != static.URL("app.js") {
					t.Errorf("%s: assets not hashed: %q %q", where, css, js.AttrOr("src", ""))
				}
				if _, ok := js.Attr("defer"); !ok {
					t.Errorf("%s: app.js must be deferred", where)
				}
				if doc.Find(`meta[name=robots]`).Length() != 0 {
					t.Errorf("%s: robots meta without NoIndex", where)
				}
			}
		}
	}
}

// TestNoChineseText renders every page for a sample whose vendor text is
// Chinese and checks that no Han character reaches the buyer.
func TestNoChineseText(t *testing.T) {
	for _, lang := range Languages {
		comps := pages(lang, true)
		plan := testPlan(lang)
		plan.Card.Name = "日本 5GB 7天"
		plan.Description = "高速流量用完后限速"
		plan.RefundPolicy = "不支持退款"
		plan.Coverage[0].Operators = append(plan.Coverage[0].Operators, OperatorRow{Name: "中国移动", Network: "4G"})
		comps["plan-chinese"] = Plan(plan)
		home := testHome(lang, false)
		home.Global[0].Name = "全球 1GB/天"
		comps["home-chinese"] = Home(home)
		for name, c := range comps {
			_, html := render(t, c)
			for _, r := range html {
				if unicode.Is(unicode.Han, r) {
					t.Errorf("%s/%s: Chinese character %q in page", lang, name, r)
					break
				}
			}
		}
	}
}

// TestNoIndexAndStableBody checks NoIndex, and that the page body does not
// depend on the request's CSP nonce: app.js is a same-origin file that the
// policy's 'self' allows, so public pages can be cached byte for byte.
func TestNoIndexAndStableBody(t *testing.T) {
	p := testPage("en", false)
	p.NoIndex = true
	p.Nonce = "abc123"
	doc, html := render(t, InstallHelp(p))
	if doc.Find(`meta[name=robots][content=noindex]`).Length() != 1 {
		t.Error("NoIndex did not add the robots meta")
	}
	if doc.Find(`script[src]`).Length() != 1 || strings.Contains(html, "abc123") {
		t.Error("the page carries the request's nonce")
	}
	var buf bytes.Buffer
	ctx := templ.WithNonce(context.Background(), "fromctx")
	if err := InstallHelp(testPage("en", false)).Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "fromctx") {
		t.Error("the context nonce leaks into a cacheable page")
	}
}

func TestHome(t *testing.T) {
	for _, lang := range Languages {
		doc, _ := render(t, Home(testHome(lang, false)))
		if got := doc.Find("h1").Text(); got != T(lang, "home.heading") {
			t.Errorf("%s: h1 = %q", lang, got)
		}
		form := doc.Find("form.search")
		if form.AttrOr("method", "") != "get" || form.AttrOr("action", "") != Path(lang, "/search") {
			t.Errorf("%s: search form = %s %s", lang, form.AttrOr("method", ""), form.AttrOr("action", ""))
		}
		in := form.Find(`input[name=q]`)
		if in.AttrOr("data-filter", "") != "all-destinations" || doc.Find("#all-destinations").Length() != 1 {
			t.Errorf("%s: search input not wired to the destination list", lang)
		}
		if doc.Find(`label[for=q]`).Text() != T(lang, "search.label") {
			t.Errorf("%s: search input has no label", lang)
		}
		rows := doc.Find("#all-destinations li")
		if rows.Length() != 2 {
			t.Fatalf("%s: %d destination rows", lang, rows.Length())
		}
		us := rows.First()
		wantKey := strings.ToLower(CountryName(lang, "US")) + " | us | usa america"
		if got := us.AttrOr("data-search", ""); got != wantKey {
			t.Errorf("%s: data-search = %q, want %q", lang, got, wantKey)
		}
		if us.Find("a").AttrOr("href", "") != "/destinations/us" {
			t.Errorf("%s: destination link wrong", lang)
		}
		if !strings.Contains(doc.Find(".tiles").First().Text(), CountryName(lang, "JP")) {
			t.Errorf("%s: popular destination missing", lang)
		}
		if !strings.Contains(doc.Text(), RegionName(lang, "asia")) {
			t.Errorf("%s: region missing", lang)
		}
		if doc.Find(`.card[data-sku="2002"]`).Length() != 1 {
			t.Errorf("%s: global plan card missing", lang)
		}
	}
}

func TestSearch(t *testing.T) {
	tests := []struct {
		lang, q   string
		results   []DestinationLink
		wantH1    string
		wantRows  int
		wantEmpty bool
	}{
		{"en", "jap", testHome("en", false).Popular, "Destinations matching “jap”", 1, false},
		{"es", "jap", testHome("es", false).Popular, "Destinos que coinciden con «jap»", 1, false},
		{"en", "zzz", nil, "Destinations matching “zzz”", 0, true},
		{"es", "", nil, "Buscar destinos", 0, true},
	}
	for _, tt := range tests {
		doc, _ := render(t, Search(SearchData{Page: testPage(tt.lang, false), Query: tt.q, Results: tt.results}))
		if got := doc.Find("h1").Text(); got != tt.wantH1 {
			t.Errorf("%s %q: h1 = %q", tt.lang, tt.q, got)
		}
		if got := doc.Find("#results li").Length(); got != tt.wantRows {
			t.Errorf("%s %q: %d rows", tt.lang, tt.q, got)
		}
		if got := doc.Find(`input[name=q]`).AttrOr("value", ""); got != tt.q {
			t.Errorf("%s: query not kept in the box: %q", tt.lang, got)
		}
		if (doc.Find(".empty").Length() == 1) != tt.wantEmpty {
			t.Errorf("%s %q: empty message shown = %v", tt.lang, tt.q, !tt.wantEmpty)
		}
	}
}

func TestErrorPage(t *testing.T) {
	tests := []struct {
		lang   string
		status int
		want   string
	}{
		{"en", 404, "Page not found"},
		{"es", 404, "Página no encontrada"},
		{"en", 500, "Something went wrong"},
		{"es", 400, "Solicitud incorrecta"},
		{"en", 503, "Something went wrong"},
		{"es", 413, "Demasiado grande"},
		{"en", 429, "Too many requests"},
	}
	for _, tt := range tests {
		msg := T(tt.lang, "error.internal")
		doc, _ := render(t, ErrorPage(ErrorData{Page: testPage(tt.lang, false), Status: tt.status, Message: msg}))
		if got := doc.Find("h1").Text(); got != tt.want {
			t.Errorf("%s %d: h1 = %q", tt.lang, tt.status, got)
		}
		if !strings.Contains(doc.Find("main").Text(), msg) {
			t.Errorf("%s %d: message missing", tt.lang, tt.status)
		}
	}
}

func TestInstallHelp(t *testing.T) {
	for _, lang := range Languages {
		doc, html := render(t, InstallHelp(testPage(lang, false)))
		if got := doc.Find("h1").Text(); got != T(lang, "help.heading") {
			t.Errorf("%s: h1 = %q", lang, got)
		}
		for _, id := range []string{"check", "iphone", "android", "arrival"} {
			if doc.Find("#"+id+" ol.steps li, #"+id+" p").Length() == 0 {
				t.Errorf("%s: section %s empty", lang, id)
			}
		}
		for _, want := range []string{"17.4", "*#06#", "Pixel", "Samsung", T(lang, "help.wifi_title"), T(lang, "order.install_iphone")} {
			if !strings.Contains(html, want) {
				t.Errorf("%s: install help lacks %q", lang, want)
			}
		}
	}
}

// text is the whitespace-normalised text of a selection.
func text(s *goquery.Selection) string {
	return strings.Join(strings.Fields(s.Text()), " ")
}

func TestXDefault(t *testing.T) {
	tests := []struct{ en, want string }{
		{"https://shop.example/?lang=en", "https://shop.example/"},
		{"https://shop.example/destinations/us?filter=daily&lang=en", "https://shop.example/destinations/us?filter=daily"},
		{"https://shop.example/help/install", "https://shop.example/help/install"},
		{"", ""},
	}
	for _, tt := range tests {
		p := Page{Alternates: map[string]string{"en": tt.en}}
		if got := xDefault(p); got != tt.want {
			t.Errorf("xDefault(%q) = %q, want %q", tt.en, got, tt.want)
		}
	}
}
