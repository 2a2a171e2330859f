package views

// The admin dashboard's view models. They are plain, already formatted
// values (money and dates are strings) so the templates make no decisions
// and the handlers in web/ can be tested by what they put here. The admin is
// for the shop's operator and is English only.

// AdminPage is what the admin layout needs.
type AdminPage struct {
	Title      string
	Email      string // signed-in admin; "" on the sign-in page
	Role       string // the signed-in admin's role: the navigation hides the owner's pages from others
	CSRF       string
	Nonce      string
	Section    string // "dashboard", "orders", "catalog", "pricing", "notices" (highlights the nav)
	Flash      string // one-line result of the last action
	FlashError bool
	Demo       bool
	// ActionID is a fresh random id per render. Every action form (all
	// POST forms but sign-in and sign-out) carries it in the hidden field
	// "action_id" as ActionID + "-" + the form's name (e.g. "…-refund",
	// "…-sync", "…-override-3"), so a double-submitted form repeats its
	// value and web can refuse the repeat, while two different forms of
	// one page never share a value. "" leaves the field out.
	ActionID string
}

// AdminSignInData is the sign-in page.
type AdminSignInData struct {
	AdminPage
	Email, Error, Next string // Next: where to go after sign-in (hidden field "next")
}

// PeriodStats summarises orders over one period on the dashboard.
type PeriodStats struct {
	Label        string
	Orders, Paid int
	Revenue      string
}

// StatusCount is how many orders are in one status, linking to the filtered list.
type StatusCount struct {
	Status string
	Count  int
	URL    string
}

// AdminOrderRow is one order in an admin list.
type AdminOrderRow struct {
	Number, URL, Email, Status, Total, Created, Title, Attention string
}

// SyncRow is one catalog sync run.
type SyncRow struct {
	At, Duration, Error                    string
	OK                                     bool
	Products, Added, Removed, PriceChanges int
	AddedSKUs, RemovedSKUs, ChangedSKUs    []string
	// Skipped counts the vendor records left out (bad decoding or
	// validation); SkippedSKUs lists them with the reason.
	Skipped     int
	SkippedSKUs []SkippedSKU
	// Held: the run would have removed too much of the live catalog and
	// was not applied. ApplyAction (POST, field run) applies it; "" when
	// it can no longer be applied (a newer run decided).
	Held        bool
	RunID       int64
	ApplyAction string
}

// SkippedSKU is one vendor record a sync left out, with the reason.
type SkippedSKU struct{ SKU, Reason string }

// DashboardData is the admin home page.
type DashboardData struct {
	AdminPage
	Periods         []PeriodStats // today, 7 days, 30 days
	ByStatus        []StatusCount
	Attention       []AdminOrderRow // orders that need attention, with the reason
	Balance         string          // vendor balance (F014), formatted with its currency; "" if unknown
	BalanceAt       string          // when it was fetched
	BalanceLow      bool            // below the configured threshold
	BalanceError    string
	LastSync        *SyncRow
	RejectedNotices int // vendor + Stripe, last 24 h
	UnusableNotices int // verified vendor notices that could not be used, last 24 h
	NoticesURL      string
	ContentMissing  []string // required pages (terms, privacy, refund policy, contact) not published
}

// OrdersData is the filterable order list.
type OrdersData struct {
	AdminPage
	Q, Status, From, To string   // the filter form's values (dates as YYYY-MM-DD)
	Statuses            []string // the status choices
	Rows                []AdminOrderRow
	Total               int
	PrevURL, NextURL    string
	CSVURL              string // the CSV export of the same filter
}

// AdminLine is one bought line on the admin order page.
type AdminLine struct {
	Title, SKU, SKUURL, Amount, Settlement, VendorSubOrderID string
	Copies, Quantity                                         int
}

// EventRow is one order status transition.
type EventRow struct {
	At, From, To, Cause string
}

// RecordRow is a stored vendor notice or Stripe event.
type RecordRow struct {
	ID                                                    int64
	At, Source, Type, Verdict, OrderNumber, OrderURL, URL string
	// SignedWith names the secret that verified a vendor notice: "current"
	// (BC_APP_SECRET), "previous" (BC_APP_SECRET_PREVIOUS) or "".
	SignedWith string
}

// MailRow is one email sent (or attempted) about an order.
type MailRow struct {
	At, To, Subject, Status, Error string
}

// AuditRow is one admin action recorded against an order.
type AuditRow struct {
	At, Admin, Action, Detail string
}

// JobRow is one background job of an order.
type JobRow struct {
	Kind, State, RunAt, LastError string
	Attempts                      int
}

// AdminESIM is a delivered eSIM with the vendor's live profile details.
type AdminESIM struct {
	ESIMView
	ProfileStatus, PlanStart, PlanEnd string
}

// AdminOrderData is the admin order page.
type AdminOrderData struct {
	AdminPage
	Number, Status, Email, Lang, Total, Created, Paid, Attention, VendorCode, VendorMsg string
	TravelDate                                                                          string // YYYY-MM-DD, "" when the plan needs none
	VendorOrderID, Provider, PaymentRef, PaymentIntent, RefundID, PublicURL             string
	Lines                                                                               []AdminLine
	ESIMs                                                                               []AdminESIM // QRURL points at the admin QR route
	Events                                                                              []EventRow
	Notices                                                                             []RecordRow // vendor notices linked to the order
	Payments                                                                            []RecordRow // Stripe events linked to the order
	Mails                                                                               []MailRow
	Jobs                                                                                []JobRow
	Audit                                                                               []AuditRow
	// Actions: each is a POST form to ActionBase + "/" + name:
	// "retry-placement", "resend-email", "vendor-resend" (F041), "refund" (needs confirm=1), "check-status" (F011/F042)
	ActionBase                                                     string
	CanRetry, CanResendEmail, CanVendorResend, CanRefund, CanCheck bool
	// CanEnterESIM offers "enter eSIM by hand" (paid, not delivered) for
	// the lines named in LineNumbers.
	CanEnterESIM bool
	LineNumbers  []string
	StatusResult []string // lines from the last "check status", if any
	// TopUpOf, for a top-up order, is the order of the eSIM it tops up
	// (its number and admin URL) and TopUpICCID that eSIM; TopUps are the
	// top-ups bought for this order's eSIMs.
	TopUpOf, TopUpOfURL, TopUpICCID string
	TopUps                          []AdminTopUp
}

// AdminTopUp is one top-up listed on the order of its eSIM.
type AdminTopUp struct {
	Number, URL, Status, Title, Total, Created string
}

// CatalogRow is one SKU in the admin catalog list.
type CatalogRow struct {
	SKU, URL, Name, Type, Region, FromPrice string
	Countries                               int
	Active, Hidden                          bool
}

// CatalogData is the admin catalog page: SKU list, sync history, featured countries.
type CatalogData struct {
	AdminPage
	// Filter values (a GET form on this page: fields country, region,
	// type, active, hidden, q). Type is "", "total" or "daily"; the
	// booleans are "", "1" or "0".
	Country, Region, Type, Active, Hidden, Q string
	Rows                                     []CatalogRow
	Total                                    int
	PrevURL, NextURL                         string
	Syncs                                    []SyncRow
	SyncAction                               string // POST "sync now"
	Featured                                 string // comma-separated featured ISO codes (home page), editable here
	FeaturedAction                           string // POST; field "featured"
}

// KV is one labelled value (a raw vendor field).
type KV struct{ K, V string }

// AdminTier is one price tier of a SKU with how its selling price was reached.
type AdminTier struct {
	Copies, Days                                          int
	Retail, Settlement, Cost, Computed, Override, Selling string
	BelowCost                                             bool
}

// SKUData is the admin page of one SKU.
type SKUData struct {
	AdminPage
	SKU, Name, Type, Region, PublicURL string
	Active, Hidden                     bool
	Vendor                             []KV // every vendor field
	Coverage                           []CoverageRow
	Tiers                              []AdminTier
	Currency                           string
	// HideAction: POST with field hidden = "1" (hide) or "0" (show again).
	// OverrideAction: POST with fields copies, amount (major units text,
	// e.g. "12.99"; empty clears), one form per tier.
	HideAction, OverrideAction string
}

// PreviewRow is one price change the pricing preview would make.
type PreviewRow struct {
	SKU, Title, Basis, Current, New string
	Copies                          int
	BelowCost                       bool
}

// PricingData is the pricing rule form with its preview.
type PricingData struct {
	AdminPage
	// Form values, posted as basis ("retail" or "settlement"), fx_rate,
	// markup (percent), charm and currency (ISO 4217 code).
	Basis, FXRate, Markup, Charm, Currency string
	Errors                                 map[string]string // field name (as posted, or "form") → message
	Preview                                []PreviewRow      // shown after "Preview"
	PreviewAction, SaveAction              string            // both POST the same fields
	Source                                 string            // "settings" or "environment defaults"
}

// NoticesData lists stored incoming notices of one source.
type NoticesData struct {
	AdminPage
	Source     string // "vendor" or "stripe"
	Rows       []RecordRow
	SourceURLs map[string]string
}

// NoticeData is one stored notice with its raw payload.
type NoticeData struct {
	AdminPage
	Record               RecordRow
	Error, Headers, Body string
}

// SignInsData is the sign-in limits page.
type SignInsData struct {
	AdminPage
	Rows       []SignInRow
	LiftAction string // POST target of the lift forms
}

// SignInRow is one account or address with failed sign-ins.
type SignInRow struct {
	Kind     string // "account" or "address"
	Key      string // the email or the IP
	Field    string // the lift form's field for Key: "email" or "ip"
	Failures int
	Last     string
	Effect   string // what the failures do now, in words
}
