package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/template"
)

// unitTemplate is the systemd unit `esimshop service-unit` prints. The
// shop runs as its own system user with nothing but its state directory
// writable; the one capability it keeps is binding :80 and :443.
var unitTemplate = template.Must(template.New("unit").Parse(`# esimshop systemd unit: written by "esimshop service-unit".
# Install: see README.md, "Going live".
[Unit]
Description=esimshop eSIM shop
After=network-online.target
Wants=network-online.target

[Service]
Type=exec
User={{.User}}
Group={{.User}}
ExecStart={{.Bin}}
# Settings and secrets (TLS_DOMAINS, BC_APP_SECRET, STRIPE_SECRET_KEY, ...):
# one KEY=value a line, readable by root only.
EnvironmentFile={{.EnvFile}}
Environment=DB_PATH=/var/lib/{{.Name}}/shop.db
# /var/lib/{{.Name}}: the database, its backups and tls/ (certificates).
StateDirectory={{.Name}}
StateDirectoryMode=0700
WorkingDirectory=/var/lib/{{.Name}}
UMask=0077

# Graceful stop: SIGTERM drains requests and jobs (20s at most).
KillSignal=SIGTERM
TimeoutStopSec=30s
Restart=on-failure
RestartSec=2s

# Hardening: bind :80/:443 without root, and nothing else.
AmbientCapabilities=CAP_NET_BIND_SERVICE
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`))

// runServiceUnit prints the systemd unit for this binary.
func runServiceUnit(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("esimshop service-unit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bin := fs.String("bin", "/usr/local/bin/esimshop", "absolute path of the installed binary")
	user := fs.String("user", "esimshop", "system user (and group) the shop runs as")
	envFile := fs.String("env-file", "/etc/esimshop/env", "file with the settings and secrets")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for name, p := range map[string]string{"-bin": *bin, "-env-file": *envFile} {
		if !filepath.IsAbs(p) || strings.ContainsAny(p, " \t\n\"'%$") {
			return fmt.Errorf("%s %q must be an absolute path without spaces, quotes, %% or $", name, p)
		}
	}
	if !validUser(*user) {
		return errors.New("-user must be a system user name: lower-case letters, digits, - and _, starting with a letter")
	}
	return unitTemplate.Execute(stdout, map[string]string{"Bin": *bin, "User": *user, "Name": *user, "EnvFile": *envFile})
}

// validUser accepts the portable user names useradd takes.
func validUser(u string) bool {
	if u == "" || len(u) > 32 || u[0] < 'a' || u[0] > 'z' {
		return false
	}
	for _, r := range u {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
