package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestServiceUnitVerifies prints the unit for a real binary and has
// systemd-analyze verify it: any message (an unknown or misspelled key,
// a bad value) fails, as does a missing executable.
func TestServiceUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Fatal("systemd-analyze is needed to check the unit (Debian package systemd): ", err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		bin  string
		ok   bool
	}{
		{"installed binary", exe, true},
		{"missing binary", "/nonexistent/esimshop", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var unit bytes.Buffer
			if err := run([]string{"service-unit", "-bin", tc.bin}, func(string) string { return "" }, &unit, io.Discard); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"User=esimshop", "StateDirectory=esimshop", "AmbientCapabilities=CAP_NET_BIND_SERVICE",
				"NoNewPrivileges=yes", "ProtectSystem=strict", "Restart=on-failure", "ExecStart=" + tc.bin} {
				if !strings.Contains(unit.String(), want+"\n") {
					t.Errorf("unit lacks %s", want)
				}
			}
			path := filepath.Join(t.TempDir(), "esimshop.service")
			if err := os.WriteFile(path, unit.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(analyze, "verify", path).CombinedOutput()
			if ok := err == nil && len(bytes.TrimSpace(out)) == 0; ok != tc.ok {
				t.Errorf("systemd-analyze verify: %v\n%s", err, out)
			}
		})
	}
}

func TestServiceUnitFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-bin", "esimshop"},
		{"-bin", "/opt/my shop/esimshop"},
		{"-env-file", "relative/env"},
		{"-user", "Root"},
		{"-user", "shop;rm"},
		{"extra"},
	} {
		if err := run(append([]string{"service-unit"}, args...), func(string) string { return "" }, io.Discard, io.Discard); err == nil {
			t.Errorf("service-unit %v: no error", args)
		}
	}
}
