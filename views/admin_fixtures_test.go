package views

// Fixtures for the admin page tests: one filled-in value of every admin
// page model, with the odd data the real shop sees (Chinese vendor text,
// markup in payloads, empty optional fields).

const (
	testCSRF     = "csrf-token-123"
	testActionID = "a1b2c3"
	// testTradeMsg is a real-looking Billionconnect tradeMsg: the vendor
	// answers in Chinese even in English mode, and the operator must see it
	// exactly as sent.
	testTradeMsg = "订单不存在：渠道订单号重复"
)

// testAdminPage is the layout data of a signed-in admin on section.
func testAdminPage(section, title string) AdminPage {
	return AdminPage{
		Title: title, Email: "ops@shop.example", CSRF: testCSRF, Section: section,
		ActionID: testActionID,
	}
}

func testAttentionRow() AdminOrderRow {
	return AdminOrderRow{
		Number: "ES-1002", URL: "/admin/orders/ES-1002", Email: "b@example.com", Status: "needs_attention",
		Total: "$24.99", Created: "2025-03-01 10:02", Title: "Japan 5 GB · 7 days",
		Attention: "vendor refused the order (1005)",
	}
}

func testOrderRows() []AdminOrderRow {
	return []AdminOrderRow{
		{Number: "ES-1001", URL: "/admin/orders/ES-1001", Email: "a@example.com", Status: "delivered", Total: "$9.99", Created: "2025-03-01 09:00", Title: "Thailand 3 GB · 5 days"},
		testAttentionRow(),
		{Number: "ES-1003", URL: "/admin/orders/ES-1003", Email: "c@example.com", Status: "pending_payment", Total: "$4.50", Created: "2025-03-01 11:40"},
	}
}

func testSync() SyncRow {
	return SyncRow{
		At: "2025-03-01 03:00", Duration: "12.4s", OK: true, Products: 812, Added: 2, Removed: 1, PriceChanges: 3,
		AddedSKUs: []string{"sku-new-1", "sku/new 2"}, RemovedSKUs: []string{"sku-old"}, ChangedSKUs: []string{"a", "b", "c"},
	}
}

func testDashboard() DashboardData {
	s := testSync()
	return DashboardData{
		AdminPage: testAdminPage("dashboard", "Dashboard"),
		Periods: []PeriodStats{
			{Label: "Today", Orders: 3, Paid: 2, Revenue: "$34.98"},
			{Label: "7 days", Orders: 20, Paid: 15, Revenue: "$301.50"},
			{Label: "30 days", Orders: 80, Paid: 70, Revenue: "$1,402.00"},
		},
		ByStatus: []StatusCount{
			{Status: "delivered", Count: 60, URL: "/admin/orders?status=delivered"},
			{Status: "needs_attention", Count: 1, URL: "/admin/orders?status=needs_attention"},
		},
		Attention:  []AdminOrderRow{testAttentionRow()},
		Balance:    "USD 41.20",
		BalanceAt:  "2025-03-01 12:00",
		BalanceLow: true,
		LastSync:   &s, RejectedNotices: 4, NoticesURL: "/admin/notices?source=vendor",
	}
}

func testOrders() OrdersData {
	return OrdersData{
		AdminPage: testAdminPage("orders", "Orders"),
		Q:         "example.com", Status: "needs_attention", From: "2025-02-01", To: "2025-03-01",
		Statuses: []string{"pending_payment", "paid", "placing", "placed", "delivered", "payment_failed", "expired", "needs_attention"},
		Rows:     testOrderRows(), Total: 53,
		PrevURL: "/admin/orders?page=1", NextURL: "/admin/orders?page=3",
	}
}

func testAdminOrder() AdminOrderData {
	return AdminOrderData{
		AdminPage: testAdminPage("orders", "Order ES-1002"),
		Number:    "ES-1002", Status: "needs_attention", Email: "b@example.com", Lang: "es", Total: "$24.99",
		Created: "2025-03-01 10:02", Paid: "2025-03-01 10:03",
		Attention:  "vendor refused the order",
		VendorCode: "1005", VendorMsg: testTradeMsg,
		VendorOrderID: "BC-778899", Provider: "stripe", PaymentRef: "cs_test_abc", PaymentIntent: "pi_123",
		PublicURL: "/orders/tok-secret",
		Lines: []AdminLine{
			{Title: "Japan 5 GB · 7 days", SKU: "sku-jp-5", SKUURL: "/admin/catalog/sku-jp-5", Amount: "$24.99", Settlement: "$11.00", VendorSubOrderID: "SUB-1", Copies: 1, Quantity: 1},
		},
		ESIMs: []AdminESIM{{
			ESIMView: ESIMView{
				Index: 1, Title: "Japan 5 GB · 7 days", ICCID: "8985200012345678901",
				LPA: testLPA, SMDP: "smdp.example.com", ActivationCode: "K2-1ABC2-3DEF4",
				QRURL: "/admin/orders/ES-1002/esims/7/qr.png",
			},
			ProfileStatus: "installed", PlanStart: "2025-03-02", PlanEnd: "2025-03-09",
		}},
		Events: []EventRow{
			{At: "2025-03-01 10:02", To: "pending_payment", Cause: "checkout"},
			{At: "2025-03-01 10:03", From: "pending_payment", To: "paid", Cause: "stripe checkout.session.completed"},
			{At: "2025-03-01 10:04", From: "placing", To: "needs_attention", Cause: "F040 1005"},
		},
		Notices:  []RecordRow{{ID: 41, At: "2025-03-01 10:05", Source: "vendor", Type: "N009", Verdict: "rejected", URL: "/admin/notices/vendor/41"}},
		Payments: []RecordRow{{ID: 7, At: "2025-03-01 10:03", Source: "stripe", Type: "checkout.session.completed", Verdict: "accepted", URL: "/admin/notices/stripe/7"}},
		Mails:    []MailRow{{At: "2025-03-01 10:06", To: "b@example.com", Subject: "Your eSIM", Status: "failed", Error: "550 mailbox unavailable"}},
		Jobs:     []JobRow{{Kind: "place_order", State: "failed", RunAt: "2025-03-01 10:04", LastError: "vendor 1005", Attempts: 3}},
		Audit:    []AuditRow{{At: "2025-03-01 11:00", Admin: "ops@shop.example", Action: "check-status", Detail: "F011 ok"}},

		ActionBase: "/admin/orders/ES-1002",
		CanRetry:   true, CanResendEmail: true, CanVendorResend: true, CanRefund: true, CanCheck: true,
		StatusResult: []string{"F011: order BC-778899 status 2", "F042 8985200012345678901: " + testTradeMsg},
	}
}

func testCatalog() CatalogData {
	return CatalogData{
		AdminPage: testAdminPage("catalog", "Catalog"),
		Country:   "JP", Region: "asia", Type: "daily", Active: "1", Hidden: "0", Q: "5GB",
		Rows: []CatalogRow{
			{SKU: "sku-jp-5", URL: "/admin/catalog/sku-jp-5", Name: "日本 5GB 7天", Type: "total", Region: "", FromPrice: "$9.99", Countries: 1, Active: true},
			{SKU: "sku-as-1", URL: "/admin/catalog/sku-as-1", Name: "Asia 1GB/day", Type: "daily", Region: "asia", FromPrice: "$3.00", Countries: 12, Active: true, Hidden: true},
			{SKU: "sku-gone", URL: "/admin/catalog/sku-gone", Name: "Old", Type: "total", Countries: 1},
		},
		Total: 3, NextURL: "/admin/catalog?page=2",
		Syncs:      []SyncRow{testSync(), {At: "2025-02-28 03:00", Duration: "30s", Error: "F002: timeout"}},
		SyncAction: "/admin/catalog/sync",
		Featured:   "JP, TH, US", FeaturedAction: "/admin/catalog/featured",
	}
}

func testSKU() SKUData {
	return SKUData{
		AdminPage: testAdminPage("catalog", "SKU sku-jp-5"),
		SKU:       "sku-jp-5", Name: "Japan 5GB 7 days", Type: "total", Region: "", PublicURL: "/plans/sku-jp-5",
		Active: true, Hidden: false,
		Vendor: []KV{{"skuId", "sku-jp-5"}, {"name", "日本 5GB 7天"}, {"hotspotSupport", "1"}},
		Coverage: []CoverageRow{{Code: "JP", Name: "Japan", Flag: "🇯🇵", APN: "plus.acs.jp", APNManual: true,
			Operators: []OperatorRow{{Name: "Docomo", Network: "5G"}, {Name: "软银", Network: "4G"}}}},
		Tiers: []AdminTier{
			{Copies: 1, Days: 7, Retail: "$12.00", Settlement: "$8.00", Cost: "$7.36", Computed: "$9.99", Selling: "$9.99"},
			{Copies: 2, Days: 14, Retail: "$22.00", Settlement: "$16.00", Cost: "$14.72", Computed: "$19.99", Override: "13.99", Selling: "$13.99", BelowCost: true},
		},
		Currency:   "USD",
		HideAction: "/admin/catalog/sku-jp-5/hide", OverrideAction: "/admin/catalog/sku-jp-5/override",
	}
}

func testPricing() PricingData {
	return PricingData{
		AdminPage: testAdminPage("pricing", "Pricing"),
		Basis:     "settlement", FXRate: "0.92", Markup: "abc", Charm: "0.99", Currency: "USD",
		Errors:        map[string]string{"markup": "markup must be a number, e.g. 30"},
		Preview:       []PreviewRow{{SKU: "sku-jp-5", Title: "Japan 5 GB", Basis: "$8.00", Current: "$9.99", New: "$10.99", Copies: 1}, {SKU: "sku-gl-1", Title: "Global 1 GB", Basis: "$5.00", Current: "$6.99", New: "$4.99", Copies: 1, BelowCost: true}},
		PreviewAction: "/admin/pricing/preview", SaveAction: "/admin/pricing",
		Source: "settings",
	}
}

func testNotices() NoticesData {
	return NoticesData{
		AdminPage: testAdminPage("notices", "Notices"),
		Source:    "vendor",
		Rows: []RecordRow{
			{ID: 41, At: "2025-03-01 10:05", Source: "vendor", Type: "N009", Verdict: "rejected", OrderNumber: "ES-1002", OrderURL: "/admin/orders/ES-1002", URL: "/admin/notices/vendor/41"},
			{ID: 40, At: "2025-03-01 10:00", Source: "vendor", Type: "N006", Verdict: "accepted", URL: "/admin/notices/vendor/40"},
		},
		SourceURLs: map[string]string{"vendor": "/admin/notices?source=vendor", "stripe": "/admin/notices?source=stripe"},
	}
}

func testNotice() NoticeData {
	return NoticeData{
		AdminPage: testAdminPage("notices", "Notice 41"),
		Record:    RecordRow{ID: 41, At: "2025-03-01 10:05", Source: "vendor", Type: "N009", Verdict: "rejected", OrderNumber: "ES-1002", OrderURL: "/admin/orders/ES-1002"},
		Error:     "bad signature",
		Headers:   "Content-Type: application/json\nX-Sign: 0123abcd",
		Body:      "{\n  \"tradeType\": \"N009\",\n  \"tradeMsg\": \"" + testTradeMsg + "\",\n  \"note\": \"<script>alert(1)</script> a-very-long-token-without-any-spaces-0123456789abcdef0123456789abcdef\"\n}",
	}
}

func testSignIn() AdminSignInData {
	return AdminSignInData{
		AdminPage: AdminPage{Title: "Sign in", CSRF: testCSRF},
		Email:     "ops@shop.example", Error: "Wrong email or password.", Next: "/admin/orders?status=paid",
	}
}
