package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

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
	DataKB      int64 // total data per copy for PlanTotal; 0 when unknown or Unlimited
	DailyKB     int64 // high-speed data per day for PlanDaily; 0 when unknown or Unlimited
	// Unlimited is set when the vendor sent -1 ("not limited") for the
	// plan's allowance and no positive amount: the data is not capped.
	// DataKB and DailyKB are then 0; nothing should read a size from them.
	Unlimited bool
	// SpeedAfterKbps is the speed once the high-speed data is used up; 0
	// means not given (empty, or -1: not throttled).
	SpeedAfterKbps int64
	// HotspotRaw is the vendor's hotspotSupport value verbatim ("0"/"1"/"").
	// "1" means supported (see HotspotSupported).
	HotspotRaw   string
	ValidityDays int  // vendor validityPeroid (days the eSIM may wait before first use)
	UsageCount   int  // 1 single-use carrier, 2 multi-use
	Rechargeable bool // can be topped up later
	NeedsUseTime bool // estimatedUseTimeFlag: F040 needs estimatedUseTime
	// UseTimeGapHours is how far ahead of the order the travel start may
	// be (estimatedUseTimeGapHours); 0 when the vendor gives no window.
	UseTimeGapHours int
	RefundPolicy    string
	SpeedLimitRule  string
	Provider        string
	ApplyToDevice   string
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

// opJSON is the stored JSON shape of an Operator; explicit tags keep the
// column format independent of Go field names.
type opJSON struct {
	Name     string `json:"name"`
	Network  string `json:"network"`
	Priority int    `json:"priority"`
}

// operatorsJSON encodes operators for the coverage.operators column.
func operatorsJSON(ops []Operator) string {
	out := make([]opJSON, len(ops))
	for i, o := range ops {
		out[i] = opJSON{Name: o.Name, Network: o.Network, Priority: o.Priority}
	}
	b, err := json.Marshal(out)
	if err != nil {
		panic("store: marshal operators: " + err.Error())
	}
	return string(b)
}

// decodeOperators parses a coverage.operators JSON array.
func decodeOperators(s string) ([]Operator, error) {
	var raw []opJSON
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, fmt.Errorf("decode operators: %w", err)
	}
	if len(raw) == 0 {
		return nil, nil
	}
	ops := make([]Operator, len(raw))
	for i, o := range raw {
		ops[i] = Operator{Name: o.Name, Network: o.Network, Priority: o.Priority}
	}
	return ops, nil
}

// SetHidden hides a product from the shop (or shows it again) without
// touching its catalog data; syncs keep the flag. ENOTFOUND for an unknown
// SKU.
func (db *DB) SetHidden(ctx context.Context, skuID string, hidden bool) error {
	return db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE products SET hidden = ?, updated_at = ? WHERE sku_id = ?`,
			boolInt(hidden), db.now().UTC(), skuID)
		if err != nil {
			return fmt.Errorf("store: set hidden: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("store: set hidden: %w", err)
		}
		if n == 0 {
			return Errorf(ENOTFOUND, "product %q not found", skuID)
		}
		return nil
	})
}

// HotspotSupported interprets HotspotRaw: "1" supported, "0" not (the
// vendor's Chinese F002 text, F015/F056/N006 and public integrations all
// read it this way). known is false for anything else.
func (p Product) HotspotSupported() (supported, known bool) {
	switch p.HotspotRaw {
	case "1":
		return true, true
	case "0":
		return false, true
	}
	return false, false
}
