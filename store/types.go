// Package store holds the shop's domain types and their SQLite persistence:
// the catalog (products, price tiers, coverage), sync runs, orders with
// their payment events and state machine, fulfilment records (eSIMs,
// vendor notices, mail log) and the durable job queue.
package store

import "time"

// PlanType tells how a plan's data allowance is counted.
type PlanType int

const (
	// PlanTotal is a total-data plan: DataKB over the whole period.
	PlanTotal PlanType = 0
	// PlanDaily is a per-day plan: DailyKB of high-speed data every day.
	PlanDaily PlanType = 1
)

// eSIM SKU types; the only vendor types this shop sells (F040 accepts only these).
const (
	TypeESIMSelfSelected = 3105
	TypeESIMFixed        = 3106
)

// Product is one sellable eSIM plan: a vendor SKU of type 3105 or 3106 that
// had at least one F003 price tier at its last sync.
type Product struct {
	SKUID       string // vendor skuId, opaque
	Name        string // vendor name (English request); shown only as a subtitle
	Description string // vendor desc
	Type        int    // TypeESIMSelfSelected or TypeESIMFixed
	Days        int    // days per copy
	PlanType    PlanType
	DataKB      int64 // total data per copy for PlanTotal; 0 when the vendor left it empty
	DailyKB     int64 // high-speed data per day for PlanDaily
	// SpeedAfterKbps is the speed once the high-speed data is used up; 0 means cut off / unknown.
	SpeedAfterKbps int64
	// HotspotRaw is the vendor's hotspotSupport value verbatim ("0"/"1"/""):
	// F002 and N006 disagree on its meaning, so it is kept, not interpreted.
	HotspotRaw     string
	ValidityDays   int  // vendor validityPeroid (days the eSIM may wait before first use)
	UsageCount     int  // 1 single-use carrier, 2 multi-use
	Rechargeable   bool // can be topped up later
	NeedsUseTime   bool // estimatedUseTimeFlag: F040 needs estimatedUseTime
	RefundPolicy   string
	SpeedLimitRule string
	Provider       string
	ApplyToDevice  string
	// Region is "" for a single-country plan, else a slug from RegionSlugs
	// ("europe", "asia", …, "global"). ReplaceCatalog derives it from
	// Coverage with RegionFor; a value set by the caller is ignored.
	Region    string
	Coverage  []Coverage  // sorted by CountryCode
	Tiers     []PriceTier // sorted by Copies ascending
	Active    bool        // false once the SKU disappeared from the vendor's catalog
	Hidden    bool        // hidden by the operator
	UpdatedAt time.Time
}

// Coverage is one country a product works in.
type Coverage struct {
	CountryCode string // ISO 3166-1 alpha-2, upper case
	APN         string
	APNUsername string
	APNPassword string
	APNManual   bool // vendor apnType 1: the buyer must set the APN by hand
	Operators   []Operator
}

// Operator is a mobile network a product uses in a country.
type Operator struct {
	Name     string
	Network  string // e.g. "4G", "5G", "LTE"
	Priority int
}

// PriceTier is one F003 price: buying Copies copies of the plan at once.
// Prices are exact decimal strings in the vendor account's currency, as the
// vendor sent them (validated at sync); billing turns them into selling prices.
type PriceTier struct {
	Copies          int
	RetailPrice     string
	SettlementPrice string
}

// Country is one destination from F001. The vendor's name is never shown
// (it may be Chinese); pages name countries from Code.
type Country struct {
	Code      string // ISO 3166-1 alpha-2, upper case
	Continent string // vendor's continent text, verbatim
	FlagURL   string
}

// Catalog is a complete catalog fetched from the vendor, ready to replace
// the stored one.
type Catalog struct {
	Countries []Country
	Products  []Product
}

// SyncRun records one catalog sync, successful or not.
type SyncRun struct {
	ID           int64
	StartedAt    time.Time
	Duration     time.Duration
	OK           bool
	Error        string // why it failed; empty when OK
	Products     int    // active products after the run
	Added        int
	Removed      int // marked inactive
	PriceChanges int // products whose price tiers changed
	// AddedSKUs, RemovedSKUs and ChangedSKUs name the products behind
	// the counts, sorted, at most MaxSyncRunSKUs each (the counts stay
	// exact), for the dashboard's sync history.
	AddedSKUs   []string
	RemovedSKUs []string
	ChangedSKUs []string
}

// MaxSyncRunSKUs caps the SKU ids a SyncRun keeps per list: enough to show
// a normal sync in full, bounded when a vendor reshuffles its catalog.
const MaxSyncRunSKUs = 200
