package bc

import (
	"context"
	"encoding/json"
)

// SKU types this shop can order with F040 (CreateOrder). Every other type
// (plans, physical cards, MiFi, devices) is not sold.
const (
	SKUTypeESIMSelfSelected = "3105" // eSIM + self-selected plan
	SKUTypeESIMFixed        = "3106" // eSIM + fixed plan
)

// Plan types (SKU.PlanType, PlanUsageLine.PlanType).
const (
	PlanTypeTotal = 0 // one data allowance over the whole period
	PlanTypeDaily = 1 // a high-speed allowance per day
)

// Country is one F001 record: a country or region the vendor covers.
type Country struct {
	Continent String `json:"continent"`
	MCC       String `json:"mcc"` // ISO 3166 alpha-2 code despite the name, e.g. "CN"
	Name      String `json:"name"`
	URL       String `json:"url"` // flag image
}

// SKU is one F002 (or N006) commodity: the descriptive half of the catalog.
// Prices come separately from F003.
type SKU struct {
	SKUID          String `json:"skuId"` // opaque commodity ID
	Name           String `json:"name"`
	Desc           String `json:"desc"`
	Type           String `json:"type"`           // see SKUTypeESIMSelfSelected, SKUTypeESIMFixed
	Days           Int    `json:"days"`           // days per copy
	Capacity       Int    `json:"capacity"`       // KB over the whole period (total-data plans)
	HighFlowSize   Int    `json:"highFlowSize"`   // high-speed KB per day (daily plans)
	LimitFlowSpeed Int    `json:"limitFlowSpeed"` // kbps after the high-speed data is used
	PlanType       Int    `json:"planType"`       // PlanTypeTotal or PlanTypeDaily
	// HotspotSupport is passed through as text; "1" means supported (the
	// English F002 line says the opposite; the Chinese F002 text,
	// F015/F056/N006 and public integrations all read "1" as supported).
	HotspotSupport String       `json:"hotspotSupport"`
	Country        []SKUCountry `json:"country"`
	// ValidityPeriod is sent by the vendor as "validityPeroid" (sic); the
	// correct spelling is accepted as well.
	ValidityPeriod       String `json:"validityPeroid"`
	UsageCount           Int    `json:"usageCount"`           // 1 single-use carrier, 2 multi-use
	RechargeableProduct  Int    `json:"rechargeableProduct"`  // 1 when the eSIM can be topped up
	EstimatedUseTimeFlag Int    `json:"estimatedUseTimeFlag"` // 1 when F040 needs estimatedUseTime
	RefundPolicy         String `json:"refundPolicy"`
	SpeedLimitRule       String `json:"speedLimitRule"`
	Provider             String `json:"provider"`
	ApplyToDevice        String `json:"applyToDevice"`
	// EstimatedUseTimeGapHours is how far ahead of the order the travel
	// start (estimatedUseTime) may be, in hours; 0 when not given.
	EstimatedUseTimeGapHours Int `json:"estimatedUseTimeGapHours"`

	present map[string]bool // JSON keys the record carried (see Has)
}

// Unlimited is the vendor's value for "not limited" in capacity,
// highFlowSize, limitFlowSpeed (and F046's totalTraffic).
const Unlimited = -1

// Has reports whether the decoded record carried the JSON key (e.g.
// "planType"): an N006 carries only some of the F002 fields, and a field
// it leaves out must not overwrite what the shop knows. A SKU built in Go
// rather than decoded has every field.
func (s SKU) Has(key string) bool {
	if s.present == nil {
		return true
	}
	return s.present[key]
}

// UnmarshalJSON implements json.Unmarshaler, accepting both spellings of
// the validity period.
func (s *SKU) UnmarshalJSON(data []byte) error {
	type plain SKU // no methods: avoids recursion
	var aux struct {
		plain
		ValidityPeriodCorrect *String `json:"validityPeriod"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return err
	}
	*s = SKU(aux.plain)
	s.present = make(map[string]bool, len(keys))
	for k := range keys {
		s.present[k] = true
	}
	if s.ValidityPeriod == "" && aux.ValidityPeriodCorrect != nil {
		s.ValidityPeriod = *aux.ValidityPeriodCorrect
		s.present["validityPeroid"] = true
	}
	return nil
}

// Orderable reports whether the SKU is an eSIM product that F040 accepts.
func (s SKU) Orderable() bool {
	return s.Type == SKUTypeESIMSelfSelected || s.Type == SKUTypeESIMFixed
}

// SKUCountry is one country covered by a SKU. A SKU with several is a
// regional or global plan.
type SKUCountry struct {
	MCC          String         `json:"mcc"` // ISO 3166 alpha-2 code
	Name         String         `json:"name"`
	APN          String         `json:"apn"`
	APNUsername  String         `json:"apnUsername"`
	APNPassword  String         `json:"apnPassword"`
	APNType      Int            `json:"apnType"` // 0 automatic, 1 manual APN setting needed
	OperatorInfo []OperatorInfo `json:"operatorInfo"`
}

// OperatorInfo is one network a SKU roams on in a country.
type OperatorInfo struct {
	Operator String `json:"operator"`
	Network  String `json:"network"` // e.g. "4G/5G"
	Priority Int    `json:"priority"`
}

// SKUPrice is one F003 record: the price tiers of a SKU.
type SKUPrice struct {
	SKUID String      `json:"skuId"`
	Price []PriceTier `json:"price"`
}

// PriceTier is the price of buying Copies copies of a plan at once. The
// set of Copies values is the valid range of planSkuCopies on F040.
// Amounts are in the vendor account's currency (CNY for this shop), not the
// shop's selling currency.
type PriceTier struct {
	Copies          Int     `json:"copies"`
	RetailPrice     Decimal `json:"retailPrice"`     // vendor's suggested retail price
	SettlementPrice Decimal `json:"settlementPrice"` // what the shop pays the vendor
}

// SKUQuery selects SKUs for F002. Only SalesMethod is required; empty
// fields are not sent.
type SKUQuery struct {
	SalesMethod string // "1".."6"; this shop's account uses "5"
	SKUID       string // one SKU
	CountryCode string // ISO 3166 alpha-2
	// NetworkOperatorScope ("1" first-tier operators, "2" all) is only sent
	// when set: some accounts answer 1003 to it.
	NetworkOperatorScope string
}

type countriesRequest struct {
	SalesMethod string `json:"salesMethod"`
	Language    string `json:"language"`
}

type skusRequest struct {
	SalesMethod          string `json:"salesMethod"`
	Language             string `json:"language"`
	SKUID                string `json:"skuId,omitempty"`
	CountryCode          string `json:"countryCode,omitempty"`
	NetworkOperatorScope string `json:"networkOperatorScope,omitempty"`
}

type pricesRequest struct {
	SalesMethod string `json:"salesMethod"`
}

// Countries lists the countries covered (F001), in English.
func (c *Client) Countries(ctx context.Context, salesMethod string) ([]Country, error) {
	if salesMethod == "" {
		return nil, errInvalid(TradeCountries, "salesMethod is required")
	}
	return callList[Country](ctx, c, TradeCountries, countriesRequest{SalesMethod: salesMethod, Language: LanguageEnglish})
}

// SKUs lists commodities (F002), always in English: the vendor defaults to
// Chinese when language is omitted. Each SKU is decoded on its own: one
// that fails (a decimal where an integer belongs, an array where a string
// does) is returned in rejected and the others are kept.
func (c *Client) SKUs(ctx context.Context, q SKUQuery) (skus []SKU, rejected []Rejected, err error) {
	if q.SalesMethod == "" {
		return nil, nil, errInvalid(TradeSKUs, "salesMethod is required")
	}
	return callEach[SKU](ctx, c, TradeSKUs, skusRequest{
		SalesMethod:          q.SalesMethod,
		Language:             LanguageEnglish,
		SKUID:                q.SKUID,
		CountryCode:          q.CountryCode,
		NetworkOperatorScope: q.NetworkOperatorScope,
	})
}

// Prices lists the price tiers of every SKU (F003), decoded record by
// record like SKUs.
func (c *Client) Prices(ctx context.Context, salesMethod string) (prices []SKUPrice, rejected []Rejected, err error) {
	if salesMethod == "" {
		return nil, nil, errInvalid(TradePrices, "salesMethod is required")
	}
	return callEach[SKUPrice](ctx, c, TradePrices, pricesRequest{SalesMethod: salesMethod})
}
