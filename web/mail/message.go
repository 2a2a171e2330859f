package mail

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Attachment is an inline or attached file.
type Attachment struct {
	// Filename is offered to the reader's mail client; non-ASCII names
	// are RFC 2231 encoded.
	Filename string
	// ContentType is a media type such as "image/png"; empty means
	// application/octet-stream.
	ContentType string
	// ContentID is empty for a regular attachment. When set, the file is
	// inline and the HTML body references it as cid:<ContentID> (the QR
	// codes of the delivery email).
	ContentID string
	// Data is the raw file content.
	Data []byte
}

// Message is one email.
type Message struct {
	// From and To are single mailboxes ("Name <addr>" or "addr"). The
	// SMTP sender fills an empty From from its configuration.
	From, To string
	// Subject is UTF-8; non-ASCII text is RFC 2047 encoded.
	Subject string
	// Text and HTML are the two renderings of the body; at least one is
	// required.
	Text, HTML string
	// Attachments are inline images (ContentID set) or attached files.
	Attachments []Attachment
	// Headers are extra headers such as X-Order or Reply-To. A
	// Message-ID here replaces the generated one, so a retried send can
	// reuse the id of the first attempt and receivers can deduplicate.
	Headers map[string]string
}

// Compose renders m as RFC 5322 bytes with CRLF line endings and only
// 7-bit ASCII: Date (now), Message-ID (<random@messageIDDomain>, the From
// domain when messageIDDomain is empty), From, To, Subject, the extra
// headers, MIME-Version and the body (see buildBody for its structure).
//
// It refuses, with an error wrapping ErrInvalid, line breaks in any header
// value (header injection), addresses net/mail cannot parse, invalid
// UTF-8, and a message without a body.
func Compose(m Message, now time.Time, messageIDDomain string) ([]byte, error) {
	from, err := parseAddress("From", m.From)
	if err != nil {
		return nil, err
	}
	to, err := parseAddress("To", m.To)
	if err != nil {
		return nil, err
	}
	if err := checkText("Subject", m.Subject); err != nil {
		return nil, err
	}
	if !utf8.ValidString(m.Text) || !utf8.ValidString(m.HTML) {
		return nil, fmt.Errorf("%w: body is not valid UTF-8", ErrInvalid)
	}
	extra, messageID, err := extraHeaders(m.Headers)
	if err != nil {
		return nil, err
	}
	if messageID == "" {
		if messageID, err = newMessageID(messageIDDomain, from.Address); err != nil {
			return nil, err
		}
	}
	body, err := buildBody(m)
	if err != nil {
		return nil, err
	}

	var b bytes.Buffer
	headers := []extraHeader{
		{"Date", now.Format(time.RFC1123Z)},
		{"Message-ID", messageID},
		{"From", from.String()},
		{"To", to.String()},
		{"Subject", encodeText(m.Subject)},
	}
	headers = append(headers, extra...)
	headers = append(headers, extraHeader{"MIME-Version", "1.0"})
	for _, k := range slices.Sorted(maps.Keys(body.header)) {
		headers = append(headers, extraHeader{k, body.header.Get(k)})
	}
	for _, h := range headers {
		if err := writeHeader(&b, h.name, h.value); err != nil {
			return nil, err
		}
	}
	b.WriteString("\r\n")
	b.Write(body.body)
	return b.Bytes(), nil
}

// newMessageID returns a globally unique id: 128 random bits at a domain
// the shop controls.
func newMessageID(domain, fromAddress string) (string, error) {
	if domain == "" {
		domain = fromAddress[strings.LastIndexByte(fromAddress, '@')+1:]
	}
	if !validDomain(domain) {
		return "", fmt.Errorf("%w: Message-ID domain is not a valid host name", ErrInvalid)
	}
	return "<" + rand.Text() + "@" + domain + ">", nil
}
