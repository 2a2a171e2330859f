package main

// Import rules: the package table in the design notes ("Packages") written
// down as a test, so that an import pointing the wrong way fails CI instead of
// slowly turning the leaves into a tangle.
//
// The test reads only the source tree: every .go file is parsed with
// go/parser in ImportsOnly mode, and each package's import path is its
// directory relative to the module root, prefixed with the module path from
// go.mod. No `go list`, no network, no build.

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"
)

// srcFile is one Go source file and what it imports.
type srcFile struct {
	path    string // slash-separated, relative to the module root
	test    bool   // a _test.go file
	imports []string
}

// pkgImports is one directory of Go files (a package, together with its
// external _test package if it has one).
type pkgImports struct {
	dir   string // slash-separated, relative to the module root; "" for the root
	files []srcFile
}

// under reports whether p is prefix itself or a path below it
// ("web" is under "web", "web/shop" is under "web", "webhooks" is not).
func under(p, prefix string) bool {
	return p == prefix || strings.HasPrefix(p, prefix+"/")
}

// isStd reports whether imp is a standard library import path: its first
// element has no dot. Paths of this module never count as standard library,
// whatever the module is called.
func isStd(imp, modPath string) bool {
	if under(imp, modPath) {
		return false
	}
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".")
}

// importRule governs the imports of the packages it scopes.
type importRule struct {
	// scope reports whether the rule governs the package in directory dir
	// (relative to the module root, "" for the root package).
	scope func(dir string) bool
	// withTests makes the rule look at _test.go files too; by default only
	// non-test files are checked.
	withTests bool
	// ok reports whether file f of the governed package may import imp.
	ok func(f srcFile, imp string) bool
	// why is the rule in words, shown with every violation.
	why string
}

// importRules is the design's package table as rules. mod turns a directory
// of the module into its import path.
func importRules(modPath string) []importRule {
	mod := func(dir string) string { return modPath + "/" + dir }
	std := func(imp string) bool { return isStd(imp, modPath) }
	inModule := func(imp string) bool { return under(imp, modPath) }
	isCore := func(dir string) bool {
		return under(dir, "web/shop") || under(dir, "web/catalog") || under(dir, "web/present")
	}
	isFiber := func(imp string) bool {
		return under(imp, "github.com/gofiber") || under(imp, "github.com/valyala/fasthttp")
	}
	// The design allows sub-packages inside each top-level folder, so a
	// leaf's own sub-tree never counts against it: store/x may import store.
	// Each rule below says which tree that is.

	return []importRule{
		// 1. bc itself: the vendor client is a pure leaf.
		{
			scope: func(dir string) bool { return dir == "bc" },
			ok:    func(_ srcFile, imp string) bool { return std(imp) },
			why:   "bc may import only the standard library",
		},
		// 2. bc/sandbox and anything else under bc/: stdlib and bc (and the
		// package's own sub-tree, e.g. bc/sandbox/x for bc/sandbox).
		{
			scope: func(dir string) bool { return dir != "bc" && under(dir, "bc") },
			ok: func(f srcFile, imp string) bool {
				parts := strings.SplitN(path.Dir(f.path), "/", 3) // "bc", "<name>", ...
				return std(imp) || imp == mod("bc") || under(imp, mod("bc/"+parts[1]))
			},
			why: "packages under bc/ may import only the standard library and bc",
		},
		// 3. billing: stdlib, stripe-go, golang.org/x.
		{
			scope: func(dir string) bool { return under(dir, "billing") },
			ok: func(_ srcFile, imp string) bool {
				return std(imp) || under(imp, "github.com/stripe/stripe-go") ||
					under(imp, "golang.org/x") || under(imp, mod("billing"))
			},
			why: "billing may import only the standard library, stripe-go and golang.org/x",
		},
		// 4. store: stdlib, the SQLite driver, golang.org/x; never another
		// package of this module. (Today store imports nothing of this
		// module, so no exception is needed.)
		{
			scope: func(dir string) bool { return under(dir, "store") },
			ok: func(_ srcFile, imp string) bool {
				return std(imp) || under(imp, "modernc.org/sqlite") ||
					under(imp, "golang.org/x") || under(imp, mod("store"))
			},
			why: "store may import only the standard library, the SQLite driver and golang.org/x, never another package of this module",
		},
		// 5. static: stdlib only.
		{
			scope: func(dir string) bool { return under(dir, "static") },
			ok:    func(_ srcFile, imp string) bool { return std(imp) || under(imp, mod("static")) },
			why:   "static may import only the standard library",
		},
		// 6a. views take plain values: no database, no Fiber.
		{
			scope: func(dir string) bool { return under(dir, "views") },
			ok: func(_ srcFile, imp string) bool {
				return !under(imp, "database/sql") && !under(imp, "modernc.org") && !isFiber(imp)
			},
			why: "views take plain values: never database/sql, the SQLite driver, Fiber or fasthttp",
		},
		// 6b. ... and of this module they know only store's types and
		// static (what views imports today; the design table agrees). In
		// particular never web.
		{
			scope: func(dir string) bool { return under(dir, "views") },
			ok: func(_ srcFile, imp string) bool {
				return !inModule(imp) || under(imp, mod("store")) ||
					under(imp, mod("static")) || under(imp, mod("views"))
			},
			why: "views may import from this module only store and static",
		},
		// 7a. The core is the order's life without HTTP: never Fiber.
		// (net/http stays allowed.) The view models it shares with the
		// storefront and the admin (web/present) are HTTP-free too.
		{
			scope: isCore,
			ok:    func(_ srcFile, imp string) bool { return !isFiber(imp) },
			why:   "the core (web/shop, web/catalog, web/present) never imports Fiber or fasthttp",
		},
		// 7c. The core sits below the HTTP side: it never imports the
		// storefront, the admin or the HTTP plumbing.
		{
			scope: isCore,
			ok: func(_ srcFile, imp string) bool {
				return imp != mod("web") && !under(imp, mod("web/admin")) && !under(imp, mod("web/httpx"))
			},
			why: "the core never imports web, web/admin or web/httpx",
		},
		// 7b. The catalog snapshot sits below the core and the admin.
		{
			scope: func(dir string) bool { return under(dir, "web/catalog") },
			ok: func(_ srcFile, imp string) bool {
				return !under(imp, mod("views")) && !under(imp, mod("web/shop")) && !under(imp, mod("web/admin"))
			},
			why: "web/catalog never imports views, web/shop or web/admin",
		},
		// 8. Only the web tree itself, the root package (wiring) and bench
		// import web packages. (bench imports none today; the exception is
		// kept as the brief states it.)
		{
			scope: func(dir string) bool {
				return dir != "" && !under(dir, "web") && !under(dir, "bench")
			},
			ok:  func(_ srcFile, imp string) bool { return !under(imp, mod("web")) },
			why: "only the web tree, the root package and bench may import web packages",
		},
		// 9. The vendor simulator is for tests, -demo (wired in the root
		// package) and bench. Checked on every file: test files anywhere
		// are allowed, that is the point.
		{
			scope: func(dir string) bool {
				return dir != "" && !under(dir, "bench") && !under(dir, "bc/sandbox")
			},
			withTests: true,
			ok: func(f srcFile, imp string) bool {
				return f.test || !under(imp, mod("bc/sandbox"))
			},
			why: "bc/sandbox may be imported only by _test.go files, the root package and bench",
		},
		// 10. Nobody imports the root package: it is package main, so the
		// compiler already refuses. Not checked here.
	}
}

// checkImports applies the import rules to pkgs (keyed by import path) and
// returns one human-readable line per violation, sorted.
func checkImports(modPath string, pkgs map[string]pkgImports) []string {
	rules := importRules(modPath)
	var out []string
	for _, p := range pkgs {
		name := p.dir
		if name == "" {
			name = "the root package"
		}
		for _, r := range rules {
			if !r.scope(p.dir) {
				continue
			}
			for _, f := range p.files {
				if f.test && !r.withTests {
					continue
				}
				for _, imp := range f.imports {
					if !r.ok(f, imp) {
						out = append(out, fmt.Sprintf("%s imports %s (%s): %s", name, imp, f.path, r.why))
					}
				}
			}
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func TestImportRules(t *testing.T) {
	modPath, pkgs, err := loadPackages(".")
	if err != nil {
		t.Fatal(err)
	}
	// Guard against a loader that finds nothing and so passes vacuously.
	for _, dir := range []string{"", "bc", "bc/sandbox", "billing", "store", "static", "views"} {
		ip := modPath
		if dir != "" {
			ip += "/" + dir
		}
		if len(pkgs[ip].files) == 0 {
			t.Errorf("loader found no Go files for %q (import path %s)", dir, ip)
		}
	}
	for _, v := range checkImports(modPath, pkgs) {
		t.Error(v)
	}
}

const testModPath = "github.com/esimshop/esimshop"

// fakeTree builds a package map from files written as
// "dir/file.go: import1 import2 ..."; the package is the file's directory.
func fakeTree(files ...string) map[string]pkgImports {
	pkgs := make(map[string]pkgImports)
	for _, spec := range files {
		name, imps, _ := strings.Cut(spec, ":")
		name = strings.TrimSpace(name)
		dir := path.Dir(name)
		ip := testModPath
		if dir == "." {
			dir = ""
		} else {
			ip += "/" + dir
		}
		pkg := pkgs[ip]
		pkg.dir = dir
		pkg.files = append(pkg.files, srcFile{
			path:    name,
			test:    strings.HasSuffix(name, "_test.go"),
			imports: strings.Fields(imps),
		})
		pkgs[ip] = pkg
	}
	return pkgs
}

func TestImportRulesCatchViolations(t *testing.T) {
	const m = testModPath + "/"
	// A tree that follows every rule, including the allowed edge cases.
	clean := []string{
		"main.go: fmt " + m + "web " + m + "web/mail " + m + "bc/sandbox " + m + "store",
		"main_test.go: testing " + m + "bc/sandbox",
		"bc/client.go: net/http crypto/md5 encoding/json",
		"bc/client_test.go: testing github.com/google/go-cmp/cmp " + m + "bc",
		"bc/sandbox/sandbox.go: net/http " + m + "bc " + m + "bc/sandbox/fault",
		"bc/sandbox/fault/fault.go: errors " + m + "bc",
		"bc/sandbox/fault/fault_test.go: testing " + m + "bc/sandbox",
		"billing/stripe.go: github.com/stripe/stripe-go/v76 github.com/stripe/stripe-go/v76/webhook golang.org/x/text/currency",
		"billing/stripe_test.go: os/exec " + m + "store",
		"store/db.go: database/sql modernc.org/sqlite embed golang.org/x/text/unicode/norm",
		"store/db_test.go: testing github.com/gofiber/fiber/v2 " + m + "bc/sandbox",
		"store/sqlite/sqlite.go: database/sql modernc.org/sqlite/lib " + m + "store",
		"static/static.go: embed io/fs crypto/sha256",
		"views/layout_templ.go: github.com/a-h/templ golang.org/x/text/language " + m + "store " + m + "static",
		"views/render_test.go: github.com/PuerkitoBio/goquery database/sql " + m + "web",
		"web/app.go: github.com/gofiber/fiber/v2 " + m + "web/shop " + m + "web/admin " + m + "views",
		"web/app_test.go: " + m + "bc/sandbox",
		"web/shop/checkout.go: context net/http " + m + "bc " + m + "billing " + m + "store " + m + "views " + m + "web/catalog " + m + "web/mail",
		"web/shop/checkout_test.go: github.com/valyala/fasthttp " + m + "bc/sandbox",
		"web/catalog/catalog.go: sync net/http " + m + "billing " + m + "store",
		"web/admin/routes.go: github.com/gofiber/fiber/v2 " + m + "web/shop " + m + "views",
		"bench/main.go: net/http " + m + "bc " + m + "web " + m + "bc/sandbox",
	}
	if got := checkImports(testModPath, fakeTree(clean...)); len(got) != 0 {
		t.Fatalf("clean tree: want no violations, got:\n%s", strings.Join(got, "\n"))
	}

	cases := []struct {
		name string
		file string // added to the clean tree
		want string // substring of the violation
	}{
		{"1 bc imports third party", "bc/extra.go: github.com/google/uuid",
			"bc imports github.com/google/uuid (bc/extra.go): bc may import only the standard library"},
		{"1 bc imports its sandbox", "bc/extra.go: " + m + "bc/sandbox",
			"bc imports " + m + "bc/sandbox (bc/extra.go)"},
		{"2 sandbox imports store", "bc/sandbox/extra.go: " + m + "store",
			"bc/sandbox imports " + m + "store (bc/sandbox/extra.go): packages under bc/ may import only"},
		{"2 other bc package imports third party", "bc/fake/fake.go: golang.org/x/text/language",
			"bc/fake imports golang.org/x/text/language"},
		{"3 billing imports store", "billing/extra.go: " + m + "store",
			"billing imports " + m + "store (billing/extra.go): billing may import only"},
		{"3 billing imports fiber", "billing/extra.go: github.com/gofiber/fiber/v2",
			"billing imports github.com/gofiber/fiber/v2"},
		{"4 store imports fiber", "store/extra.go: github.com/gofiber/fiber/v2",
			"store imports github.com/gofiber/fiber/v2 (store/extra.go): store may import only"},
		{"4 store imports billing", "store/extra.go: " + m + "billing",
			"store imports " + m + "billing"},
		{"4 store sub-package imports views", "store/sqlite/extra.go: " + m + "views",
			"store/sqlite imports " + m + "views"},
		{"4 store imports another modernc module", "store/extra.go: modernc.org/libc",
			"store imports modernc.org/libc"},
		{"5 static imports templ", "static/extra.go: github.com/a-h/templ",
			"static imports github.com/a-h/templ (static/extra.go): static may import only the standard library"},
		{"6 views imports database/sql", "views/extra.go: database/sql",
			"views imports database/sql (views/extra.go): views take plain values"},
		{"6 views imports the sqlite driver", "views/extra.go: modernc.org/sqlite",
			"views imports modernc.org/sqlite"},
		{"6 views imports fiber", "views/extra.go: github.com/gofiber/fiber/v2/middleware/csrf",
			"views imports github.com/gofiber/fiber/v2/middleware/csrf"},
		{"6 views imports fasthttp", "views/extra.go: github.com/valyala/fasthttp",
			"views imports github.com/valyala/fasthttp"},
		{"6 views imports web", "views/extra.go: " + m + "web",
			"views imports " + m + "web (views/extra.go): views may import from this module only store and static"},
		{"6 views imports web/shop", "views/extra.go: " + m + "web/shop",
			"views imports " + m + "web/shop"},
		{"6 views imports billing", "views/extra.go: " + m + "billing",
			"views imports " + m + "billing"},
		{"7 shop imports fiber", "web/shop/extra.go: github.com/gofiber/fiber/v2",
			"web/shop imports github.com/gofiber/fiber/v2 (web/shop/extra.go): the core"},
		{"7 shop sub-package imports fasthttp", "web/shop/jobs/extra.go: github.com/valyala/fasthttp",
			"web/shop/jobs imports github.com/valyala/fasthttp"},
		{"7 present imports fiber", "web/present/extra.go: github.com/gofiber/fiber/v2",
			"web/present imports github.com/gofiber/fiber/v2"},
		{"7 shop imports the admin", "web/shop/extra.go: " + m + "web/admin",
			"web/shop imports " + m + "web/admin (web/shop/extra.go): the core never imports"},
		{"7 shop imports the storefront", "web/shop/extra.go: " + m + "web",
			"web/shop imports " + m + "web (web/shop/extra.go): the core never imports"},
		{"7 present imports httpx", "web/present/extra.go: " + m + "web/httpx",
			"web/present imports " + m + "web/httpx"},
		{"7 catalog imports fiber", "web/catalog/extra.go: github.com/gofiber/fiber/v2",
			"web/catalog imports github.com/gofiber/fiber/v2"},
		{"7 catalog imports views", "web/catalog/extra.go: " + m + "views",
			"web/catalog imports " + m + "views (web/catalog/extra.go): web/catalog never imports"},
		{"7 catalog imports shop", "web/catalog/extra.go: " + m + "web/shop",
			"web/catalog imports " + m + "web/shop"},
		{"7 catalog imports admin", "web/catalog/extra.go: " + m + "web/admin",
			"web/catalog imports " + m + "web/admin"},
		{"8 billing imports web/mail", "billing/extra.go: " + m + "web/mail",
			"billing imports " + m + "web/mail (billing/extra.go): only the web tree, the root package and bench"},
		{"8 bc/sandbox imports web", "bc/sandbox/extra.go: " + m + "web",
			"bc/sandbox imports " + m + "web (bc/sandbox/extra.go): only the web tree"},
		{"8 a new top-level tool imports web", "tools/gen/main.go: " + m + "web/shop",
			"tools/gen imports " + m + "web/shop"},
		{"9 web imports the sandbox outside tests", "web/demo.go: " + m + "bc/sandbox",
			"web imports " + m + "bc/sandbox (web/demo.go): bc/sandbox may be imported only by"},
		{"9 the core imports a sandbox sub-package", "web/shop/extra.go: " + m + "bc/sandbox/fault",
			"web/shop imports " + m + "bc/sandbox/fault"},
		{"9 bc imports the sandbox", "bc/extra.go: " + m + "bc/sandbox",
			"bc imports " + m + "bc/sandbox (bc/extra.go): bc/sandbox may be imported only by"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := checkImports(testModPath, fakeTree(append(slices.Clone(clean), tc.file)...))
			if len(got) == 0 {
				t.Fatalf("adding %q: want a violation, got none", tc.file)
			}
			for _, v := range got {
				if strings.Contains(v, tc.want) {
					return
				}
			}
			t.Fatalf("adding %q: want a violation containing %q, got:\n%s", tc.file, tc.want, strings.Join(got, "\n"))
		})
	}
}

func TestImportRulesStdlib(t *testing.T) {
	for imp, want := range map[string]bool{
		"fmt":                           true,
		"net/http":                      true,
		"math/rand/v2":                  true,
		"C":                             true,
		"golang.org/x/text":             false,
		"modernc.org/sqlite":            false,
		"github.com/gofiber/fiber/v2":   false,
		testModPath:                     false,
		testModPath + "/store":          false,
		"example/localmod/pkg":          true, // no dot: indistinguishable, counted as stdlib
		"github.com/esimshop/esimshop2": false,
	} {
		if got := isStd(imp, testModPath); got != want {
			t.Errorf("isStd(%q) = %v, want %v", imp, got, want)
		}
	}
	// A module without a dot in its path: its own packages are not stdlib.
	if isStd("esimshop/store", "esimshop") {
		t.Error(`isStd("esimshop/store", "esimshop") = true, want false`)
	}
}
