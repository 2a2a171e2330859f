package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The shop serves no file as large as a country page: its only static
// files are the CSS, JS and favicon. So that the country page can also be
// compared with exactly its own bytes served as a file, the benchmark
// starts a second, minimal server — this program again, in its hidden
// -serve-file mode — that answers every request with those bytes from
// memory using net/http. It is a reference, not the shop: a separate
// process with a different HTTP stack, on the same cores.

// serveFile answers every request with the file's bytes as text/html. It
// prints its address on stdout and serves until killed.
func serveFile(path string) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	length := strconv.Itoa(len(body))
	srv := &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Content-Length", length)
			_, _ = w.Write(body)
		}),
	}
	return srv.Serve(ln)
}

// reference is a running -serve-file process.
type reference struct {
	cmd  *exec.Cmd
	base string
}

// startReference writes body into dir and serves it from a child process
// running this same program.
func startReference(body []byte, dir string) (*reference, error) {
	path := filepath.Join(dir, "country.html")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "-serve-file", path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("reference server: %w", err)
	}
	return &reference{cmd: cmd, base: "http://" + strings.TrimSpace(line)}, nil
}

// stop ends the reference server.
func (r *reference) stop() {
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
}
