package views

// AdminRefundData is the refund page of one order: each eSIM's install
// status as the vendor reported it just now, the plan's refund policy,
// what is left to refund, the form, and every refund so far with the
// state of its vendor cancel and payment refund.
type AdminRefundData struct {
	AdminPage
	Number, OrderURL, FormURL string
	Total, Left               string // formatted money
	Currency                  string // the order's currency (the amount field's unit)
	Policies                  []string
	ESIMs                     []RefundESIMRow
	Refunds                   []RefundRow
	CanRefund                 bool
	// Error is why the last submission was refused; Installed lists the
	// installed eSIMs it chose (the form then asks for "refund anyway").
	Error     string
	Installed []string
	Amount    string // echoed form values
	Reason    string
}

// RefundESIMRow is one eSIM on the refund page.
type RefundESIMRow struct {
	ICCID, Plan, Price string
	Status             string // e.g. "not downloaded", "installed"; "unknown" with CheckError
	CheckError         string
	Installed          bool // the vendor will not credit it
	Refunded           bool // already in a refund
	Checked            bool
}

// RefundRow is one refund with its two steps.
type RefundRow struct {
	ID, Amount, Reason, Admin, Created string
	ESIMs, Installed                   string // space-separated ICCIDs
	VendorCall, VendorState            string // "F008"/"F017"/"", none|queued|done|failed
	VendorAnswer                       string
	BalanceBefore, BalanceAfter        string
	PaymentState, PaymentRef           string
	PaymentError                       string
}
