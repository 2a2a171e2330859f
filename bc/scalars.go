package bc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// The vendor documents every number as a JSON string but its examples (and
// production) mix strings, numbers, empty strings and nulls for the same
// field. These scalar types absorb that variation at decode time so one odd
// field does not fail a whole catalog sync, while still rejecting values that
// are plainly wrong (text where a count belongs). They all marshal as JSON
// strings because that is what the vendor itself sends and documents.

// Int is an integer sent as a JSON number or a numeric string. An empty
// string and null decode to 0; a fraction or non-numeric text is an error.
type Int int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int) UnmarshalJSON(data []byte) error {
	text, isNull, err := scalarText(data)
	if err != nil {
		return fmt.Errorf("bc: integer: %w", err)
	}
	text = strings.TrimSpace(text)
	if isNull || text == "" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return fmt.Errorf("bc: %s is not an integer", quoteShort(text))
	}
	*n = Int(v)
	return nil
}

// MarshalJSON implements json.Marshaler; the value is sent as a string.
func (n Int) MarshalJSON() ([]byte, error) {
	return strconv.AppendQuote(nil, strconv.FormatInt(int64(n), 10)), nil
}

// String is text that the vendor sometimes sends as a JSON number (IDs,
// codes). A number keeps its exact text, so a long ID never passes through a
// float. null decodes to "".
type String string

// UnmarshalJSON implements json.Unmarshaler.
func (s *String) UnmarshalJSON(data []byte) error {
	text, _, err := scalarText(data)
	if err != nil {
		return fmt.Errorf("bc: string: %w", err)
	}
	*s = String(text)
	return nil
}

// MarshalJSON implements json.Marshaler.
func (s String) MarshalJSON() ([]byte, error) {
	return json.Marshal(string(s))
}

// Code is the response envelope's tradeCode: documented as a string,
// documented as an int for F023, so both are accepted.
type Code string

// UnmarshalJSON implements json.Unmarshaler.
func (c *Code) UnmarshalJSON(data []byte) error {
	text, _, err := scalarText(data)
	if err != nil {
		return fmt.Errorf("bc: tradeCode: %w", err)
	}
	*c = Code(strings.TrimSpace(text))
	return nil
}

// MarshalJSON implements json.Marshaler.
func (c Code) MarshalJSON() ([]byte, error) {
	return json.Marshal(string(c))
}

// Decimal is a decimal amount (a price, a balance, a usage figure) kept as
// its exact text so that money never passes through a float. It accepts a
// JSON string or number; "" and null decode to the empty Decimal, which
// means "not given". Any other text must be a plain decimal such as "4.5",
// "-1" or "12.00" (no exponent, no thousands separators).
type Decimal string

// UnmarshalJSON implements json.Unmarshaler.
func (d *Decimal) UnmarshalJSON(data []byte) error {
	text, _, err := scalarText(data)
	if err != nil {
		return fmt.Errorf("bc: decimal: %w", err)
	}
	text = strings.TrimSpace(text)
	if text != "" && !isPlainDecimal(text) {
		return fmt.Errorf("bc: %s is not a decimal", quoteShort(text))
	}
	*d = Decimal(text)
	return nil
}

// MarshalJSON implements json.Marshaler; the value is sent as a string.
func (d Decimal) MarshalJSON() ([]byte, error) {
	return json.Marshal(string(d))
}

// String returns the decimal's text.
func (d Decimal) String() string { return string(d) }

// Rat returns the exact value of d. ok is false for the empty Decimal or
// text that is not a plain decimal.
func (d Decimal) Rat() (r *big.Rat, ok bool) {
	if !isPlainDecimal(string(d)) {
		return nil, false
	}
	return new(big.Rat).SetString(string(d))
}

// Units returns d as an integer number of 10^-scale units, e.g. "12.3" with
// scale 2 is 1230 (cents). It refuses to round: a value with more non-zero
// fractional digits than scale, an empty or malformed value, or one that
// overflows int64 is an error, so a price is never silently altered.
func (d Decimal) Units(scale int) (int64, error) {
	s := string(d)
	if scale < 0 || scale > 18 {
		return 0, fmt.Errorf("bc: decimal scale %d out of range", scale)
	}
	if !isPlainDecimal(s) {
		return 0, fmt.Errorf("bc: %s is not a decimal", quoteShort(s))
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	frac = strings.TrimRight(frac, "0")
	if len(frac) > scale {
		return 0, fmt.Errorf("bc: %s has more than %d decimal places", quoteShort(string(d)), scale)
	}
	frac += strings.Repeat("0", scale-len(frac))
	v, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bc: %s is out of range", quoteShort(string(d)))
	}
	if neg {
		v = -v
	}
	return v, nil
}

// StringList is a list of strings that the vendor sends either as a JSON
// array or as a single bare string (F011's iccid appears both ways), or as
// null. Empty strings are dropped: an empty ICCID is no ICCID.
type StringList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *StringList) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var items []String
		if err := json.Unmarshal(data, &items); err != nil {
			return fmt.Errorf("bc: string list: %w", err)
		}
		out := make(StringList, 0, len(items))
		for _, it := range items {
			if it != "" {
				out = append(out, string(it))
			}
		}
		*l = out
		return nil
	}
	text, _, err := scalarText(data)
	if err != nil {
		return fmt.Errorf("bc: string list: %w", err)
	}
	if text == "" {
		*l = nil
		return nil
	}
	*l = StringList{text}
	return nil
}

// MarshalJSON implements json.Marshaler; the list is always sent as an
// array (never null), which is what F007 expects.
func (l StringList) MarshalJSON() ([]byte, error) {
	if l == nil {
		return []byte("[]"), nil
	}
	return json.Marshal([]string(l))
}

// scalarText returns the text of a JSON string, the literal text of a JSON
// number, or isNull for null. Booleans, objects and arrays are errors.
func scalarText(data []byte) (text string, isNull bool, err error) {
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0:
		return "", false, fmt.Errorf("empty value")
	case string(data) == "null":
		return "", true, nil
	case data[0] == '"':
		if err := json.Unmarshal(data, &text); err != nil {
			return "", false, err
		}
		return text, false, nil
	case data[0] == '-' || (data[0] >= '0' && data[0] <= '9'):
		// json.Unmarshal has already validated the number's syntax when this
		// is called from a decoder; a direct call is checked here.
		if !json.Valid(data) {
			return "", false, fmt.Errorf("invalid number %s", quoteShort(string(data)))
		}
		return string(data), false, nil
	default:
		return "", false, fmt.Errorf("unexpected JSON value %s", quoteShort(string(data)))
	}
}

// isPlainDecimal reports whether s is an optional '-', one or more digits,
// and optionally '.' followed by one or more digits.
func isPlainDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if !allDigits(whole) {
		return false
	}
	return !hasDot || allDigits(frac)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// quoteShort quotes s for an error message, cut to a length that keeps a
// malicious or huge vendor value from flooding the logs.
func quoteShort(s string) string {
	const max = 40
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strconv.Quote(s)
}
