package content

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// wpComment matches HTML comments, which carry WordPress's block markup
// (<!-- wp:paragraph -->) and nothing a reader sees.
var wpComment = regexp.MustCompile(`(?s)<!--.*?-->`)

// shortcode matches a WordPress shortcode tag, opening or closing:
// [contact-form-7 id="1"], [caption ...], [/caption]. What an enclosing
// shortcode wraps is kept; only the tags go.
var shortcode = regexp.MustCompile(`\[/?[a-zA-Z_][\w-]*(?:\s[^\[\]]*)?/?\]`)

// CleanWordPress turns a WordPress post's HTML into what a page may hold:
// block comments and shortcodes stripped, images turned into links to
// their files (the old site's media stay where they are), then sanitised.
// The result is stored as the page's body (Markdown allows HTML).
func CleanWordPress(src string) string {
	src = wpComment.ReplaceAllString(src, "")
	src = shortcode.ReplaceAllString(src, "")
	src = imagesToLinks(src)
	out := policy.Sanitize(src)
	// Collapse the blank lines left where blocks and shortcodes were.
	lines := strings.Split(out, "\n")
	kept := lines[:0]
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\r")
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		kept = append(kept, l)
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

// imagesToLinks replaces every <img> with a link to its src, labelled with
// its alt text.
func imagesToLinks(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		tok := z.Token()
		if (tt == html.StartTagToken || tt == html.SelfClosingTagToken) && tok.Data == "img" {
			var srcURL, alt string
			for _, a := range tok.Attr {
				switch a.Key {
				case "src":
					srcURL = a.Val
				case "alt":
					alt = a.Val
				}
			}
			if srcURL == "" {
				continue
			}
			if strings.TrimSpace(alt) == "" {
				alt = srcURL[strings.LastIndex(srcURL, "/")+1:]
			}
			b.WriteString(`<a href="` + html.EscapeString(srcURL) + `">` + html.EscapeString(alt) + `</a>`)
			continue
		}
		b.WriteString(tok.String())
	}
}

// localLinks makes links to the old site's own pages relative, so they
// land on this shop (through the import's redirects) rather than on a
// site that is gone. Links to its media files (/wp-content/) stay
// absolute: the files stay where they are.
func localLinks(src, base string) string {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil || u.Host == "" {
		return src
	}
	re := regexp.MustCompile(`href=(["'])https?://` + regexp.QuoteMeta(u.Host) + `(/[^"']*)?(["'])`)
	return re.ReplaceAllStringFunc(src, func(m string) string {
		sub := re.FindStringSubmatch(m)
		p := sub[2]
		if strings.HasPrefix(p, "/wp-content/") || sub[1] != sub[3] {
			return m
		}
		if p == "" {
			p = "/"
		}
		return "href=" + sub[1] + p + sub[1]
	})
}
