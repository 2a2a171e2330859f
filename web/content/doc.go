// Package content is the shop's pages and guides without HTTP: Markdown
// rendering and HTML sanitising, the FAQ's questions for its structured
// data, the essential pages a fresh shop starts with, the in-memory
// library of what is published (for pages, the footer and the sitemap),
// WordPress's old URLs, and the WordPress (WXR) import.
package content
