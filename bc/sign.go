// Package bc is the Billionconnect reseller API client: request signing, the
// JSON envelope, typed errors, one method per interface, and the parsing and
// verification of the notices Billionconnect sends to the shop.
package bc

import (
	"bytes"
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
)

// Sign returns the vendor's signature of body: lowercase hex
// md5(appSecret + body). body must be the exact bytes sent or received.
func Sign(appSecret string, body []byte) string {
	h := md5.New()
	h.Write([]byte(appSecret))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Verify reports whether sign is the signature of body under appSecret. It
// compares in constant time and accepts upper- or lowercase hex.
func Verify(appSecret string, body []byte, sign string) bool {
	want := Sign(appSecret, body)
	got := bytes.ToLower([]byte(sign))
	return subtle.ConstantTimeCompare([]byte(want), got) == 1
}

// VerifyAny reports which of secrets signed body: the index of the first
// that verifies sign, or -1. Empty secrets are skipped (an unset previous
// secret must never verify anything).
func VerifyAny(body []byte, sign string, secrets ...string) int {
	for i, s := range secrets {
		if s != "" && Verify(s, body, sign) {
			return i
		}
	}
	return -1
}

// SignMethodMD5 is the only x-sign-method the vendor uses.
const SignMethodMD5 = "md5"
