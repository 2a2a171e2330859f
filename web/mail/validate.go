package mail

import (
	"fmt"
	"mime"
	"net/mail"
	"net/textproto"
	"strings"
	"unicode/utf8"
)

// The shop refuses what it cannot send faithfully instead of letting the
// library escape it: a line break in a header is an injection attempt or a
// bug, never something to encode and deliver. These checks are the shop's
// policy; building the MIME message is go-mail's job (compose.go).

// reservedHeaders are set from Message's own fields. Letting
// Message.Headers set them would produce duplicate or contradictory
// headers (and a Bcc header would disclose hidden recipients).
var reservedHeaders = map[string]bool{
	"Date": true, "From": true, "To": true, "Cc": true, "Bcc": true,
	"Subject": true, "Sender": true, "Mime-Version": true,
	"Content-Type": true, "Content-Transfer-Encoding": true,
	"Content-Disposition": true, "Content-Id": true,
}

// checkText refuses header text with CR, LF or NUL (header injection) or
// invalid UTF-8 (it cannot be encoded faithfully).
func checkText(field, v string) error {
	if strings.ContainsAny(v, "\r\n\x00") {
		return fmt.Errorf("%w: %s contains a line break", ErrInvalid, field)
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
	for i := 0; i < len(a.Address); i++ {
		if a.Address[i] >= utf8.RuneSelf {
			return nil, fmt.Errorf("%w: %s address has non-ASCII characters (not supported)", ErrInvalid, field)
		}
	}
	return a, nil
}

// validHeaderName reports whether name is an RFC 5322 field name:
// printable ASCII other than the colon.
func validHeaderName(name string) bool {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return name != ""
}

// printableToken reports whether s is non-empty printable ASCII without
// spaces, angle brackets or quotes: safe between < > in a header (a
// Message-ID, a Content-ID) and after cid: in a URL.
func printableToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c > '~' || c == '<' || c == '>' || c == '"' {
			return false
		}
	}
	return s != ""
}

// messageIDValue returns the inside of an explicit Message-ID of the form
// <left@right>, or false.
func messageIDValue(id string) (string, bool) {
	inner, ok := strings.CutPrefix(id, "<")
	if inner, ok = strings.CutSuffix(inner, ">"); !ok || !printableToken(inner) {
		return "", false
	}
	left, right, ok := strings.Cut(inner, "@")
	return inner, ok && left != "" && right != "" && !strings.Contains(right, "@")
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

// checkedHeaders is Message.Headers after validation.
type checkedHeaders struct {
	// generic are the remaining headers by canonical name.
	generic map[string]string
	// messageID is the inside of an explicit Message-ID, or "".
	messageID string
	// replyTo is the parsed Reply-To, or nil.
	replyTo *mail.Address
}

// checkHeaders validates Message.Headers: valid names, each given once,
// none that Message's own fields set, no line breaks, a well-formed
// Message-ID and Reply-To.
func checkHeaders(h map[string]string) (checkedHeaders, error) {
	out := checkedHeaders{generic: make(map[string]string, len(h))}
	seen := make(map[string]bool, len(h))
	for k, v := range h {
		if !validHeaderName(k) {
			return out, fmt.Errorf("%w: header name %q is not valid", ErrInvalid, k)
		}
		name := textproto.CanonicalMIMEHeaderKey(k)
		if seen[name] {
			return out, fmt.Errorf("%w: header %s given twice", ErrInvalid, name)
		}
		seen[name] = true
		if reservedHeaders[name] {
			return out, fmt.Errorf("%w: header %s is set by Compose and cannot be overridden", ErrInvalid, name)
		}
		if err := checkText(name, v); err != nil {
			return out, err
		}
		switch name {
		case "Message-Id":
			id, ok := messageIDValue(v)
			if !ok {
				return out, fmt.Errorf("%w: Message-ID must look like <id@domain>", ErrInvalid)
			}
			out.messageID = id
		case "Reply-To":
			a, err := parseAddress(name, v)
			if err != nil {
				return out, err
			}
			out.replyTo = a
		default:
			out.generic[name] = v
		}
	}
	return out, nil
}

// checkAttachments refuses content types that do not parse, names and ids
// with line breaks, a Content-ID used twice, and inline images without an
// HTML body to show them.
func checkAttachments(m Message) error {
	seenCID := map[string]bool{}
	for _, a := range m.Attachments {
		if err := checkText("attachment filename", a.Filename); err != nil {
			return err
		}
		if a.ContentType != "" {
			if err := checkText("attachment content type", a.ContentType); err != nil {
				return err
			}
			if _, _, err := mime.ParseMediaType(a.ContentType); err != nil {
				return fmt.Errorf("%w: attachment content type: %v", ErrInvalid, err)
			}
		}
		if a.ContentID == "" {
			continue
		}
		if !printableToken(a.ContentID) {
			return fmt.Errorf("%w: attachment Content-ID must be printable ASCII without spaces or brackets", ErrInvalid)
		}
		if seenCID[a.ContentID] {
			return fmt.Errorf("%w: attachment Content-ID %q used twice", ErrInvalid, a.ContentID)
		}
		seenCID[a.ContentID] = true
		if m.HTML == "" {
			return fmt.Errorf("%w: inline attachments need an HTML body to reference them", ErrInvalid)
		}
	}
	return nil
}
