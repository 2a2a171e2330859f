package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"testing"
	"time"
)

// leaf is one decoded, non-multipart entity of a composed message.
type leaf struct {
	header textproto.MIMEHeader
	body   []byte
}

// parseMessage reads raw back with net/mail and mime/multipart. It returns
// the headers, the structure as a string such as
// "multipart/mixed(text/plain,application/pdf)", and the decoded leaves.
func parseMessage(t *testing.T, raw []byte) (mail.Header, string, []leaf) {
	t.Helper()
	checkWire(t, raw)
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ReadMessage: %v", err)
	}
	var leaves []leaf
	shape := walk(t, textproto.MIMEHeader(msg.Header), msg.Body, &leaves)
	return msg.Header, shape, leaves
}

// walk descends one entity. It reads parts raw (NextRawPart) so that the
// transfer encodings Compose chose are checked, not silently undone.
func walk(t *testing.T, h textproto.MIMEHeader, body io.Reader, leaves *[]leaf) string {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", h.Get("Content-Type"), err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		var kids []string
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", mediaType, err)
			}
			kids = append(kids, walk(t, p.Header, p, leaves))
		}
		return mediaType + "(" + strings.Join(kids, ",") + ")"
	}
	var dec io.Reader
	switch cte := h.Get("Content-Transfer-Encoding"); cte {
	case "quoted-printable":
		dec = quotedprintable.NewReader(body)
	case "base64":
		dec = base64.NewDecoder(base64.StdEncoding, body)
	default:
		t.Fatalf("%s has transfer encoding %q", mediaType, cte)
	}
	b, err := io.ReadAll(dec)
	if err != nil {
		t.Fatalf("decoding %s: %v", mediaType, err)
	}
	*leaves = append(*leaves, leaf{header: h, body: b})
	return mediaType
}

// checkWire asserts the transport rules: 7-bit, CRLF only, no line over
// 998 bytes, base64 and QP lines at most 76.
func checkWire(t *testing.T, raw []byte) {
	t.Helper()
	for i, c := range raw {
		if c >= 0x80 || c == 0 {
			t.Fatalf("byte %d is %#x: message is not 7-bit", i, c)
		}
		if c == '\n' && (i == 0 || raw[i-1] != '\r') {
			t.Fatalf("bare LF at byte %d", i)
		}
		if c == '\r' && (i+1 == len(raw) || raw[i+1] != '\n') {
			t.Fatalf("bare CR at byte %d", i)
		}
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Fatalf("line of %d bytes", len(line))
		}
	}
}

// find returns the leaves of a media type.
func find(leaves []leaf, mediaType string) []leaf {
	var out []leaf
	for _, l := range leaves {
		if mt, _, _ := mime.ParseMediaType(l.header.Get("Content-Type")); mt == mediaType {
			out = append(out, l)
		}
	}
	return out
}

var (
	composeNow = time.Date(2025, 7, 1, 18, 5, 9, 0, time.FixedZone("CEST", 2*3600))
	qrPNG      = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 0xfe, 0xff, '\r', '\n', '.'}, 300)...)
	pdf        = []byte("%PDF-1.4 factura")
)

func spanishMessage() Message {
	return Message{
		From:    "Tienda eSIM <tienda@esimshop.example>",
		To:      "José Núñez <jose@example.org>",
		Subject: "Tu eSIM para España está lista — ¡buen viaje, señor Núñez! Pedido nº 1001 con instalación",
		Text:    "Hola José,\n\nTu eSIM está lista. Escanea el código QR.\n. Una línea que empieza con punto.\nLínea con espacio final \n" + strings.Repeat("ñ", 120) + "\n",
		HTML:    `<p>Hola José</p><p><img src="cid:qr-1" alt="código QR"></p>`,
		Attachments: []Attachment{
			{Filename: "esim-1.png", ContentType: "image/png", ContentID: "qr-1", Data: qrPNG},
		},
		Headers: map[string]string{"X-Order": "ES-1001", "X-Nota": "añadido", "Reply-To": "Atención al Cliente <ayuda@esimshop.example>"},
	}
}

func TestComposeHeaders(t *testing.T) {
	m := spanishMessage()
	raw, err := Compose(m, composeNow, "mail.esimshop.example")
	if err != nil {
		t.Fatal(err)
	}
	h, _, _ := parseMessage(t, raw)
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(h.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, m.Subject)
	}
	if head, _, _ := strings.Cut(string(raw), "\r\n\r\n"); !strings.Contains(head, "Subject:\r\n =?utf-8?q?") && !strings.Contains(head, "Subject: =?utf-8?q?") {
		t.Errorf("Subject not RFC 2047 encoded")
	}
	for _, tt := range []struct{ header, name, addr string }{
		{"From", "Tienda eSIM", "tienda@esimshop.example"},
		{"To", "José Núñez", "jose@example.org"},
		{"Reply-To", "Atención al Cliente", "ayuda@esimshop.example"},
	} {
		list, err := h.AddressList(tt.header)
		if err != nil || len(list) != 1 || list[0].Name != tt.name || list[0].Address != tt.addr {
			t.Errorf("%s = %v (%v), want %s <%s>", tt.header, list, err, tt.name, tt.addr)
		}
	}
	if d, err := h.Date(); err != nil || !d.Equal(composeNow) {
		t.Errorf("Date = %v (%v), want %v", d, err, composeNow)
	}
	if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@mail.esimshop.example>") {
		t.Errorf("Message-ID = %q", id)
	}
	if v := h.Get("MIME-Version"); v != "1.0" {
		t.Errorf("MIME-Version = %q", v)
	}
	if v := h.Get("X-Order"); v != "ES-1001" {
		t.Errorf("X-Order = %q", v)
	}
	if v, _ := dec.DecodeHeader(h.Get("X-Nota")); v != "añadido" {
		t.Errorf("X-Nota = %q", v)
	}
}

func TestComposeMessageID(t *testing.T) {
	m := spanishMessage()
	a, _ := Compose(m, composeNow, "")
	b, _ := Compose(m, composeNow, "")
	ha, _, _ := parseMessage(t, a)
	hb, _, _ := parseMessage(t, b)
	if ida, idb := ha.Get("Message-ID"), hb.Get("Message-ID"); ida == idb || !strings.HasSuffix(ida, "@esimshop.example>") {
		t.Errorf("generated ids %q and %q: want distinct, at the From domain", ida, idb)
	}
	m.Headers = map[string]string{"message-id": "<order-1001.delivery@esimshop.example>"}
	c, err := Compose(m, composeNow, "ignored.example")
	if err != nil {
		t.Fatal(err)
	}
	hc, _, _ := parseMessage(t, c)
	if got := hc.Get("Message-ID"); got != "<order-1001.delivery@esimshop.example>" || strings.Count(string(c), "Message-ID:") != 1 {
		t.Errorf("explicit Message-ID not used once: %q", got)
	}
}

func TestComposeStructure(t *testing.T) {
	inline := Attachment{Filename: "qr.png", ContentType: "image/png", ContentID: "qr-1", Data: qrPNG}
	file := Attachment{Filename: "factura nº 1.pdf", ContentType: "application/pdf", Data: pdf}
	tests := []struct {
		name string
		m    Message
		want string
	}{
		{"text only", Message{Text: "hola"}, "text/plain"},
		{"html only", Message{HTML: "<p>hola</p>"}, "text/html"},
		{"text and html", Message{Text: "hola", HTML: "<p>hola</p>"}, "multipart/alternative(text/plain,text/html)"},
		{"html with inline image", Message{HTML: `<img src="cid:qr-1">`, Attachments: []Attachment{inline}}, "multipart/related(text/html,image/png)"},
		// go-mail's structure: the alternative is the root of the
		// related part, so both renderings can show the inline image.
		{"delivery email", Message{Text: "hola", HTML: `<img src="cid:qr-1">`, Attachments: []Attachment{inline}},
			"multipart/related(multipart/alternative(text/plain,text/html),image/png)"},
		{"text with attachment", Message{Text: "hola", Attachments: []Attachment{file}}, "multipart/mixed(text/plain,application/pdf)"},
		{"everything", Message{Text: "hola", HTML: `<img src="cid:qr-1">`, Attachments: []Attachment{file, inline}},
			"multipart/mixed(multipart/related(multipart/alternative(text/plain,text/html),image/png),application/pdf)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.m.From, tt.m.To = "a@example.com", "b@example.com"
			raw, err := Compose(tt.m, composeNow, "")
			if err != nil {
				t.Fatal(err)
			}
			_, shape, _ := parseMessage(t, raw)
			if shape != tt.want {
				t.Errorf("structure %s, want %s", shape, tt.want)
			}
		})
	}
}

func TestComposeBodies(t *testing.T) {
	m := spanishMessage()
	m.Attachments = append(m.Attachments, Attachment{Filename: "factura nº 1.pdf", ContentType: "application/pdf", Data: pdf})
	raw, err := Compose(m, composeNow, "")
	if err != nil {
		t.Fatal(err)
	}
	_, _, leaves := parseMessage(t, raw)

	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	for _, tt := range []struct{ mediaType, want string }{
		{"text/plain", crlf(m.Text)},
		{"text/html", m.HTML},
	} {
		ls := find(leaves, tt.mediaType)
		if len(ls) != 1 {
			t.Fatalf("%d %s parts", len(ls), tt.mediaType)
		}
		if got := string(ls[0].body); got != tt.want {
			t.Errorf("%s decodes to %q, want %q", tt.mediaType, got, tt.want)
		}
		if _, params, _ := mime.ParseMediaType(ls[0].header.Get("Content-Type")); params["charset"] != "utf-8" {
			t.Errorf("%s charset %q", tt.mediaType, params["charset"])
		}
	}

	img := find(leaves, "image/png")
	if len(img) != 1 {
		t.Fatalf("%d image parts", len(img))
	}
	if cid := img[0].header.Get("Content-ID"); cid != "<qr-1>" {
		t.Errorf("Content-ID %q, want <qr-1>", cid)
	}
	if d, _, _ := mime.ParseMediaType(img[0].header.Get("Content-Disposition")); d != "inline" {
		t.Errorf("image disposition %q, want inline", d)
	}
	if !bytes.Equal(img[0].body, qrPNG) {
		t.Error("inline image does not decode to the original bytes")
	}

	att := find(leaves, "application/pdf")
	if len(att) != 1 || !bytes.Equal(att[0].body, pdf) {
		t.Fatalf("pdf attachment missing or altered")
	}
	// go-mail writes a non-ASCII filename as an RFC 2047 word, which
	// the common mail clients decode.
	d, params, err := mime.ParseMediaType(att[0].header.Get("Content-Disposition"))
	var dec mime.WordDecoder
	if name, derr := dec.DecodeHeader(params["filename"]); err != nil || derr != nil || d != "attachment" || name != "factura nº 1.pdf" {
		t.Errorf("pdf disposition %q %v (%v)", d, params, err)
	}

	// base64 bodies come in lines of at most 76 characters.
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 76 && !strings.Contains(line, ":") && !strings.HasPrefix(line, "--") && !strings.HasPrefix(line, " ") {
			t.Errorf("body line of %d characters: %q", len(line), line)
		}
	}
}

func TestComposeRefuses(t *testing.T) {
	base := func() Message {
		return Message{From: "a@example.com", To: "b@example.com", Subject: "hola", Text: "hola"}
	}
	tests := []struct {
		name   string
		modify func(*Message)
	}{
		{"CRLF in subject", func(m *Message) { m.Subject = "Hola\r\nBcc: victim@example.org" }},
		{"LF in subject", func(m *Message) { m.Subject = "Hola\nBcc: victim@example.org" }},
		{"CR in To", func(m *Message) { m.To = "b@example.com\rBcc: victim@example.org" }},
		{"LF in From name", func(m *Message) { m.From = "Shop\n <a@example.com>" }},
		{"CRLF in extra header value", func(m *Message) { m.Headers = map[string]string{"X-Order": "1\r\nBcc: x@example.org"} }},
		{"CRLF in extra header name", func(m *Message) { m.Headers = map[string]string{"X-Order\r\nBcc": "x@example.org"} }},
		{"colon in header name", func(m *Message) { m.Headers = map[string]string{"X-Order: 1\r\nBcc": "x"} }},
		{"reserved header Bcc", func(m *Message) { m.Headers = map[string]string{"Bcc": "x@example.org"} }},
		{"reserved header Content-Type", func(m *Message) { m.Headers = map[string]string{"content-type": "text/plain"} }},
		{"duplicate header", func(m *Message) { m.Headers = map[string]string{"X-Order": "1", "x-order": "2"} }},
		{"bad Message-ID", func(m *Message) { m.Headers = map[string]string{"Message-ID": "no-brackets@example.com"} }},
		{"CRLF in filename", func(m *Message) {
			m.Attachments = []Attachment{{Filename: "a.pdf\r\nX-Evil: 1", Data: pdf}}
		}},
		{"CRLF in content type", func(m *Message) {
			m.Attachments = []Attachment{{Filename: "a.pdf", ContentType: "application/pdf\r\nX-Evil: 1", Data: pdf}}
		}},
		{"bad content type", func(m *Message) { m.Attachments = []Attachment{{ContentType: "not a type", Data: pdf}} }},
		{"CRLF in content id", func(m *Message) {
			m.HTML = "x"
			m.Attachments = []Attachment{{ContentID: "qr\r\nX-Evil: 1", Data: qrPNG}}
		}},
		{"bracket in content id", func(m *Message) { m.HTML = "x"; m.Attachments = []Attachment{{ContentID: "<qr>", Data: qrPNG}} }},
		{"duplicate content id", func(m *Message) {
			m.HTML = "x"
			m.Attachments = []Attachment{{ContentID: "qr", Data: qrPNG}, {ContentID: "qr", Data: qrPNG}}
		}},
		{"inline without html", func(m *Message) { m.Attachments = []Attachment{{ContentID: "qr", Data: qrPNG}} }},
		{"no body", func(m *Message) { m.Text = "" }},
		{"invalid utf-8 subject", func(m *Message) { m.Subject = "Espa\xf1a" }},
		{"invalid utf-8 body", func(m *Message) { m.Text = "Espa\xf1a" }},
		{"empty From", func(m *Message) { m.From = "" }},
		{"empty To", func(m *Message) { m.To = "" }},
		{"To without @", func(m *Message) { m.To = "jose.example.org" }},
		{"To with two addresses", func(m *Message) { m.To = "b@example.com, c@example.com" }},
		{"To unterminated", func(m *Message) { m.To = "José <jose@example.org" }},
		{"From with spaces", func(m *Message) { m.From = "a b@example.com" }},
		{"non-ASCII address", func(m *Message) { m.To = "josé@example.org" }},
		{"bad Message-ID domain", func(m *Message) { m.From = "a@[192.0.2.1]" }},
		{"bad Reply-To", func(m *Message) { m.Headers = map[string]string{"Reply-To": "nobody"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := base()
			tt.modify(&m)
			raw, err := Compose(m, composeNow, "")
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Compose = %v, %q; want ErrInvalid", err, raw)
			}
			if raw != nil {
				t.Error("bytes returned with an error")
			}
			if Temporary(err) {
				t.Error("an invalid message is classified temporary")
			}
		})
	}
}

func TestComposeFoldsLongHeaders(t *testing.T) {
	m := Message{From: "a@example.com", To: "b@example.com", Text: "x",
		Subject: strings.Repeat("word ", 40) + "end"}
	raw, err := Compose(m, composeNow, "")
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
	for _, line := range strings.Split(head, "\r\n") {
		if len(line) > 78 {
			t.Errorf("header line of %d bytes: %q", len(line), line)
		}
		if strings.TrimSpace(line) == "" {
			t.Errorf("whitespace-only header line")
		}
	}
	h, _, _ := parseMessage(t, raw)
	if got := h.Get("Subject"); got != m.Subject {
		t.Errorf("Subject unfolds to %q", got)
	}
	m.Subject = strings.Repeat("x", 1000)
	if _, err := Compose(m, composeNow, ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("unfoldable 1000-byte subject: err = %v", err)
	}
}
