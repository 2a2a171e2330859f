// Package mail composes outgoing email and delivers it over SMTP.
//
// Compose turns a Message into RFC 5322 bytes that are plain 7-bit ASCII
// (encoded headers, quoted-printable bodies, base64 attachments), so any
// relay can carry them unchanged. SMTP sends those bytes, insisting on TLS
// for everything but a loopback relay, and classifies failures with
// Temporary so the mail job knows whether a retry can help.
package mail

import (
	"context"
	"errors"
)

// Sender sends messages. The SMTP client implements it; tests and the demo
// mode can substitute their own.
type Sender interface {
	// Send delivers m, or returns an error that Temporary classifies.
	Send(ctx context.Context, m Message) error
}

// ErrInvalid marks a message or configuration that can never be sent as it
// is (bad address, header injection attempt, missing body...). Retrying
// does not help: Temporary reports false for it.
var ErrInvalid = errors.New("mail: invalid")
