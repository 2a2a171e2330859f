package bc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Rejected is one record of a list answer (an F002 SKU, an F003 price
// record, an N006 SKU) that could not be decoded. The rest of the list is
// still used: one odd value must not cost the whole catalog.
type Rejected struct {
	Index  int    // position in the vendor's array
	SKUID  string // the record's skuId when it could be read, else ""
	Reason string // why it was refused, e.g. `days: "1.5" is not an integer`
}

// decodeEach decodes a JSON array (or, when allowObject, a single object)
// element by element: elements that fail are returned as Rejected instead
// of failing the whole array. null or absent data is an empty, non-nil
// slice. Anything but an array (or object) is an error.
func decodeEach[T any](data json.RawMessage, allowObject bool) ([]T, []Rejected, error) {
	items := []T{}
	if isNullJSON(data) {
		return items, nil, nil
	}
	data = bytes.TrimSpace(data)
	var raws []json.RawMessage
	switch {
	case data[0] == '[':
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, nil, fmt.Errorf("not a JSON array: %w", err)
		}
	case data[0] == '{' && allowObject:
		raws = []json.RawMessage{data}
	default:
		return nil, nil, fmt.Errorf("tradeData is not an array")
	}
	var rejected []Rejected
	for i, raw := range raws {
		var item T
		if err := json.Unmarshal(raw, &item); err != nil {
			rejected = append(rejected, Rejected{Index: i, SKUID: peekSKUID(raw), Reason: decodeReason[T](raw, err)})
			continue
		}
		items = append(items, item)
	}
	return items, rejected, nil
}

// peekSKUID reads a record's skuId without caring about its other fields.
func peekSKUID(raw json.RawMessage) string {
	var probe map[string]json.RawMessage
	if json.Unmarshal(raw, &probe) != nil {
		return ""
	}
	var id String
	if json.Unmarshal(probe["skuId"], &id) != nil {
		return ""
	}
	return strings.TrimSpace(string(id))
}

// decodeReason explains why raw did not decode into a T: it finds the
// first field (in key order) that fails on its own, so the operator reads
// e.g. `days: "1.5" is not an integer` rather than a bare message.
func decodeReason[T any](raw json.RawMessage, err error) string {
	var probe map[string]json.RawMessage
	if json.Unmarshal(raw, &probe) == nil {
		keys := make([]string, 0, len(probe))
		for k := range probe {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			one, merr := json.Marshal(map[string]json.RawMessage{k: probe[k]})
			if merr != nil {
				continue
			}
			var item T
			if ferr := json.Unmarshal(one, &item); ferr != nil {
				return capReason(k + ": " + trimReason(ferr))
			}
		}
	}
	return capReason(trimReason(err))
}

// trimReason drops the package prefixes from a decoding error.
func trimReason(err error) string {
	msg := err.Error()
	if ute, ok := err.(*json.UnmarshalTypeError); ok {
		return fmt.Sprintf("expected %s, got a JSON %s", ute.Type, ute.Value)
	}
	msg = strings.TrimPrefix(msg, "json: ")
	return strings.TrimPrefix(msg, "bc: ")
}

// capReason caps a reason's length.
func capReason(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
