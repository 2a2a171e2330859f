package sandbox

import (
	"context"
	"encoding/json"
	"slices"
)

// f001 lists the covered countries.
func (s *Sandbox) f001(_ context.Context, data json.RawMessage) reply {
	var p common
	if decode(data, &p) != nil {
		return fail(codeParam)
	}
	lang, valid := p.check(s, true)
	if !valid {
		return fail(codeParam)
	}
	out := make([]Country, len(s.catalog().Countries))
	for i, c := range s.catalog().Countries {
		if lang == "1" {
			c.Name, c.Continent = c.NameZH, c.ContinentZH
		}
		out[i] = c
	}
	return ok(out)
}

// f002 lists SKUs, optionally one SKU or those covering one country.
func (s *Sandbox) f002(_ context.Context, data json.RawMessage) reply {
	var p struct {
		common
		SKUID       flexString `json:"skuId"`
		CountryCode flexString `json:"countryCode"`
		Scope       flexString `json:"networkOperatorScope"`
	}
	if decode(data, &p) != nil {
		return fail(codeParam)
	}
	lang, valid := p.check(s, true)
	if !valid || (p.Scope != "" && p.Scope != "1" && p.Scope != "2") {
		return fail(codeParam)
	}
	out := []SKU{}
	for _, sku := range s.catalog().SKUs {
		if p.SKUID != "" && sku.SKUID != string(p.SKUID) {
			continue
		}
		if p.CountryCode != "" && !slices.ContainsFunc(sku.Country, func(c SKUCountry) bool { return c.MCC == string(p.CountryCode) }) {
			continue
		}
		out = append(out, localizeSKU(sku, lang, p.Scope == "1"))
	}
	// The live F002 answers "成功" (success) rather than "success".
	return reply{code: codeOK, msg: "成功", data: out}
}

// localizeSKU returns a copy of sku in the language; firstTier keeps only
// the priority-1 operators (networkOperatorScope "1").
func localizeSKU(sku SKU, lang string, firstTier bool) SKU {
	if lang == "1" {
		sku.Name, sku.Desc = sku.ZH.Name, sku.ZH.Desc
		sku.RefundPolicy, sku.SpeedLimitRule, sku.ApplyToDevice = sku.ZH.RefundPolicy, sku.ZH.SpeedLimitRule, sku.ZH.ApplyToDevice
	}
	countries := make([]SKUCountry, len(sku.Country))
	for i, c := range sku.Country {
		if lang == "1" {
			c.Name = c.NameZH
		}
		if firstTier {
			var ops []Operator
			for _, op := range c.OperatorInfo {
				if op.Priority == "1" {
					ops = append(ops, op)
				}
			}
			c.OperatorInfo = ops
		}
		countries[i] = c
	}
	sku.Country = countries
	return sku
}

// f003 lists the price tiers of every priced SKU.
func (s *Sandbox) f003(_ context.Context, data json.RawMessage) reply {
	var p common
	if decode(data, &p) != nil {
		return fail(codeParam)
	}
	if _, valid := p.check(s, true); !valid {
		return fail(codeParam)
	}
	out := s.catalog().Prices
	if out == nil {
		out = []SKUPrice{}
	}
	return ok(out)
}
