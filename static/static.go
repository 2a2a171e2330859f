// Package static embeds the shop's CSS, JavaScript and images and serves
// them under content-hashed names, so the server can let browsers cache them
// forever (a changed file gets a new URL).
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
)

//go:embed style.css admin.css app.js admin-preview.js favicon.svg
var files embed.FS

// asset is one embedded file under its hashed name.
type asset struct {
	body        []byte
	contentType string
}

var (
	// urls maps a plain name ("style.css") to its hashed URL.
	urls = map[string]string{}
	// assets maps a hashed name ("style.0123abcd.css") to the file.
	assets = map[string]asset{}
)

// contentTypes lists the types of the extensions this package embeds; it is
// explicit rather than mime.TypeByExtension so the answer never depends on
// the host's /etc/mime.types.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
}

func init() {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		panic("static: " + err.Error()) // the embed is fixed at build time
	}
	for _, e := range entries {
		name := e.Name()
		body, err := files.ReadFile(name)
		if err != nil {
			panic("static: " + err.Error())
		}
		ext := path.Ext(name)
		ct, ok := contentTypes[ext]
		if !ok {
			panic("static: no content type for " + name)
		}
		hashed := HashedName(name, body)
		urls[name] = "/static/" + hashed
		assets[hashed] = asset{body: body, contentType: ct}
	}
}

// HashedName inserts the first 8 hex digits of body's SHA-256 before the
// extension of name: "style.css" becomes "style.0123abcd.css".
func HashedName(name string, body []byte) string {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
}

// URL returns the cache-busted URL of an embedded file, e.g.
// "/static/style.0123abcd.css". An unknown name yields "/static/<name>",
// which Lookup refuses, so a typo shows up as a 404 rather than a panic in
// the middle of rendering a page.
func URL(name string) string {
	if u, ok := urls[name]; ok {
		return u
	}
	return "/static/" + name
}

// Lookup returns the body and Content-Type of an embedded file by its hashed
// name (the part of the URL after "/static/"). Only hashed names are found,
// because the server marks every answer immutable. body is shared by every
// request: callers write it out and must not modify it.
func Lookup(hashedName string) (body []byte, contentType string, ok bool) {
	a, ok := assets[hashedName]
	if !ok {
		return nil, "", false
	}
	return a.body, a.contentType, true
}
