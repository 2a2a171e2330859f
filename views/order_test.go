package views

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

// testOrder is an order in status for lang, with one line and no payment
// link or refresh; tests set those where they matter.
func testOrder(lang, status string) OrderData {
	return OrderData{
		Page:   testPage(lang, false),
		Number: "ES-10042",
		Status: status,
		Email:  "ana@example.com",
		Lines: []OrderLineView{{
			Title: PlanTitle(lang, CountryName(lang, "JP"), cardJapan), Copies: 1, Quantity: 2, Days: 7,
			Amount: "$19.00", PlanURL: "/plans/1001",
		}},
		Total:     "$19.00",
		CreatedAt: "2025-03-01 10:15 UTC",
	}
}

func TestOrderStatusPanels(t *testing.T) {
	const email = "ana@example.com"
	tests := []struct {
		status     string
		heading    string // message key
		body       string // message key (formatted with the email where it takes one)
		kind       string
		buyAgain   bool
		steps      []string // data-state of each progress step; nil = no steps
		installTip bool
	}{
		{statusPendingPayment, "order.pending_h", "order.pending", "wait", false, []string{"current", "todo", "todo"}, true},
		{statusPaid, "order.preparing_h", "order.preparing", "progress", false, []string{"done", "current", "todo"}, true},
		{statusPlacing, "order.preparing_h", "order.preparing", "progress", false, []string{"done", "current", "todo"}, true},
		{statusPlaced, "order.preparing_h", "order.preparing", "progress", false, []string{"done", "current", "todo"}, true},
		{statusDelivered, "order.ready_h", "order.ready", "ok", false, []string{"done", "done", "done"}, true},
		{statusPaymentFailed, "order.failed_h", "order.failed", "error", true, nil, false},
		{statusExpired, "order.expired_h", "order.expired", "error", true, nil, false},
		{statusNeedsAttention, "order.attention_h", "order.attention", "warn", false, nil, true},
		{"refunded", "order.unknown_h", "order.unknown", "wait", false, nil, true}, // a status this code does not know
	}
	for _, lang := range Languages {
		for _, tt := range tests {
			where := lang + "/" + tt.status
			d := testOrder(lang, tt.status)
			d.PayURL = "https://checkout.stripe.com/c/pay/cs_test_1"
			d.MailState = MailSent
			doc, _ := render(t, Order(d))

			if got, want := text(doc.Find("h1")), T(lang, "order.heading", "ES-10042"); got != want || doc.Find("h1").Length() != 1 {
				t.Errorf("%s: h1 = %q, want %q", where, got, want)
			}
			panel := doc.Find(`.status-panel[data-status="` + tt.status + `"]`)
			if panel.Length() != 1 {
				t.Fatalf("%s: no status panel", where)
			}
			if got := text(panel.Find("h2")); got != T(lang, tt.heading) {
				t.Errorf("%s: panel heading = %q, want %q", where, got, T(lang, tt.heading))
			}
			body := T(lang, tt.body)
			if strings.Contains(messagesEN[tt.body], "%s") {
				body = T(lang, tt.body, email)
			}
			if !strings.Contains(text(panel), body) {
				t.Errorf("%s: panel %q lacks %q", where, text(panel), body)
			}
			if !panel.HasClass("status-" + tt.kind) {
				t.Errorf("%s: panel class %q, want status-%s", where, panel.AttrOr("class", ""), tt.kind)
			}
			// The pay button belongs to pending orders only, even when web
			// leaves a PayURL on a later state.
			if n := panel.Find("a[data-pay]").Length(); (n == 1) != (tt.status == statusPendingPayment) {
				t.Errorf("%s: %d pay buttons", where, n)
			}
			again := panel.Find("a[data-buy-again]")
			if (again.Length() == 1) != tt.buyAgain {
				t.Errorf("%s: buy again shown = %v, want %v", where, again.Length() == 1, tt.buyAgain)
			}
			if tt.buyAgain && (again.AttrOr("href", "") != "/plans/1001" || text(again) != T(lang, "order.buy_again")) {
				t.Errorf("%s: buy again = %q %q", where, again.AttrOr("href", ""), text(again))
			}
			var states []string
			panel.Find("ol.progress li").Each(func(_ int, s *goquery.Selection) {
				states = append(states, s.AttrOr("data-state", ""))
			})
			if strings.Join(states, ",") != strings.Join(tt.steps, ",") {
				t.Errorf("%s: steps = %v, want %v", where, states, tt.steps)
			}
			if cur := panel.Find(`ol.progress li[aria-current=step]`); len(tt.steps) > 0 && tt.steps[2] != "done" && cur.AttrOr("data-state", "") != "current" {
				t.Errorf("%s: current step not marked for screen readers", where)
			}
			if n := doc.Find("a[data-install-help]").Length(); (n == 1) != tt.installTip {
				t.Errorf("%s: install advice shown = %v, want %v", where, n == 1, tt.installTip)
			}
			if tt.installTip && doc.Find(`a[data-install-help]`).AttrOr("href", "") != Path(lang, "/help/install") {
				t.Errorf("%s: install help link wrong", where)
			}
			if tt.installTip && !strings.Contains(text(doc.Find("aside.callout")), T(lang, "order.install")) {
				t.Errorf("%s: Wi-Fi advice missing", where)
			}
			if got := text(doc.Find("[data-order-email]")); got != email {
				t.Errorf("%s: email shown = %q", where, got)
			}
			if !strings.Contains(text(doc.Find("main")), "2025-03-01 10:15 UTC") {
				t.Errorf("%s: creation time missing", where)
			}
		}
	}
}

func TestOrderPayButton(t *testing.T) {
	tests := []struct {
		name, payURL string
		wantHref     string // "" = no button
	}{
		{"stripe", "https://checkout.stripe.com/c/pay/cs_test_1", "https://checkout.stripe.com/c/pay/cs_test_1"},
		{"demo", "/demo/pay/tok123", "/demo/pay/tok123"},
		{"none", "", ""},
		{"unsafe scheme", "javascript:alert(1)", "about:invalid#TemplFailedSanitizationURL"},
	}
	for _, lang := range Languages {
		for _, tt := range tests {
			d := testOrder(lang, statusPendingPayment)
			d.PayURL = tt.payURL
			doc, html := render(t, Order(d))
			btn := doc.Find("a[data-pay]")
			if got := btn.AttrOr("href", ""); got != tt.wantHref {
				t.Errorf("%s/%s: pay href = %q, want %q", lang, tt.name, got, tt.wantHref)
			}
			if tt.wantHref != "" && text(btn) != T(lang, "order.pay") {
				t.Errorf("%s/%s: pay button text = %q", lang, tt.name, text(btn))
			}
			// Without a link the buyer has probably just paid: say so
			// instead of asking for a payment they cannot make.
			confirming := strings.Contains(text(doc.Find(".status-panel")), T(lang, "order.pending_confirming"))
			if confirming != (tt.payURL == "") {
				t.Errorf("%s/%s: confirming message shown = %v", lang, tt.name, confirming)
			}
			if strings.Contains(html, "javascript:") {
				t.Errorf("%s/%s: unsafe URL reached the page", lang, tt.name)
			}
		}
	}
}

func TestOrderRefresh(t *testing.T) {
	tests := []struct {
		refresh, pageRefresh int
		want                 string // meta content; "" = no meta
	}{
		{0, 0, ""},
		{15, 0, "15"},
		{5, 0, "5"},
		{-3, 0, ""},
		{0, 30, ""}, // OrderData.Refresh decides, whatever the Page says
	}
	for _, lang := range Languages {
		for _, tt := range tests {
			d := testOrder(lang, statusPaid)
			d.Refresh = tt.refresh
			d.AutoRefresh = tt.pageRefresh
			doc, _ := render(t, Order(d))
			meta := doc.Find(`meta[http-equiv=refresh]`)
			if got := meta.AttrOr("content", ""); got != tt.want || (tt.want == "") != (meta.Length() == 0) {
				t.Errorf("%s refresh=%d: meta refresh = %d × %q, want %q", lang, tt.refresh, meta.Length(), got, tt.want)
			}
			said := doc.Find("[data-auto-refresh]")
			if (said.Length() == 1) != (tt.want != "") {
				t.Errorf("%s refresh=%d: \"updates by itself\" shown = %v", lang, tt.refresh, said.Length() == 1)
			}
			if said.Length() == 1 && text(said) != T(lang, "order.auto_refresh") {
				t.Errorf("%s: auto refresh text = %q", lang, text(said))
			}
		}
	}
}

// TestPrivatePages checks what keeps a secret-link page out of search
// engines and other sites' logs, whatever web put in the Page.
func TestPrivatePages(t *testing.T) {
	for _, lang := range Languages {
		comps := map[string]templ.Component{
			"order":    Order(testOrder(lang, statusDelivered)),
			"demo pay": DemoPay(testDemoPay(lang)),
		}
		for name, c := range comps {
			where := lang + "/" + name
			doc, _ := render(t, c)
			robots := doc.Find(`meta[name=robots]`)
			if robots.Length() != 1 || !strings.Contains(robots.AttrOr("content", ""), "noindex") || !strings.Contains(robots.AttrOr("content", ""), "nofollow") {
				t.Errorf("%s: robots = %q", where, robots.AttrOr("content", ""))
			}
			if got := doc.Find(`meta[name=referrer]`).AttrOr("content", ""); got != "same-origin" {
				t.Errorf("%s: referrer policy = %q", where, got)
			}
			if n := doc.Find(`link[rel=canonical], link[rel=alternate]`).Length(); n != 0 {
				t.Errorf("%s: %d canonical/alternate links advertise the secret URL", where, n)
			}
			if doc.Find(`.lang-switch a`).Length() != len(Languages) {
				t.Errorf("%s: the language switch should still work", where)
			}
			if doc.Find("h1").Length() != 1 {
				t.Errorf("%s: want one h1", where)
			}
		}
	}
}

func TestPrivatePageTitle(t *testing.T) {
	d := testOrder("es", statusPaid)
	d.Title = ""
	doc, _ := render(t, Order(d))
	if got := doc.Find("title").Text(); got != "Pedido ES-10042 | esimshop" {
		t.Errorf("default order title = %q", got)
	}
	d.Title = "Custom"
	doc, _ = render(t, Order(d))
	if got := doc.Find("title").Text(); got != "Custom" {
		t.Errorf("web's title replaced: %q", got)
	}
	p := testDemoPay("en")
	p.Title = ""
	doc, _ = render(t, DemoPay(p))
	if got := doc.Find("title").Text(); got != "Demo payment | esimshop" {
		t.Errorf("default demo title = %q", got)
	}
}

func TestOrderLines(t *testing.T) {
	tests := []struct {
		name, lang, status string
		line               OrderLineView
		wantTitle          string
		wantMeta           string
		wantBuyAgain       bool
	}{
		{"en days", "en", statusPaid, OrderLineView{Title: "Japan 5 GB · 7 days", Copies: 1, Quantity: 1, Days: 7, Amount: "$9.50", PlanURL: "/plans/1001"}, "Japan 5 GB · 7 days", "1 eSIM", false}, // the title says the days
		{"es days", "es", statusPaid, OrderLineView{Title: "Japón 5 GB · 7 días", Copies: 2, Quantity: 3, Days: 14, Amount: "28,50 €", PlanURL: "/plans/1001"}, "Japón 5 GB · 7 días", "14 días · 3 eSIM", false},
		{"copies without days", "en", statusPaid, OrderLineView{Title: "Asia", Copies: 5, Quantity: 2, Amount: "$30.00"}, "Asia", "5 packages · 2 eSIMs", false},
		{"chinese title", "en", statusPaid, OrderLineView{Title: "日本 5GB", Quantity: 1, Days: 7, Amount: "$9.50"}, "eSIM data plan", "7 days · 1 eSIM", false},
		{"delivered offers buy again", "en", statusDelivered, OrderLineView{Title: "Japan", Quantity: 1, Days: 7, Amount: "$9.50", PlanURL: "/plans/1001"}, "Japan", "7 days · 1 eSIM", true},
		{"days not in title", "en", statusPaid, OrderLineView{Title: "Japan 5 GB · 14 days", Quantity: 1, Days: 4, Amount: "$9.50"}, "Japan 5 GB · 14 days", "4 days · 1 eSIM", false},
		{"delivered without plan", "es", statusDelivered, OrderLineView{Title: "Japón", Quantity: 1, Days: 1, Amount: "1,00 €"}, "Japón", "1 día · 1 eSIM", false},
	}
	for _, tt := range tests {
		d := testOrder(tt.lang, tt.status)
		d.Lines = []OrderLineView{tt.line, {Title: "Second", Quantity: 1, Days: 1, Amount: "$1.00"}}
		d.Total = "$99.99"
		doc, _ := render(t, Order(d))
		rows := doc.Find(".order-lines li")
		if rows.Length() != 2 {
			t.Fatalf("%s: %d line rows", tt.name, rows.Length())
		}
		row := rows.First()
		if got := text(row.Find("strong")); got != tt.wantTitle {
			t.Errorf("%s: title = %q, want %q", tt.name, got, tt.wantTitle)
		}
		if got := text(row.Find(".muted")); got != tt.wantMeta {
			t.Errorf("%s: meta = %q, want %q", tt.name, got, tt.wantMeta)
		}
		if got := text(row.Find(".order-line-amount")); got != tt.line.Amount {
			t.Errorf("%s: amount = %q", tt.name, got)
		}
		link := row.Find(`a[href="/plans/1001"]`)
		if (link.Length() == 1) != tt.wantBuyAgain {
			t.Errorf("%s: buy again link shown = %v", tt.name, link.Length() == 1)
		}
		if got := text(doc.Find("[data-total]")); got != "$99.99" {
			t.Errorf("%s: total = %q", tt.name, got)
		}
		if !strings.Contains(text(doc.Find(".order-total")), T(tt.lang, "order.total")) {
			t.Errorf("%s: total label missing", tt.name)
		}
	}
}

// testDemoPay is a demo payment page for lang.
func testDemoPay(lang string) DemoPayData {
	o := testOrder(lang, statusPendingPayment)
	return DemoPayData{
		Page:   testPage(lang, true),
		Number: o.Number, Email: o.Email, Total: "$19.00",
		Lines:        o.Lines,
		PayAction:    "/demo/pay/tok123",
		CancelAction: "/demo/pay/tok123/cancel",
		CSRF:         "csrf-token-xyz",
	}
}

func TestDemoPay(t *testing.T) {
	for _, lang := range Languages {
		d := testDemoPay(lang)
		d.AutoRefresh = 10 // never honoured: the buyer is about to click
		doc, _ := render(t, DemoPay(d))

		notice := doc.Find("[data-demo-notice]")
		if notice.Length() != 1 || !strings.Contains(text(notice), T(lang, "demo.notice_h")) {
			t.Errorf("%s: demo notice = %q", lang, text(notice))
		}
		if notice.Length() == 1 && notice.Nodes[0] != doc.Find("main .narrow").Children().First().Nodes[0] {
			t.Errorf("%s: the demo notice must come first", lang)
		}
		if got := text(doc.Find("h1")); got != T(lang, "demo.heading") {
			t.Errorf("%s: h1 = %q", lang, got)
		}
		tests := []struct{ sel, action, button string }{
			{"form[data-pay]", "/demo/pay/tok123", T(lang, "demo.pay", "$19.00")},
			{"form[data-cancel]", "/demo/pay/tok123/cancel", T(lang, "demo.cancel")},
		}
		for _, ft := range tests {
			f := doc.Find(ft.sel)
			if f.Length() != 1 {
				t.Fatalf("%s: %s missing", lang, ft.sel)
			}
			if f.AttrOr("method", "") != "post" || f.AttrOr("action", "") != ft.action {
				t.Errorf("%s: %s = %s %s", lang, ft.sel, f.AttrOr("method", ""), f.AttrOr("action", ""))
			}
			csrf := f.Find(`input[type=hidden][name=_csrf]`)
			if csrf.Length() != 1 || csrf.AttrOr("value", "") != "csrf-token-xyz" {
				t.Errorf("%s: %s lacks the CSRF field", lang, ft.sel)
			}
			if got := text(f.Find("button[type=submit]")); got != ft.button {
				t.Errorf("%s: %s button = %q, want %q", lang, ft.sel, got, ft.button)
			}
		}
		if !strings.Contains(T(lang, "demo.pay", "$19.00"), "$19.00") {
			t.Errorf("%s: pay button does not show the total", lang)
		}
		// No card fields at all: a real card number must have nowhere to go.
		if n := doc.Find(`input:not([type=hidden]), textarea, select`).Length(); n != 0 {
			t.Errorf("%s: %d visible inputs on the demo payment page", lang, n)
		}
		if got := text(doc.Find("[data-total]")); got != "$19.00" {
			t.Errorf("%s: total = %q", lang, got)
		}
		if doc.Find(".order-lines li").Length() != 1 {
			t.Errorf("%s: order lines missing", lang)
		}
		if !strings.Contains(text(doc.Find("main")), "ana@example.com") || !strings.Contains(text(doc.Find("main")), "ES-10042") {
			t.Errorf("%s: email or order number missing", lang)
		}
		if doc.Find(`meta[http-equiv=refresh]`).Length() != 0 {
			t.Errorf("%s: demo payment page must not reload itself", lang)
		}
	}
}

// TestLayoutPrivateAndRefresh checks the layout switches on their own,
// on a page that is neither an order nor a payment.
func TestLayoutPrivateAndRefresh(t *testing.T) {
	p := testPage("en", false)
	p.Private = true
	p.AutoRefresh = 20
	doc, _ := render(t, InstallHelp(p))
	if doc.Find(`meta[name=robots][content="noindex, nofollow"]`).Length() != 1 {
		t.Error("private page not noindex, nofollow")
	}
	if doc.Find(`link[rel=canonical]`).Length() != 0 {
		t.Error("private page has a canonical link")
	}
	if doc.Find(`meta[http-equiv=refresh][content="20"]`).Length() != 1 {
		t.Error("AutoRefresh did not add the refresh meta")
	}
	doc, _ = render(t, InstallHelp(testPage("en", false)))
	if doc.Find(`meta[name=referrer], meta[http-equiv=refresh]`).Length() != 0 {
		t.Error("public page got private or refresh metadata")
	}
}

// TestDeliveredMailStates checks that the delivered panel claims an email
// only when one was sent, and says what is true otherwise.
func TestDeliveredMailStates(t *testing.T) {
	for _, tt := range []struct{ state, key string }{
		{MailSent, "order.ready"}, {MailSending, "order.ready_sending"}, {"", "order.ready_nomail"},
	} {
		for _, lang := range Languages {
			d := testOrder(lang, statusDelivered)
			d.MailState = tt.state
			doc, _ := render(t, Order(d))
			want := T(lang, tt.key)
			if strings.Contains(messagesEN[tt.key], "%s") {
				want = T(lang, tt.key, d.Email)
			}
			if got := text(doc.Find(".status-panel")); !strings.Contains(got, want) {
				t.Errorf("%s/%q: panel %q lacks %q", lang, tt.state, got, want)
			}
		}
	}
}
