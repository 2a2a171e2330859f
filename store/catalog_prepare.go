package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// preparedProduct is a validated product in canonical form (coverage by
// code, operators by priority, tiers by copies, Region derived) with the
// data ReplaceCatalog writes.
type preparedProduct struct {
	p    Product
	hash string
	ops  []string // operators JSON, parallel to p.Coverage
}

// prepareCatalog validates c completely and returns its products in
// canonical form. It never modifies c. Any problem is an EINVALID error
// naming the first offending item, so a bad vendor response is rejected
// before a single row is written.
func prepareCatalog(c Catalog) ([]preparedProduct, error) {
	if len(c.Products) == 0 {
		return nil, Errorf(EINVALID, "catalog has no products; refusing to deactivate the whole shop")
	}
	seenCountry := make(map[string]bool, len(c.Countries))
	for i, co := range c.Countries {
		if !validCountryCode(co.Code) {
			return nil, Errorf(EINVALID, "country %d: code %q is not two upper-case letters", i, co.Code)
		}
		if seenCountry[co.Code] {
			return nil, Errorf(EINVALID, "country %q listed twice", co.Code)
		}
		seenCountry[co.Code] = true
	}
	seenSKU := make(map[string]bool, len(c.Products))
	out := make([]preparedProduct, 0, len(c.Products))
	for i, p := range c.Products {
		if p.SKUID == "" {
			return nil, Errorf(EINVALID, "product %d: empty SKU id", i)
		}
		if seenSKU[p.SKUID] {
			return nil, Errorf(EINVALID, "product %q listed twice", p.SKUID)
		}
		seenSKU[p.SKUID] = true
		pp, err := prepareProduct(p, true)
		if err != nil {
			return nil, Errorf(EINVALID, "product %q: %s", p.SKUID, err)
		}
		out = append(out, pp)
	}
	return out, nil
}

// ValidateProduct checks one product the way ReplaceCatalog (requireTiers)
// or UpdateProducts does, so a caller can leave out a bad product and keep
// the rest instead of having the whole catalog refused. The error is a
// plain message without the SKU.
func ValidateProduct(p Product, requireTiers bool) error {
	_, err := prepareProduct(p, requireTiers)
	return err
}

// prepareProduct validates one product and returns a canonical deep copy.
// A full sync requires price tiers (requireTiers); an N006 update carries
// none and keeps the stored ones. The returned error is a plain message;
// the caller adds the SKU.
func prepareProduct(in Product, requireTiers bool) (preparedProduct, error) {
	if in.Type != TypeESIMSelfSelected && in.Type != TypeESIMFixed {
		return preparedProduct{}, fmt.Errorf("type %d is not an eSIM type (%d or %d)", in.Type, TypeESIMSelfSelected, TypeESIMFixed)
	}
	if in.PlanType != PlanTotal && in.PlanType != PlanDaily {
		return preparedProduct{}, fmt.Errorf("unknown plan type %d", in.PlanType)
	}
	if in.Days < 1 {
		return preparedProduct{}, fmt.Errorf("days %d must be at least 1", in.Days)
	}
	if in.DataKB < 0 || in.DailyKB < 0 || in.SpeedAfterKbps < 0 || in.ValidityDays < 0 || in.UsageCount < 0 || in.UseTimeGapHours < 0 {
		return preparedProduct{}, fmt.Errorf("negative data size, speed, validity, usage count or travel window")
	}
	if in.Unlimited && (in.DataKB != 0 || in.DailyKB != 0) {
		return preparedProduct{}, fmt.Errorf("an unlimited plan cannot also have a data size")
	}
	if requireTiers && len(in.Tiers) == 0 {
		return preparedProduct{}, fmt.Errorf("no price tiers")
	}

	// Active, Hidden and UpdatedAt belong to the store, not the vendor.
	p := in
	p.Active, p.Hidden, p.UpdatedAt = false, false, time.Time{}

	p.Tiers = append([]PriceTier(nil), in.Tiers...)
	sort.Slice(p.Tiers, func(i, j int) bool { return p.Tiers[i].Copies < p.Tiers[j].Copies })
	for i, t := range p.Tiers {
		if t.Copies < 1 {
			return preparedProduct{}, fmt.Errorf("price tier copies %d must be at least 1", t.Copies)
		}
		if i > 0 && p.Tiers[i-1].Copies == t.Copies {
			return preparedProduct{}, fmt.Errorf("price tier for %d copies listed twice", t.Copies)
		}
		if !validDecimal(t.RetailPrice) {
			return preparedProduct{}, fmt.Errorf("%d copies: retail price %q is not a decimal number", t.Copies, t.RetailPrice)
		}
		if !validDecimal(t.SettlementPrice) {
			return preparedProduct{}, fmt.Errorf("%d copies: settlement price %q is not a decimal number", t.Copies, t.SettlementPrice)
		}
	}

	p.Coverage = make([]Coverage, len(in.Coverage))
	codes := make([]string, len(in.Coverage))
	for i, cv := range in.Coverage {
		if !validCountryCode(cv.CountryCode) {
			return preparedProduct{}, fmt.Errorf("coverage country %q is not two upper-case letters", cv.CountryCode)
		}
		cv.Operators = append([]Operator(nil), cv.Operators...)
		sort.SliceStable(cv.Operators, func(a, b int) bool { return cv.Operators[a].Priority < cv.Operators[b].Priority })
		p.Coverage[i] = cv
		codes[i] = cv.CountryCode
	}
	sort.Slice(p.Coverage, func(i, j int) bool { return p.Coverage[i].CountryCode < p.Coverage[j].CountryCode })
	for i := 1; i < len(p.Coverage); i++ {
		if p.Coverage[i].CountryCode == p.Coverage[i-1].CountryCode {
			return preparedProduct{}, fmt.Errorf("coverage country %q listed twice", p.Coverage[i].CountryCode)
		}
	}
	// Region is derived here, not trusted from the caller, so the stored
	// value always follows the current region table.
	p.Region = RegionFor(codes)

	ops := make([]string, len(p.Coverage))
	for i, cv := range p.Coverage {
		ops[i] = operatorsJSON(cv.Operators)
	}
	return preparedProduct{p: p, hash: contentHash(p), ops: ops}, nil
}

// contentHash fingerprints everything a sync writes for a product. Active,
// Hidden and UpdatedAt are not vendor data and are left out.
func contentHash(p Product) string {
	p.Active, p.Hidden, p.UpdatedAt = false, false, time.Time{}
	b, err := json.Marshal(p)
	if err != nil {
		// Product holds only strings, numbers, bools and slices of them.
		panic("store: marshal product: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// validCountryCode reports whether s is two ASCII upper-case letters, the
// shape of an ISO 3166-1 alpha-2 code.
func validCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

// validDecimal reports whether s is a non-negative decimal such as "12",
// "4.5" or "0.99": digits, optionally a point and more digits. Anything else
// (empty, signs, exponents, spaces, commas) is rejected because billing
// parses these strings into exact minor units.
func validDecimal(s string) bool {
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" || (hasPoint && frac == "") {
		return false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}

// canonicalDecimal returns s without leading zeros in the integer part and
// trailing zeros in the fraction, so "12.50" and "12.5" compare equal when
// deciding whether a price changed. s must pass validDecimal.
func canonicalDecimal(s string) string {
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		return intPart
	}
	return intPart + "." + frac
}

// tiersEqual reports whether two tier lists, both sorted by copies, offer
// the same copies at the same prices.
func tiersEqual(a, b []PriceTier) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Copies != b[i].Copies ||
			canonicalDecimal(a[i].RetailPrice) != canonicalDecimal(b[i].RetailPrice) ||
			canonicalDecimal(a[i].SettlementPrice) != canonicalDecimal(b[i].SettlementPrice) {
			return false
		}
	}
	return true
}
