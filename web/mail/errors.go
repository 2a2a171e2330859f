package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/textproto"
	"time"
)

// sendError is a failed SMTP exchange: the step that failed, whether a
// retry may succeed, and the cause (the relay's reply, a network error...).
type sendError struct {
	op        string
	temporary bool
	err       error
}

// Error names the step; the relay's reply text comes from the cause.
func (e *sendError) Error() string { return "smtp " + e.op + ": " + e.err.Error() }

// Unwrap exposes the cause to errors.Is/As (textproto.Error, net.Error...).
func (e *sendError) Unwrap() error { return e.err }

// Temporary reports whether sending the same message again later may work:
// true for 4xx replies, network failures and timeouts; false for 5xx
// replies, invalid messages or configuration, TLS certificate failures and
// refusals to send without encryption, which need a person to act.
func Temporary(err error) bool {
	if err == nil {
		return false
	}
	var se *sendError
	if errors.As(err, &se) {
		return se.temporary
	}
	return temporaryCause(err)
}

// temporaryCause classifies an error that did not come out of Send.
func temporaryCause(err error) bool {
	if errors.Is(err, ErrInvalid) {
		return false
	}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code >= 400 && tp.Code < 500
	}
	var (
		verr  *tls.CertificateVerificationError
		uaerr x509.UnknownAuthorityError
		herr  x509.HostnameError
		cierr x509.CertificateInvalidError
		rherr tls.RecordHeaderError
	)
	if errors.As(err, &verr) || errors.As(err, &uaerr) || errors.As(err, &herr) ||
		errors.As(err, &cierr) || errors.As(err, &rherr) {
		// A certificate that does not verify, or a plain-text server on
		// the TLS port, is a configuration problem retrying will not fix.
		return false
	}
	// Network failures, timeouts, a cancelled context, and anything not
	// recognised above (a garbled reply, a connection dropped in an odd
	// way) are retried: the mail job bounds its attempts, and a lost
	// delivery email is worse than one more try.
	return true
}

// classify wraps an error from step op, adding the context's error when
// the context ended the exchange (the I/O error alone would hide why).
func classify(ctx context.Context, op string, err error) error {
	cerr := ctx.Err()
	if dl, ok := ctx.Deadline(); ok && cerr == nil && !time.Now().Before(dl) {
		// The connection shares the context's deadline and can report
		// its I/O timeout a moment before the context's timer fires.
		cerr = context.DeadlineExceeded
	}
	if cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	return &sendError{op: op, temporary: temporaryCause(err), err: err}
}

// refuse builds a permanent error for a step the client declines to take.
func refuse(op, format string, args ...any) error {
	return &sendError{op: op, temporary: false, err: fmt.Errorf(format, args...)}
}
