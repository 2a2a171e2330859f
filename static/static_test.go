package static

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
)

func TestURLIsContentHashed(t *testing.T) {
	re := regexp.MustCompile(`^/static/([a-z]+)\.([0-9a-f]{8})\.(css|js|svg)$`)
	for _, name := range []string{"style.css", "admin.css", "app.js", "favicon.svg"} {
		u := URL(name)
		m := re.FindStringSubmatch(u)
		if m == nil {
			t.Errorf("URL(%q) = %q, not /static/<name>.<8 hex>.<ext>", name, u)
			continue
		}
		body, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(body)
		if m[2] != hex.EncodeToString(sum[:])[:8] {
			t.Errorf("URL(%q) hash %s is not the content's sha256 prefix", name, m[2])
		}
		if m[1]+"."+m[3] != name {
			t.Errorf("URL(%q) = %q lost the name or extension", name, u)
		}
		if URL(name) != u {
			t.Errorf("URL(%q) not stable", name)
		}
	}
}

func TestHashedName(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"style.css", "", "style.e3b0c442.css"}, // sha256("") = e3b0c442…
		{"app.js", "a", "app.ca978112.js"},      // sha256("a") = ca978112…
		{"a.b.svg", "", "a.b.e3b0c442.svg"},
	}
	for _, tt := range tests {
		if got := HashedName(tt.name, []byte(tt.body)); got != tt.want {
			t.Errorf("HashedName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	if HashedName("x.css", []byte("1")) == HashedName("x.css", []byte("2")) {
		t.Error("different content must give different names")
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name     string
		ok       bool
		wantType string
		contains string
	}{
		{strings.TrimPrefix(URL("style.css"), "/static/"), true, "text/css; charset=utf-8", ":root"},
		{strings.TrimPrefix(URL("admin.css"), "/static/"), true, "text/css; charset=utf-8", ".badge"},
		{strings.TrimPrefix(URL("app.js"), "/static/"), true, "text/javascript; charset=utf-8", "data-filter"},
		{strings.TrimPrefix(URL("favicon.svg"), "/static/"), true, "image/svg+xml", "<svg"},
		{"style.css", false, "", ""},          // unhashed names are never served immutable
		{"style.00000000.css", false, "", ""}, // stale hash
		{"../static.go", false, "", ""},
		{"static.go", false, "", ""},
		{"", false, "", ""},
	}
	for _, tt := range tests {
		body, ct, ok := Lookup(tt.name)
		if ok != tt.ok || ct != tt.wantType {
			t.Errorf("Lookup(%q) = ok %v type %q, want %v %q", tt.name, ok, ct, tt.ok, tt.wantType)
			continue
		}
		if ok && !strings.Contains(string(body), tt.contains) {
			t.Errorf("Lookup(%q) body lacks %q", tt.name, tt.contains)
		}
		if !ok && body != nil {
			t.Errorf("Lookup(%q) returned a body with ok=false", tt.name)
		}
	}
}

func TestUnknownNameIsNotServed(t *testing.T) {
	u := URL("nope.css")
	if u != "/static/nope.css" {
		t.Errorf("URL(unknown) = %q", u)
	}
	if _, _, ok := Lookup(strings.TrimPrefix(u, "/static/")); ok {
		t.Error("an unknown asset must not be found")
	}
}

// TestAssetsStaySmall guards the "one small CSS, one small JS" budget
// (admin.css is only loaded by the admin pages).
// app.js carries search, copy (with its fallback), print and the order
// status poller, typo-tolerant search and the buy form's live total: 10 KiB
// unminified (about 3.5 KiB brotli on the wire), comments included, is still one small
// request on a phone.
func TestAssetsStaySmall(t *testing.T) {
	limits := map[string]int{"style.css": 24 << 10, "admin.css": 12 << 10, "app.js": 10 << 10, "favicon.svg": 2 << 10}
	for name, max := range limits {
		body, err := files.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(body) > max {
			t.Errorf("%s is %d bytes, budget %d", name, len(body), max)
		}
	}
}
