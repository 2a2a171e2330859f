// Package views renders the buyer-facing pages of the shop as templ
// components. Components take plain values only (never a Fiber context or a
// database handle), so handlers, jobs and tests can render them alike.
package views

// Page is what the shared layout needs on every page.
type Page struct {
	Lang        string            // "en" or "es"
	Title       string            // full <title>, already localised
	Description string            // meta description, localised
	Canonical   string            // absolute canonical URL
	Alternates  map[string]string // lang → absolute URL, for hreflang and the language switch
	Demo        bool              // show the "demo shop" banner
	NoIndex     bool              // add <meta name="robots" content="noindex">
	Nonce       string            // CSP nonce for any inline script (may be "")
	// Private marks a page reached by a secret link (an order page, the demo
	// payment page): the layout then adds noindex,nofollow, leaves out the
	// canonical and hreflang links that would advertise the secret URL, and
	// sets a same-origin referrer policy so the URL never leaks to another
	// site (same-origin rather than no-referrer: Fiber's CSRF middleware
	// rejects HTTPS form posts that carry no Referer).
	Private bool
	// AutoRefresh is how many seconds until the page reloads itself with a
	// <meta http-equiv="refresh">, which works without JavaScript; 0 = never.
	AutoRefresh int
	// ScriptRefresh means app.js watches the page's state and reloads it
	// when it changes: the AutoRefresh meta is then wrapped in <noscript>,
	// so only browsers without JavaScript reload on a timer (a blind reload
	// would throw away a half-copied code or a scroll position).
	ScriptRefresh bool
	// Legal links the published legal pages, FAQ and contact page in the
	// footer and, on the plan page, beside the pay button.
	Legal Legal
}

// Legal is the links to the shop's published content pages every page
// carries; a page not published yet has no link.
type Legal struct {
	Footer    []FooterLink // terms, privacy, refund policy, FAQ, contact (those published)
	TermsURL  string       // "" when the terms are not published
	RefundURL string       // "" when the refund policy is not published
	HasGuides bool         // link /guides
	// ContactURL and ContactTitle name the published contact page, which
	// the order page points a waiting buyer to; "" when unpublished.
	ContactURL, ContactTitle string
}

// FooterLink is one footer link: a page's title and path.
type FooterLink struct{ Title, URL string }

// DestinationLink links to a country page.
type DestinationLink struct {
	Code      string // ISO alpha-2, upper
	Name      string // localised country name
	Flag      string // emoji flag
	Aliases   string // extra search words (e.g. "usa america"), lower case, space separated
	PlanCount int
	FromPrice string // formatted cheapest price, "" if none
	URL       string // "/destinations/jp"
}

// RegionLink links to a region page.
type RegionLink struct {
	Slug, Name, URL string
	PlanCount       int
	FromPrice       string
}

// PlanCard summarises one plan (its cheapest price tier) in a list.
type PlanCard struct {
	SKUID, URL string
	Name       string // vendor's English name, secondary text only
	Daily      bool
	DataKB     int64  // total data of the cheapest tier (total plans); 0 = unknown
	DailyKB    int64  // high-speed data per day (daily plans)
	Unlimited  bool   // the data is not capped: shown as "Unlimited", never as a size
	Days       int    // days of the cheapest tier
	MaxDays    int    // days of the largest tier (== Days when one tier)
	Price      string // formatted price of the cheapest tier
	PerUnit    string // formatted price per GB (total) or per day (daily); "" if unknown
	Network    string // best network, e.g. "5G", "4G"
	Hotspot    string // "yes", "no" or "" (unknown)
	Countries  int    // how many countries it covers
	Scope      string // "local", "regional" or "global"
	RegionName string // localised region name for regional/global plans
	FromPrice  bool   // several tiers: show "from"
	// Options are every tier the buyer can pick, fewest copies first; the
	// card lists them (or a choice of them) exactly.
	Options []CardOption
}

// HomeData is the home page.
type HomeData struct {
	Page
	Query   string            // search box value
	Popular []DestinationLink // featured destinations
	All     []DestinationLink // every destination, sorted by localised name
	Regions []RegionLink
	Global  []PlanCard
}

// SearchData is the no-JavaScript search results page (/search?q=).
type SearchData struct {
	Page
	Query   string
	Results []DestinationLink
	// When nothing matched: the nearest names ("Did you mean…?") and the
	// popular destinations, so the page never dead-ends.
	Suggestions, Popular []DestinationLink
}

// DestinationData is a country page.
type DestinationData struct {
	Page
	Code, Name, Flag string
	Local, Multi     []PlanCard // single-country plans, then regional/global ones
	Filter           string     // "all", "total" or "daily"
	Trip             string     // trip-length filter: "", "1-7", "8-15", "16-30" or "31+"
	Sort             string     // "price", "data" or "days"
	BaseURL          string     // "/destinations/jp" (filter/sort links add query params)
}

// RegionData is a region page (including "global").
type RegionData struct {
	Page
	Slug, Name string
	Plans      []PlanCard
	Countries  []DestinationLink // countries the region's plans cover
}

// OperatorRow is one network in a country.
type OperatorRow struct{ Name, Network string }

// CoverageRow is one covered country on a plan page.
type CoverageRow struct {
	Code, Name, Flag string
	Operators        []OperatorRow
	APN              string
	APNManual        bool
}

// PlanData is a plan page with the buy form.
type PlanData struct {
	Page
	Card           PlanCard
	Title          string // localised headline, e.g. "Japan 5 GB · 7 days"
	Description    string // vendor description (English), may be ""
	Coverage       []CoverageRow
	SpeedAfterKbps int64
	ValidityDays   int
	Rechargeable   bool
	NeedsUseTime   bool
	// TravelDate is the travel start in the form (YYYY-MM-DD), within
	// TravelMin–TravelMax; used only when NeedsUseTime.
	TravelDate, TravelMin, TravelMax string
	RefundPolicy                     string
	Tiers                            []CardOption // every option, as on the card
	// Currency is the ISO code of the prices (for app.js's live total);
	// Total is the chosen option × quantity, formatted by web (billing).
	Currency, Total string
	// The buy form (posts to /checkout: sku, copies, quantity, email, _csrf).
	SelectedCopies int
	Quantity       int
	Email          string
	Notice         string            // a localised note above the form, e.g. "payment cancelled"
	Errors         map[string]string // field name ("copies","quantity","email","form") → localised message
	CSRF           string
	JSONLD         string // schema.org Product/Offer JSON, already serialised by web; render inside <script type="application/ld+json"> safely
	BackURL        string // the destination page the buyer came from
}

// ErrorData is a 400/404/500 page.
type ErrorData struct {
	Page
	Status  int
	Message string // localised, user-safe
}

// DeviceBrand is one maker's eSIM-capable models.
type DeviceBrand struct {
	Name   string
	Models []string
}

// DevicesData is the eSIM compatibility page (/help/devices?model=).
type DevicesData struct {
	Page
	Query   string
	Results []DeviceBrand // models matching Query
	All     []DeviceBrand // the whole list
}
