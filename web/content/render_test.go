package content

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestRenderStripsHostileMarkup feeds scripts, event handlers, javascript:
// links and SVG payloads, as Markdown and as raw HTML, and finds none of
// them in the rendered page body, while the harmless text around them
// survives.
func TestRenderStripsHostileMarkup(t *testing.T) {
	tests := []struct{ name, src, keep string }{
		{"script tag", "Hello <script>alert(1)</script> world", "Hello"},
		{"script in block", "<div>\n<script>fetch('/x')</script>\n</div>\n\nText after", "Text after"},
		{"event handler", `<p onclick="steal()" onmouseover="x()">Tap</p>`, "Tap"},
		{"img onerror", `<img src="x" onerror="alert(1)"> pic`, "pic"},
		{"markdown js link", "[click](javascript:alert(1))", "click"},
		{"html js link", `<a href="javascript:alert(1)">click</a>`, "click"},
		{"js link with entities", `<a href="jav&#x09;ascript:alert(1)">click</a>`, "click"},
		{"data link", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>`, "click"},
		{"svg onload", `<svg onload="alert(1)"><circle r="4"/></svg> after`, "after"},
		{"svg script", `<svg><script>alert(1)</script></svg> after`, "after"},
		{"iframe", `<iframe src="https://evil.example"></iframe> after`, "after"},
		{"style", `<style>body{display:none}</style><p style="background:url(javascript:x)">styled</p>`, "styled"},
		{"form", `<form action="https://evil.example"><input name="card"></form> after`, "after"},
		{"object", `<object data="x.swf"></object><embed src="x.swf"> after`, "after"},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=https://evil.example"> after`, "after"},
		{"markdown image js", "![x](javascript:alert(1)) after", "after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := string(Render(tt.src))
			doc, err := goquery.NewDocumentFromReader(strings.NewReader("<body>" + out + "</body>"))
			if err != nil {
				t.Fatal(err)
			}
			if n := doc.Find("script, svg, iframe, style, form, input, object, embed, meta").Length(); n != 0 {
				t.Errorf("dangerous elements survived: %s", out)
			}
			doc.Find("*").Each(func(_ int, s *goquery.Selection) {
				for _, a := range s.Nodes[0].Attr {
					v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
					if strings.HasPrefix(a.Key, "on") || a.Key == "style" ||
						strings.Contains(v, "javascript:") || strings.HasPrefix(v, "data:") {
						t.Errorf("dangerous attribute %s=%q survived: %s", a.Key, a.Val, out)
					}
				}
			})
			if low := strings.ToLower(out); strings.Contains(low, "alert(") || strings.Contains(low, "javascript") {
				t.Errorf("payload text survived: %s", out)
			}
			if !strings.Contains(doc.Text(), tt.keep) {
				t.Errorf("lost the harmless text %q: %s", tt.keep, out)
			}
		})
	}
}

// TestRenderMarkdown checks the Markdown the editor promises: headings,
// lists, links (external ones marked nofollow and opened apart), tables.
func TestRenderMarkdown(t *testing.T) {
	out := string(Render("## Refunds\n\n- one\n- two\n\n[Stripe](https://stripe.com) and [terms](/terms)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"))
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(out))
	if doc.Find("h2").Text() != "Refunds" || doc.Find("li").Length() != 2 || doc.Find("table td").Length() != 2 {
		t.Fatalf("Markdown not rendered: %s", out)
	}
	ext := doc.Find(`a[href="https://stripe.com"]`)
	if rel, _ := ext.Attr("rel"); !strings.Contains(rel, "nofollow") || !strings.Contains(rel, "noopener") {
		t.Errorf("external link rel = %q", rel)
	}
	if l := doc.Find(`a[href="/terms"]`); l.Length() != 1 || l.AttrOr("rel", "") != "" {
		t.Errorf("local link lost or marked nofollow: %s", out)
	}
}

// TestFAQ reads questions from second-level headings.
func TestFAQ(t *testing.T) {
	got := FAQ("Intro text.\n\n## When do I get it?\n\nIn *minutes*.\n\nBy email too.\n\n## Empty?\n\n## Can I keep my number?\n\nYes.\n")
	want := []QA{{"When do I get it?", "In minutes. By email too."}, {"Can I keep my number?", "Yes."}}
	if len(got) != len(want) {
		t.Fatalf("FAQ = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("FAQ[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}
