package main

import (
	"bufio"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// readModulePath returns the module path declared in root/go.mod.
func readModulePath(root string) (string, error) {
	f, err := os.Open(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "//")
		fields := strings.Fields(line)
		if len(fields) == 2 && fields[0] == "module" {
			if p, err := strconv.Unquote(fields[1]); err == nil {
				return p, nil
			}
			return fields[1], nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", err
	}
	return "", fmt.Errorf("%s: no module line", filepath.Join(root, "go.mod"))
}

// loadPackages walks the module rooted at root and returns its module path
// and every package's imports, keyed by import path. It skips .git,
// testdata, vendor, hidden and _-prefixed directories, nested modules, and
// files marked //go:build ignore.
func loadPackages(root string) (string, map[string]pkgImports, error) {
	modPath, err := readModulePath(root)
	if err != nil {
		return "", nil, err
	}
	pkgs := make(map[string]pkgImports)
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return nil
		}
		af, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		for _, cg := range af.Comments {
			if cg.Pos() >= af.Package {
				break
			}
			for _, c := range cg.List {
				if strings.TrimSpace(c.Text) == "//go:build ignore" {
					return nil // not part of any build
				}
			}
		}
		f := srcFile{path: rel, test: strings.HasSuffix(name, "_test.go")}
		for _, is := range af.Imports {
			imp, err := strconv.Unquote(is.Path.Value)
			if err != nil {
				return fmt.Errorf("%s: bad import %s", rel, is.Path.Value)
			}
			f.imports = append(f.imports, imp)
		}
		dir := path.Dir(rel)
		if dir == "." {
			dir = ""
		}
		ip := modPath
		if dir != "" {
			ip += "/" + dir
		}
		pkg := pkgs[ip]
		pkg.dir = dir
		pkg.files = append(pkg.files, f)
		pkgs[ip] = pkg
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return modPath, pkgs, nil
}

func TestImportRulesLoader(t *testing.T) {
	root := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "// comment\nmodule example.com/shop // trailing\n\ngo 1.26\n")
	write("main.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/shop/web\"\n)\n\nfunc main() { fmt.Println(web.X) }\n")
	write("store/db.go", "package store\n\nimport _ \"modernc.org/sqlite\"\n")
	write("store/db_test.go", "package store_test\n\nimport (\n\t\"testing\"\n\tsb \"example.com/shop/bc/sandbox\"\n)\n")
	write("store/gen.go", "//go:build ignore\n\npackage main\n\nimport \"example.com/shop/web\"\n")
	write("store/testdata/x.go", "package x\n\nimport \"example.com/shop/web\"\n")
	write("vendor/v/v.go", "package v\n\nimport \"example.com/shop/web\"\n")
	write(".hidden/h.go", "package h\n\nimport \"example.com/shop/web\"\n")
	write("_old/o.go", "package o\n\nimport \"example.com/shop/web\"\n")
	write("tools/go.mod", "module example.com/tools\n")
	write("tools/t.go", "package tools\n\nimport \"example.com/shop/web\"\n")
	// Only the import block is parsed, so a file broken further down (an
	// edit in progress) still loads.
	write("web/web.go", "package web\n\nimport \"net/http\"\n\nvar X = http.MethodGet +\n")

	modPath, pkgs, err := loadPackages(root)
	if err != nil {
		t.Fatal(err)
	}
	if modPath != "example.com/shop" {
		t.Errorf("module path = %q", modPath)
	}
	var got []string
	for ip, p := range pkgs {
		for _, f := range p.files {
			got = append(got, fmt.Sprintf("%s dir=%q %s test=%v %v", ip, p.dir, f.path, f.test, f.imports))
		}
	}
	sort.Strings(got)
	want := []string{
		`example.com/shop dir="" main.go test=false [fmt example.com/shop/web]`,
		`example.com/shop/store dir="store" store/db.go test=false [modernc.org/sqlite]`,
		`example.com/shop/store dir="store" store/db_test.go test=true [testing example.com/shop/bc/sandbox]`,
		`example.com/shop/web dir="web" web/web.go test=false [net/http]`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("loaded:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The loaded tree follows the rules: the test file may import the
	// sandbox, the skipped files would have broken rule 8.
	if v := checkImports(modPath, pkgs); len(v) != 0 {
		t.Errorf("violations in the loader fixture:\n%s", strings.Join(v, "\n"))
	}
}
