package metrics

import (
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
)

// serve starts a Fiber app with /metrics on a loopback port.
func serve(t *testing.T, token string) string {
	t.Helper()
	db, err := store.Open(filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	m := New(db, token)
	app := fiber.New()
	app.Use(m.Middleware())
	app.Get("/metrics", m.Handler())
	app.Get("/x/:id", func(c *fiber.Ctx) error { return c.SendString("x") })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Listener(ln)
	t.Cleanup(func() { app.Shutdown() })
	return "http://" + ln.Addr().String()
}

// get sends a GET with extra headers and returns status and body.
func get(t *testing.T, url string, headers map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 64<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

func TestGuardWithoutToken(t *testing.T) {
	base := serve(t, "")
	get(t, base+"/x/secret-token-123", nil)
	tests := []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"loopback peer", nil, http.StatusOK},
		{"forwarded by a proxy", map[string]string{"X-Forwarded-For": "203.0.113.9"}, http.StatusNotFound},
		{"Forwarded header", map[string]string{"Forwarded": "for=203.0.113.9"}, http.StatusNotFound},
		{"X-Real-IP", map[string]string{"X-Real-IP": "203.0.113.9"}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, base+"/metrics", tt.headers)
			if status != tt.want {
				t.Fatalf("status %d, want %d", status, tt.want)
			}
			if status != http.StatusOK {
				return
			}
			if !strings.Contains(body, `esimshop_http_requests_total{method="GET",route="/x/:id",status="200"} 1`) {
				t.Errorf("request not counted by route pattern:\n%s", body)
			}
			if strings.Contains(body, "secret-token-123") {
				t.Error("a raw path reached a label")
			}
		})
	}
}

func TestGuardWithToken(t *testing.T) {
	base := serve(t, "tok")
	for auth, want := range map[string]int{"": 401, "Bearer nope": 401, "Basic tok": 401, "Bearer tok": 200} {
		if status, _ := get(t, base+"/metrics", map[string]string{"Authorization": auth}); status != want {
			t.Errorf("Authorization %q: %d, want %d", auth, status, want)
		}
	}
}

// TestRequestLabelsSurviveBufferReuse sends GET and HEAD requests
// alternately on one keep-alive connection: Fiber reuses the request
// buffer for each, so a label that pointed into it (the method, as
// c.Method() returns it) would change under the registry, and the scrape
// would fail or miscount.
func TestRequestLabelsSurviveBufferReuse(t *testing.T) {
	base := serve(t, "")
	for i := range 40 {
		method := http.MethodGet
		if i%2 == 1 {
			method = http.MethodHead
		}
		req, _ := http.NewRequest(method, base+"/x/1", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	status, body := get(t, base+"/metrics", nil)
	if status != http.StatusOK {
		t.Fatalf("scrape: %d %.300s", status, body)
	}
	for _, want := range []string{
		`esimshop_http_requests_total{method="GET",route="/x/:id",status="200"} 20`,
		`esimshop_http_requests_total{method="HEAD",route="/x/:id",status="200"} 20`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
}
