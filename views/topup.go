package views

// TopUpData is the "Add data" page.
type TopUpData struct {
	Page
	CSRF    string
	Action  string // POST target
	BackURL string // the eSIM's order page
	ICCID   string
	Offers  []TopUpOfferView
	Error   string // localised; "" if none
}

// TopUpOfferView is one plan that can be added, with its priced tiers.
type TopUpOfferView struct {
	SKU, Title string
	Tiers      []TopUpTierView
}

// TopUpTierView is one choice of a plan: its copies, what it gives and its price.
type TopUpTierView struct {
	Copies string // the form value
	Label  string // e.g. "1 GB · 7 days"
	Price  string // formatted
}

// topUpPage is the layout Page of the top-up page: private.
func topUpPage(d TopUpData) Page { return privatePage(d.Page, T(d.Lang, "topup.title")) }
