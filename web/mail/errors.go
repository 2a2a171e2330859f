package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"syscall"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// sendError is a failed send: whether a retry may succeed, and the cause
// (the relay's reply, a network error, go-mail's refusal...).
type sendError struct {
	temporary bool
	err       error
}

// Error is the cause's text; it never holds the password.
func (e *sendError) Error() string { return "smtp: " + e.err.Error() }

// Unwrap exposes the cause to errors.Is/As (textproto.Error,
// *gomail.SendError, net.Error...).
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

// ReplyCode is the relay's SMTP reply code carried by err (550, 451...),
// or 0 when the failure was not a reply.
func ReplyCode(err error) int {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return tp.Code
	}
	var ge *gomail.SendError
	if errors.As(err, &ge) {
		return ge.ErrorCode()
	}
	return 0
}

// temporaryCause classifies an error from connecting, TLS or AUTH (and
// any error that did not come out of Send).
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
	var nerr net.Error
	var errno syscall.Errno
	// Network failures, timeouts, a cancelled context and a dropped
	// connection are retried. What is left are go-mail's refusals (no
	// STARTTLS offered, no AUTH or no usable mechanism, credentials over
	// clear text): a person has to change the relay or the settings.
	return errors.As(err, &nerr) || errors.As(err, &errno) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// withContext adds the context's error when the context ended the
// exchange (the I/O error alone would hide why).
func withContext(ctx context.Context, err error) error {
	cerr := ctx.Err()
	if dl, ok := ctx.Deadline(); ok && cerr == nil && !time.Now().Before(dl) {
		// The connection shares the context's deadline and can report
		// its I/O timeout a moment before the context's timer fires.
		cerr = context.DeadlineExceeded
	}
	if cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w: %w", cerr, err)
	}
	return err
}

// classifyDial wraps a failure before MAIL FROM (connect, greeting, EHLO,
// TLS, AUTH).
func classifyDial(ctx context.Context, err error) error {
	err = withContext(ctx, err)
	return &sendError{temporary: temporaryCause(err), err: err}
}

// classifySend wraps a failure of the transaction itself. go-mail's
// SendError knows the reply code but not its cause: a 4xx reply is
// temporary, and so is a failure without any reply (the connection broke
// mid-transaction); a 5xx reply is final.
func classifySend(ctx context.Context, err error) error {
	err = withContext(ctx, err)
	var ge *gomail.SendError
	if errors.As(err, &ge) {
		return &sendError{temporary: ge.IsTemp() || ge.ErrorCode() == 0 || ctx.Err() != nil, err: err}
	}
	return &sendError{temporary: temporaryCause(err), err: err}
}

// refuse builds a permanent error for a send the client declines to make.
func refuse(format string, args ...any) error {
	return &sendError{temporary: false, err: fmt.Errorf(format, args...)}
}
