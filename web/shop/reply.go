package shop

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

// Reply is what a webhook is answered: a status and a body, which the
// HTTP layer writes as they are.
type Reply struct {
	Status int
	JSON   bool // the body is JSON (else plain text)
	Body   []byte
}

// text is a plain-text reply.
func text(status int, body string) Reply { return Reply{Status: status, Body: []byte(body)} }

// retryLater is the answer when the shop could not store or act on a
// delivery: a 5xx, so the sender tries again.
var retryLater = text(http.StatusInternalServerError, "internal error; retry later")

// rejectedKeep is how much of an unverified webhook body is stored: enough
// to see what it was, not enough for anonymous requests to fill the disk.
const rejectedKeep = 1024

// truncateBytes returns at most n bytes of b.
func truncateBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// randomID is a random hex id for records that have none of their own.
func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
