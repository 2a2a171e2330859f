package sandbox

import (
	"crypto/subtle"
	"strings"

	"github.com/esimshop/esimshop/bc"
)

// verifySign checks the vendor signature of body; an empty signature never
// matches.
func verifySign(secret string, body []byte, sign string) bool {
	return sign != "" && bc.Verify(secret, body, sign)
}

// constantEqual compares two header values without leaking where they
// differ.
func constantEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func equalFoldASCII(a, b string) bool { return strings.EqualFold(a, b) }
