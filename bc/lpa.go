package bc

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// LPA is a parsed GSMA SGP.22 activation code, the content of an eSIM QR
// code: "LPA:1$<SM-DP+ address>$<activation code>[$<SM-DP+ OID>[$1]]".
type LPA struct {
	SMDP           string // SM-DP+ address, e.g. "smdp.example.com" or "smdp.example.com:8443"
	ActivationCode string // matching ID
	// OID is the optional SM-DP+ OID (dotted decimal), usually empty.
	OID string
	// ConfirmationRequired is set when the user must also type a
	// confirmation code, which the shop must then show next to the QR code.
	ConfirmationRequired bool
	// Raw is the input with surrounding whitespace removed: the exact
	// string to encode in the QR code.
	Raw string
}

const (
	lpaPrefix           = "LPA:"
	maxActivationCode   = 255
	maxHostnameLength   = 253
	maxHostnameLabelLen = 63
)

// ParseLPA parses and validates an activation string as found in N009's
// qrCodeContent. It rejects anything a phone could not install, so a broken
// delivery is caught when it arrives rather than by the traveller.
//
// The fourth field is the SM-DP+ OID in SGP.22, but the vendor documents it
// as the confirmation-code flag; a fourth field of exactly "1" (which is no
// OID: an OID has at least two arcs) is therefore read as the flag.
func ParseLPA(s string) (LPA, error) {
	raw := strings.TrimSpace(s)
	if len(raw) < len(lpaPrefix) || !strings.EqualFold(raw[:len(lpaPrefix)], lpaPrefix) {
		return LPA{}, errors.New(`bc: LPA: does not start with "LPA:"`)
	}
	fields := strings.Split(raw[len(lpaPrefix):], "$")
	if fields[0] != "1" {
		return LPA{}, fmt.Errorf("bc: LPA: unsupported format %s (want 1)", quoteShort(fields[0]))
	}
	if len(fields) < 3 {
		return LPA{}, errors.New("bc: LPA: needs an SM-DP+ address and an activation code")
	}
	if len(fields) > 5 {
		return LPA{}, errors.New("bc: LPA: too many $-separated fields")
	}
	l := LPA{SMDP: fields[1], ActivationCode: fields[2], Raw: raw}
	if err := checkSMDP(l.SMDP); err != nil {
		return LPA{}, err
	}
	if err := checkActivationCode(l.ActivationCode); err != nil {
		return LPA{}, err
	}
	switch {
	case len(fields) == 4 && fields[3] == "1":
		l.ConfirmationRequired = true
	case len(fields) >= 4:
		if fields[3] != "" && !isOID(fields[3]) {
			return LPA{}, fmt.Errorf("bc: LPA: %s is not an SM-DP+ OID", quoteShort(fields[3]))
		}
		l.OID = fields[3]
	}
	if len(fields) == 5 {
		switch fields[4] {
		case "1":
			l.ConfirmationRequired = true
		case "", "0":
		default:
			return LPA{}, fmt.Errorf("bc: LPA: confirmation flag %s is not 1", quoteShort(fields[4]))
		}
	}
	return l, nil
}

// String returns the canonical activation string for l (upper-case prefix,
// optional fields only when set). It is not necessarily Raw, but it parses
// back to the same SMDP, ActivationCode, OID and ConfirmationRequired.
func (l LPA) String() string {
	var b strings.Builder
	b.WriteString("LPA:1$")
	b.WriteString(l.SMDP)
	b.WriteByte('$')
	b.WriteString(l.ActivationCode)
	switch {
	case l.ConfirmationRequired:
		b.WriteString("$" + l.OID + "$1")
	case l.OID != "":
		b.WriteString("$" + l.OID)
	}
	return b.String()
}

// checkSMDP accepts a hostname (letters, digits, '-', '.'; labels not
// empty, not starting or ending with '-') with an optional :port.
func checkSMDP(addr string) error {
	host := addr
	if h, port, ok := strings.Cut(addr, ":"); ok {
		host = h
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || !allDigits(port) {
			return fmt.Errorf("bc: LPA: SM-DP+ address %s has an invalid port", quoteShort(addr))
		}
	}
	if host == "" || len(host) > maxHostnameLength {
		return fmt.Errorf("bc: LPA: SM-DP+ address %s is not a hostname", quoteShort(addr))
	}
	for _, label := range strings.Split(host, ".") {
		if !isHostLabel(label) {
			return fmt.Errorf("bc: LPA: SM-DP+ address %s is not a hostname", quoteShort(addr))
		}
	}
	return nil
}

func isHostLabel(label string) bool {
	if label == "" || len(label) > maxHostnameLabelLen || label[0] == '-' || label[len(label)-1] == '-' {
		return false
	}
	for i := 0; i < len(label); i++ {
		c := label[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// checkActivationCode accepts 1..255 printable ASCII characters other than
// space and '$' (which Split has already removed).
func checkActivationCode(code string) error {
	if code == "" {
		return errors.New("bc: LPA: activation code is empty")
	}
	if len(code) > maxActivationCode {
		return errors.New("bc: LPA: activation code is too long")
	}
	for i := 0; i < len(code); i++ {
		if code[i] <= ' ' || code[i] > '~' || code[i] == '$' {
			return errors.New("bc: LPA: activation code has a character that is not printable ASCII")
		}
	}
	return nil
}

// isOID reports whether s is a dotted-decimal OID of at least two arcs.
func isOID(s string) bool {
	arcs := strings.Split(s, ".")
	if len(arcs) < 2 {
		return false
	}
	for _, a := range arcs {
		if !allDigits(a) {
			return false
		}
	}
	return true
}
