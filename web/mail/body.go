package mail

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
)

// base64Line is the longest encoded line RFC 2045 allows.
const base64Line = 76

// part is one MIME entity: its headers and its already-encoded body.
type part struct {
	header textproto.MIMEHeader
	body   []byte
}

// textPart encodes UTF-8 text as quoted-printable: readable for Spanish
// text, 7-bit safe, and with lines short enough for any relay. Line breaks
// become CRLF.
func textPart(mediaType, text string) (part, error) {
	var buf bytes.Buffer
	w := quotedprintable.NewWriter(&buf)
	if _, err := w.Write([]byte(text)); err != nil {
		return part{}, err
	}
	if err := w.Close(); err != nil {
		return part{}, err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", mime.FormatMediaType(mediaType, map[string]string{"charset": "utf-8"}))
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	return part{header: h, body: buf.Bytes()}, nil
}

// multipartOf nests parts under a multipart/<subtype> entity.
func multipartOf(subtype string, params map[string]string, parts ...part) (part, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		pw, err := w.CreatePart(p.header)
		if err != nil {
			return part{}, err
		}
		if _, err := pw.Write(p.body); err != nil {
			return part{}, err
		}
	}
	if err := w.Close(); err != nil {
		return part{}, err
	}
	if params == nil {
		params = map[string]string{}
	}
	params["boundary"] = w.Boundary()
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", mime.FormatMediaType("multipart/"+subtype, params))
	return part{header: h, body: buf.Bytes()}, nil
}

// attachmentPart encodes a file as base64 in 76-character lines. With a
// ContentID it is an inline part the HTML references as cid:<ContentID>.
func attachmentPart(a Attachment) (part, error) {
	for field, v := range map[string]string{
		"attachment filename": a.Filename, "attachment content type": a.ContentType, "attachment Content-ID": a.ContentID,
	} {
		if err := checkText(field, v); err != nil {
			return part{}, err
		}
	}
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return part{}, fmt.Errorf("%w: attachment content type: %v", ErrInvalid, err)
	}
	disposition := "attachment"
	if a.ContentID != "" {
		disposition = "inline"
	}
	dparams := map[string]string{}
	if a.Filename != "" {
		params["name"] = a.Filename
		dparams["filename"] = a.Filename
	}
	h := textproto.MIMEHeader{}
	typ := mime.FormatMediaType(mediaType, params)
	disp := mime.FormatMediaType(disposition, dparams)
	if typ == "" || disp == "" {
		return part{}, fmt.Errorf("%w: attachment content type or filename cannot be encoded", ErrInvalid)
	}
	h.Set("Content-Type", typ)
	h.Set("Content-Disposition", disp)
	h.Set("Content-Transfer-Encoding", "base64")
	if a.ContentID != "" {
		h.Set("Content-ID", "<"+a.ContentID+">")
	}
	return part{header: h, body: base64Lines(a.Data)}, nil
}

// base64Lines encodes data as base64 broken into CRLF-terminated lines.
func base64Lines(data []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(data)
	out := make([]byte, 0, len(enc)+len(enc)/base64Line*2+2)
	for len(enc) > base64Line {
		out = append(out, enc[:base64Line]...)
		out = append(out, '\r', '\n')
		enc = enc[base64Line:]
	}
	if enc != "" {
		out = append(out, enc...)
		out = append(out, '\r', '\n')
	}
	return out
}

// validContentID checks an inline part's id: it goes between < > in a
// header and after cid: in a URL, so only printable ASCII without
// brackets or spaces is accepted.
func validContentID(id string) bool {
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c > '~' || c == '<' || c == '>' || c == '"' {
			return false
		}
	}
	return id != ""
}

// buildBody picks the simplest correct MIME structure for what is present:
//
//	mixed( alternative( text, related( html, inline... ) ), attachment... )
//
// dropping every level that would hold a single part.
func buildBody(m Message) (part, error) {
	var inline, attached []part
	seenCID := map[string]bool{}
	for _, a := range m.Attachments {
		if a.ContentID != "" {
			if !validContentID(a.ContentID) {
				return part{}, fmt.Errorf("%w: attachment Content-ID must be printable ASCII without spaces or brackets", ErrInvalid)
			}
			if seenCID[a.ContentID] {
				return part{}, fmt.Errorf("%w: attachment Content-ID %q used twice", ErrInvalid, a.ContentID)
			}
			seenCID[a.ContentID] = true
		}
		p, err := attachmentPart(a)
		if err != nil {
			return part{}, err
		}
		if a.ContentID != "" {
			inline = append(inline, p)
		} else {
			attached = append(attached, p)
		}
	}
	if len(inline) > 0 && m.HTML == "" {
		return part{}, fmt.Errorf("%w: inline attachments need an HTML body to reference them", ErrInvalid)
	}

	var alternatives []part
	if m.Text != "" {
		p, err := textPart("text/plain", m.Text)
		if err != nil {
			return part{}, err
		}
		alternatives = append(alternatives, p)
	}
	if m.HTML != "" {
		p, err := textPart("text/html", m.HTML)
		if err != nil {
			return part{}, err
		}
		if len(inline) > 0 {
			// RFC 2387 requires the type of the root part as a parameter.
			p, err = multipartOf("related", map[string]string{"type": "text/html"}, append([]part{p}, inline...)...)
			if err != nil {
				return part{}, err
			}
		}
		alternatives = append(alternatives, p)
	}

	var body part
	switch len(alternatives) {
	case 0:
		return part{}, fmt.Errorf("%w: message has neither a text nor an HTML body", ErrInvalid)
	case 1:
		body = alternatives[0]
	default:
		// Least preferred first: clients show the last part they support.
		var err error
		if body, err = multipartOf("alternative", nil, alternatives...); err != nil {
			return part{}, err
		}
	}
	if len(attached) > 0 {
		return multipartOf("mixed", nil, append([]part{body}, attached...)...)
	}
	return body, nil
}
