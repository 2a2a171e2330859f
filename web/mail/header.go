package mail

import (
	"bytes"
	"fmt"
	"mime"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxHeaderLine is RFC 5322's hard limit on a line, CRLF excluded.
const maxHeaderLine = 998

// foldWidth is RFC 5322's recommended line width; longer header values are
// folded at whitespace.
const foldWidth = 78

// reservedHeaders are set by Compose itself. Letting Message.Headers set
// them would produce duplicate or contradictory headers (and a Bcc header
// would disclose hidden recipients), so they are refused there.
var reservedHeaders = map[string]bool{
	"Date": true, "From": true, "To": true, "Cc": true, "Bcc": true,
	"Subject": true, "Sender": true, "Mime-Version": true,
	"Content-Type": true, "Content-Transfer-Encoding": true,
	"Content-Disposition": true, "Content-Id": true,
}

// addressHeaders hold a single mailbox, so a display name must be encoded
// on its own rather than the whole value.
var addressHeaders = map[string]bool{"Reply-To": true}

// checkLine refuses CR, LF and NUL: a line break in a header value would
// let the value start a header of its own (header injection).
func checkLine(field, v string) error {
	if strings.ContainsAny(v, "\r\n\x00") {
		return fmt.Errorf("%w: %s contains a line break", ErrInvalid, field)
	}
	return nil
}

// checkText refuses header text that cannot be encoded faithfully.
func checkText(field, v string) error {
	if err := checkLine(field, v); err != nil {
		return err
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalid, field)
	}
	return nil
}

// parseAddress parses one mailbox. The value itself stays out of the error:
// it is usually a customer's address and errors end up in logs.
func parseAddress(field, v string) (*mail.Address, error) {
	if err := checkText(field, v); err != nil {
		return nil, err
	}
	if strings.TrimSpace(v) == "" {
		return nil, fmt.Errorf("%w: %s address is empty", ErrInvalid, field)
	}
	a, err := mail.ParseAddress(v)
	if err != nil {
		return nil, fmt.Errorf("%w: %s address: %v", ErrInvalid, field, err)
	}
	// Non-ASCII addresses need SMTPUTF8 end to end; the shop sends 7-bit
	// mail only, so refuse them here instead of bouncing later.
	if !isASCII(a.Address) {
		return nil, fmt.Errorf("%w: %s address has non-ASCII characters (not supported)", ErrInvalid, field)
	}
	return a, nil
}

// isASCII reports whether s is 7-bit.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// validHeaderName reports whether name is an RFC 5322 field name:
// printable ASCII other than the colon.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

// encodeText encodes an unstructured header value as RFC 2047 words when
// it is not plain ASCII (Spanish subjects), leaving ASCII readable.
func encodeText(v string) string {
	return mime.QEncoding.Encode("utf-8", v)
}

// validMessageID checks an explicit Message-ID of the form <left@right>.
func validMessageID(id string) bool {
	if len(id) < 5 || id[0] != '<' || id[len(id)-1] != '>' {
		return false
	}
	inner := id[1 : len(id)-1]
	left, right, ok := strings.Cut(inner, "@")
	if !ok || left == "" || right == "" {
		return false
	}
	for i := 0; i < len(inner); i++ {
		if c := inner[i]; c <= ' ' || c > '~' || c == '<' || c == '>' {
			return false
		}
	}
	return !strings.Contains(right, "@")
}

// validDomain checks the right-hand side of a generated Message-ID.
func validDomain(d string) bool {
	if d == "" || len(d) > 253 || d[0] == '.' || d[0] == '-' {
		return false
	}
	for i := 0; i < len(d); i++ {
		c := d[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// writeHeader writes "Name: value" CRLF, folding before a space that
// precedes a word so no line passes foldWidth where that is possible.
// Unfolding (removing the CRLF) restores the value exactly. It fails when
// a single unbreakable word would exceed RFC 5322's hard line limit.
func writeHeader(b *bytes.Buffer, name, value string) error {
	line := len(name) + 2
	b.WriteString(name)
	b.WriteString(": ")
	for len(value) > 0 {
		// A chunk runs up to the next space that is followed by a
		// non-space: folding there never leaves a whitespace-only line.
		end := len(value)
		for i := 1; i < len(value)-1; i++ {
			if value[i] == ' ' && value[i+1] != ' ' {
				end = i
				break
			}
		}
		chunk := value[:end]
		value = value[end:]
		if line+len(chunk) > foldWidth && line > len(name)+2 {
			b.WriteString("\r\n")
			line = 0
		}
		if line+len(chunk) > maxHeaderLine {
			return fmt.Errorf("%w: %s header has a word too long for one line", ErrInvalid, name)
		}
		b.WriteString(chunk)
		line += len(chunk)
	}
	b.WriteString("\r\n")
	return nil
}

// extraHeader is one validated, encoded entry of Message.Headers.
type extraHeader struct{ name, value string }

// extraHeaders validates Message.Headers and returns them in a stable
// order with values encoded for the wire, plus an explicit Message-ID if
// one was given (used instead of a generated one).
func extraHeaders(h map[string]string) (out []extraHeader, messageID string, err error) {
	seen := make(map[string]bool, len(h))
	for k, v := range h {
		if !validHeaderName(k) {
			return nil, "", fmt.Errorf("%w: header name %q is not valid", ErrInvalid, k)
		}
		name := textproto.CanonicalMIMEHeaderKey(k)
		if seen[name] {
			return nil, "", fmt.Errorf("%w: header %s given twice", ErrInvalid, name)
		}
		seen[name] = true
		if reservedHeaders[name] {
			return nil, "", fmt.Errorf("%w: header %s is set by Compose and cannot be overridden", ErrInvalid, name)
		}
		if err := checkText(name, v); err != nil {
			return nil, "", err
		}
		switch {
		case name == "Message-Id":
			if !validMessageID(v) {
				return nil, "", fmt.Errorf("%w: Message-ID must look like <id@domain>", ErrInvalid)
			}
			messageID = v
			continue
		case addressHeaders[name]:
			a, err := parseAddress(name, v)
			if err != nil {
				return nil, "", err
			}
			v = a.String()
		default:
			v = encodeText(v)
		}
		out = append(out, extraHeader{name, v})
	}
	// Map order is random; sorting keeps the output deterministic.
	slices.SortFunc(out, func(a, b extraHeader) int { return strings.Compare(a.name, b.name) })
	return out, messageID, nil
}
