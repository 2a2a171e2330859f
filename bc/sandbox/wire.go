package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Country is one F001 entry as the vendor sends it. Name and Continent are
// the English answer (language "2"); like the real service, a few of those
// English names are still Chinese. NameZH and ContinentZH are the Chinese
// answer (language "1" or omitted) and never go on the wire themselves.
type Country struct {
	Continent   string `json:"continent"`
	MCC         string `json:"mcc"`
	Name        string `json:"name"`
	URL         string `json:"url"`
	NameZH      string `json:"-"`
	ContinentZH string `json:"-"`
}

// SKU is one F002 commodity in the vendor's wire format: every number is a
// JSON string and the vendor's spellings (validityPeroid) are kept. The
// English texts are in the tagged fields; ZH holds the Chinese ones.
type SKU struct {
	SKUID                string       `json:"skuId"`
	Name                 string       `json:"name"`
	Desc                 string       `json:"desc"`
	Type                 string       `json:"type"`
	Days                 string       `json:"days"`
	Capacity             string       `json:"capacity"`
	HighFlowSize         string       `json:"highFlowSize"`
	LimitFlowSpeed       string       `json:"limitFlowSpeed"`
	PlanType             string       `json:"planType"`
	HotspotSupport       string       `json:"hotspotSupport"`
	Country              []SKUCountry `json:"country"`
	ValidityPeroid       string       `json:"validityPeroid"`
	UsageCount           string       `json:"usageCount"`
	RechargeableProduct  string       `json:"rechargeableProduct"`
	EstimatedUseTimeFlag string       `json:"estimatedUseTimeFlag"`
	// EstimatedUseTimeGapHours is how far ahead of the order the travel
	// start may be, in hours ("" when the SKU needs no travel date).
	EstimatedUseTimeGapHours string  `json:"estimatedUseTimeGapHours,omitempty"`
	RefundPolicy             string  `json:"refundPolicy"`
	SpeedLimitRule           string  `json:"speedLimitRule"`
	Provider                 string  `json:"provider"`
	ApplyToDevice            string  `json:"applyToDevice"`
	ZH                       SKUText `json:"-"`
	// Wire replaces fields on the wire with raw JSON (e.g. "days": 1.5,
	// "name": ["a"]): the odd values live SKUs carry, for tests of a
	// client that must skip one bad SKU and keep the rest.
	Wire map[string]json.RawMessage `json:"-"`
}

// MarshalJSON implements json.Marshaler, applying Wire.
func (s SKU) MarshalJSON() ([]byte, error) {
	type plain SKU
	b, err := json.Marshal(plain(s))
	if err != nil || len(s.Wire) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for k, v := range s.Wire {
		m[k] = v
	}
	return json.Marshal(m)
}

// SKUText is the language-dependent text of a SKU; the sandbox swaps it in
// for Chinese requests.
type SKUText struct {
	Name, Desc, RefundPolicy, SpeedLimitRule, ApplyToDevice string
}

// SKUCountry is one covered country of a SKU (F002 country[]).
type SKUCountry struct {
	MCC          string     `json:"mcc"`
	Name         string     `json:"name"`
	APN          string     `json:"apn"`
	APNUsername  string     `json:"apnUsername"`
	APNPassword  string     `json:"apnPassword"`
	APNType      string     `json:"apnType"`
	OperatorInfo []Operator `json:"operatorInfo"`
	NameZH       string     `json:"-"`
}

// Operator is one network of a covered country; Priority "1" is first tier.
type Operator struct {
	Operator string `json:"operator"`
	Network  string `json:"network"`
	Priority string `json:"priority"`
}

// SKUPrice is one F003 entry: the price tiers of a SKU.
type SKUPrice struct {
	SKUID string      `json:"skuId"`
	Price []PriceTier `json:"price"`
}

// PriceTier is one F003 price: Copies copies of the plan bought at once, as
// CNY decimal strings (settlement is what the reseller pays).
type PriceTier struct {
	Copies          string `json:"copies"`
	RetailPrice     string `json:"retailPrice"`
	SettlementPrice string `json:"settlementPrice"`
}

// flexString decodes a JSON string or number into its text. The vendor's
// documentation says numbers travel as strings, but clients differ; the
// sandbox accepts both so that it tests behaviour, not quoting.
type flexString string

// UnmarshalJSON accepts "x", 12, 1.5 and null.
func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	default:
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return fmt.Errorf("sandbox: want string or number, got %s", b)
		}
		*f = flexString(n.String())
		return nil
	}
}

// flexStrings decodes either a JSON array of strings/numbers or a single
// bare string (the vendor's examples show both for iccid lists).
type flexStrings []string

// UnmarshalJSON accepts ["a","b"], "a" and null.
func (f *flexStrings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '[' {
		var items []flexString
		if err := json.Unmarshal(b, &items); err != nil {
			return err
		}
		out := make([]string, len(items))
		for i, it := range items {
			out[i] = string(it)
		}
		*f = out
		return nil
	}
	var one flexString
	if err := one.UnmarshalJSON(b); err != nil {
		return err
	}
	if one == "" {
		*f = nil
	} else {
		*f = []string{string(one)}
	}
	return nil
}
