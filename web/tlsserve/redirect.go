package tlsserve

import (
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// redirect answers every plain-HTTP request that is not an ACME challenge
// with a permanent redirect to the same path over https. Only the
// configured host names are redirected to: a Host header naming anything
// else goes to the first domain, so :80 is no open redirect.
type redirect struct {
	domains   []string
	httpsPort int
}

func (rd redirect) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if !slices.Contains(rd.domains, host) {
		host = rd.domains[0]
	}
	if rd.httpsPort != 443 {
		host = net.JoinHostPort(host, strconv.Itoa(rd.httpsPort))
	}
	target := "https://" + host + r.URL.RequestURI()
	// 308 keeps the method and body of a POST (a webhook sent to the
	// http:// address by mistake) where 301 would turn it into a GET.
	code := http.StatusPermanentRedirect
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		code = http.StatusMovedPermanently
	}
	w.Header().Set("Connection", "close")
	http.Redirect(w, r, target, code)
}
