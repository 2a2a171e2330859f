package views

// ReportData is the sales report page: its filter, the chart, the table
// under it, and the plan and destination rankings. Amounts are formatted
// by the admin; Chart values are minor units for the geometry only.
type ReportData struct {
	AdminPage
	From, To, Period, Currency string
	Periods                    []string // day, week, month
	Currencies                 []string
	Chart                      Chart
	Rows                       []ReportRow
	Total                      ReportRow
	// Estimated is the number of eSIMs whose cost was not recorded at sale
	// and is converted at the current pricing rule (0: every cost recorded).
	Estimated int64
	// NoCost is set when such eSIMs exist in a currency the rule does not
	// sell in, so their cost is left out.
	NoCost         bool
	TopRevenue     []RankRow
	TopMargin      []RankRow
	TopDestination []RankRow
	Checkouts      int // orders created in the range
	CheckoutsPaid  int // of those, paid
	ConversionPct  string
	OrdersURL      string // the orders list for the same range
	CSVURL         string // the orders export for the same range
}

// ReportRow is one period of the report table (or its total).
type ReportRow struct {
	Label, Start                              string
	Paid, ESIMs, Refunds                      string
	Revenue, Cost, Refunded, Margin, MarginPc string
	Negative                                  bool // margin below zero
}

// RankRow is one plan or destination in a ranking.
type RankRow struct {
	Name, URL, Sub                  string
	Orders, ESIMs                   string
	Revenue, Cost, Margin, MarginPc string
}

// CustomersData is the customer list.
type CustomersData struct {
	AdminPage
	Q                string
	Rows             []CustomerRow
	Total            int
	PrevURL, NextURL string
	CSVURL           string
}

// CustomerRow is one buyer (one email, one currency).
type CustomerRow struct {
	Email, OrdersURL string
	Orders, Refunded int
	ESIMs, Spent     string
	First, Last      string
}

// AuditData is the audit log page.
type AuditData struct {
	AdminPage
	Who, Kind     string   // the filters in force
	People, Kinds []string // the filters' choices
	Rows          []AuditLogRow
	OlderURL      string // the next page back, "" at the end
}

// AuditLogRow is one audit entry.
type AuditLogRow struct {
	At, Who, Kind, IP, Detail string
	Order, OrderURL           string
	SKU, SKUURL               string
}

// StaffData is the staff accounts page (owners only).
type StaffData struct {
	AdminPage
	Roles []string
	Rows  []StaffRow
}

// StaffRow is one staff account.
type StaffRow struct {
	ID, Email, Role, Created, LastSignIn string
	You                                  bool // the signed-in account
}

// AdminAccountData is the signed-in account's own page (password change).
type AdminAccountData struct {
	AdminPage
	Role string
}
