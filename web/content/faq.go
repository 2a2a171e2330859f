package content

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// QA is one question of a FAQ page and its answer as plain text.
type QA struct{ Question, Answer string }

// FAQ reads the questions of a FAQ page written as Markdown: each
// second-level heading ("## How do I install it?") is a question, and
// everything up to the next such heading is its answer. A page without
// such headings has no questions (and gets no FAQPage data).
func FAQ(src string) []QA {
	source := []byte(src)
	doc := markdown.Parser().Parse(text.NewReader(source))
	var out []QA
	var answer bytes.Buffer
	flush := func() {
		if len(out) > 0 {
			out[len(out)-1].Answer = plainText(answer.String())
		}
		answer.Reset()
	}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
			flush()
			var q bytes.Buffer
			if err := markdown.Renderer().Render(&q, source, h); err == nil {
				out = append(out, QA{Question: plainText(q.String())})
			}
			continue
		}
		if len(out) > 0 {
			_ = markdown.Renderer().Render(&answer, source, n)
		}
	}
	flush()
	kept := out[:0]
	for _, qa := range out {
		if qa.Question != "" && qa.Answer != "" {
			kept = append(kept, qa)
		}
	}
	return kept
}

// plainText is rendered HTML reduced to its words: tags dropped, entities
// decoded, whitespace collapsed.
func plainText(h string) string {
	return strings.Join(strings.Fields(html.UnescapeString(plain.Sanitize(h))), " ")
}
