// Package mail composes outgoing email and delivers it over SMTP with
// github.com/wneessen/go-mail.
//
// The package holds the shop's rules, not MIME or SMTP code: Compose
// refuses what must not be sent (header injection, unparsable or non-ASCII
// addresses, a message without a body) and hands the rest to go-mail,
// which writes 7-bit RFC 5322 bytes (encoded headers, quoted-printable
// bodies, base64 attachments). SMTP insists on TLS for everything but a
// loopback relay and classifies failures with Temporary so the mail job
// knows whether a retry can help.
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
