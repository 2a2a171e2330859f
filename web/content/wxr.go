package content

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// contentNS is the namespace of <content:encoded>, the post's body; its
// sibling <excerpt:encoded> shares the local name.
const contentNS = "http://purl.org/rss/1.0/modules/content/"

// wxr is the part of a WordPress eXtended RSS export the import reads. The
// wp: elements are matched by local name, so WXR 1.0 to 1.2 all parse.
type wxr struct {
	Channel struct {
		Link  string    `xml:"link"`
		Base  string    `xml:"base_site_url"`
		Terms []wxrTerm `xml:"term"`
		Items []wxrItem `xml:"item"`
	} `xml:"channel"`
}

// wxrTerm is a taxonomy term (<wp:term>, or <wp:category> for post
// categories), e.g. a WooCommerce product category.
type wxrTerm struct {
	Taxonomy string `xml:"term_taxonomy"`
	Slug     string `xml:"term_slug"`
	Name     string `xml:"term_name"`
}

// wxrItem is one post, page, product, attachment, menu item...
type wxrItem struct {
	Title      string        `xml:"title"`
	Link       string        `xml:"link"`
	GUID       string        `xml:"guid"`
	Body       string        `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	ID         int64         `xml:"post_id"`
	DateGMT    string        `xml:"post_date_gmt"`
	Date       string        `xml:"post_date"`
	ModGMT     string        `xml:"post_modified_gmt"`
	Name       string        `xml:"post_name"`
	Status     string        `xml:"status"`
	Type       string        `xml:"post_type"`
	Categories []wxrCategory `xml:"category"`
	Meta       []wxrMeta     `xml:"postmeta"`
}

// wxrCategory is a term an item is filed under; Polylang files the
// language here (domain "language").
type wxrCategory struct {
	Domain   string `xml:"domain,attr"`
	Nicename string `xml:"nicename,attr"`
	Name     string `xml:",chardata"`
}

// wxrMeta is one custom field (e.g. WooCommerce's _sku).
type wxrMeta struct {
	Key   string `xml:"meta_key"`
	Value string `xml:"meta_value"`
}

// maxWXR bounds an export file: a large shop's export is tens of MB.
const maxWXR = 256 << 20

// parseWXR reads an export. A file that is not a WXR export (no channel,
// no items and no terms) is an error rather than an empty import.
func parseWXR(r io.Reader) (*wxr, error) {
	var w wxr
	dec := xml.NewDecoder(io.LimitReader(r, maxWXR))
	dec.Strict = true
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("not a readable WordPress export: %w", err)
	}
	if len(w.Channel.Items) == 0 && len(w.Channel.Terms) == 0 && w.Channel.Base == "" {
		return nil, fmt.Errorf("not a WordPress export: no <channel> with items")
	}
	return &w, nil
}

// meta returns the value of the custom field key ("" if absent).
func (it wxrItem) meta(keys ...string) string {
	for _, k := range keys {
		for _, m := range it.Meta {
			if m.Key == k {
				return strings.TrimSpace(m.Value)
			}
		}
	}
	return ""
}

// language is the item's language as Polylang (taxonomy "language") or
// WPML (its language meta) records it; "" when it says none.
func (it wxrItem) language() string {
	for _, c := range it.Categories {
		if c.Domain == "language" {
			return strings.ToLower(strings.TrimSpace(c.Nicename))
		}
	}
	l := strings.ToLower(it.meta("_wpml_language", "wpml_language", "_icl_lang_code"))
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	return l
}

// times are the item's publication and last modification (UTC), zero
// when the export has none (a never-published draft says 0000-00-00).
func (it wxrItem) times() (published, modified time.Time) {
	parse := func(s string) time.Time {
		t, err := time.Parse(time.DateTime, strings.TrimSpace(s))
		if err != nil || t.Year() < 1990 {
			return time.Time{}
		}
		return t.UTC()
	}
	published = parse(it.DateGMT)
	if published.IsZero() {
		published = parse(it.Date)
	}
	modified = parse(it.ModGMT)
	if modified.Before(published) {
		modified = published
	}
	return published, modified
}
