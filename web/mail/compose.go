package mail

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"
)

// Attachment is an inline or attached file.
type Attachment struct {
	// Filename is offered to the reader's mail client.
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

// maxLine is RFC 5322's hard limit on a line, CRLF excluded.
const maxLine = 998

// charset is spelled in lower case as most mail clients write it.
const charset = gomail.Charset("utf-8")

// Compose renders m as RFC 5322 bytes with go-mail: Date (now),
// Message-ID (<random@messageIDDomain>, the From domain when
// messageIDDomain is empty), From, To, Subject, the extra headers and a
// quoted-printable / base64 body in the multipart structure go-mail
// chooses (mixed > related > alternative, each level only when needed).
//
// It refuses, with an error wrapping ErrInvalid, line breaks in any header
// value (header injection), addresses net/mail cannot parse, invalid
// UTF-8, a message without a body, and a header word too long for a line.
func Compose(m Message, now time.Time, messageIDDomain string) ([]byte, error) {
	msg, err := build(m, now, messageIDDomain)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if _, err := msg.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	for _, line := range strings.Split(b.String(), "\r\n") {
		if len(line) > maxLine {
			// go-mail folds only at spaces; a longer word would be cut
			// or rejected by relays on the way.
			return nil, fmt.Errorf("%w: a header has a word too long for one line", ErrInvalid)
		}
	}
	return b.Bytes(), nil
}

// build validates m and turns it into a go-mail message.
func build(m Message, now time.Time, messageIDDomain string) (*gomail.Msg, error) {
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
	if m.Text == "" && m.HTML == "" {
		return nil, fmt.Errorf("%w: message has neither a text nor an HTML body", ErrInvalid)
	}
	h, err := checkHeaders(m.Headers)
	if err != nil {
		return nil, err
	}
	if err := checkAttachments(m); err != nil {
		return nil, err
	}
	if h.messageID == "" {
		domain := messageIDDomain
		if domain == "" {
			domain = from.Address[strings.LastIndexByte(from.Address, '@')+1:]
		}
		if !validDomain(domain) {
			return nil, fmt.Errorf("%w: Message-ID domain is not a valid host name", ErrInvalid)
		}
		// 128 random bits at a domain the shop controls; go-mail's own
		// generator would use this machine's host name.
		h.messageID = rand.Text() + "@" + domain
	}

	msg := gomail.NewMsg(gomail.WithCharset(charset), gomail.WithEncoding(gomail.EncodingQP), gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(from)
	msg.ToMailAddress(to)
	if h.replyTo != nil {
		msg.ReplyToMailAddress(h.replyTo)
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(now)
	msg.SetMessageIDWithValue(h.messageID)
	for name, v := range h.generic {
		msg.SetGenHeader(gomail.Header(name), v)
	}
	switch {
	case m.Text != "" && m.HTML != "":
		// Least preferred first: clients show the last part they support.
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	case m.Text != "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	default:
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		opts := []gomail.FileOption{gomail.WithFileContentType(gomail.ContentType(a.ContentType))}
		if a.ContentType == "" {
			opts[0] = gomail.WithFileContentType(gomail.TypeAppOctetStream)
		}
		name := a.Filename
		if name == "" {
			name = "attachment"
		}
		if a.ContentID != "" {
			opts = append(opts, gomail.WithFileContentID("<"+a.ContentID+">"))
			err = msg.EmbedReader(name, bytes.NewReader(a.Data), opts...)
		} else {
			err = msg.AttachReader(name, bytes.NewReader(a.Data), opts...)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: attachment %q: %w", ErrInvalid, name, err)
		}
	}
	return msg, nil
}
