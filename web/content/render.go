package content

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// markdown turns an operator's Markdown into HTML. Raw HTML in it is
// passed through on purpose (imported WordPress pages are HTML, and
// Markdown allows it): sanitize, not the Markdown renderer, decides what
// survives.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(html.WithUnsafe()),
)

// policy is what a page may contain: bluemonday's policy for user
// content (formatting, lists, tables, images, links with http, https and
// mailto and tel only; no script, style, iframe, form, SVG or event
// handler), with links to other sites marked rel="nofollow noopener" and
// opened apart.
var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	// nofollow only on links to other sites: the shop's own pages should
	// be followed.
	p.RequireNoFollowOnLinks(false)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}()

// Render is the sanitised HTML of Markdown src, safe to put in a page.
func Render(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only when writing to buf fails, which it cannot;
		// show the text escaped rather than nothing.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

// plain is the text of an HTML fragment without any markup.
var plain = bluemonday.StrictPolicy()
