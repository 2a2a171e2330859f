package httpx

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// ClientIP finds the address rate limits and logs attribute a request to.
type ClientIP struct {
	header  string         // header a trusted proxy puts the client's IP in; "" trusts none
	proxies []netip.Prefix // the trusted proxies
}

// NewClientIP trusts header when a request comes from one of proxies (IPs
// or CIDRs; unreadable entries are ignored).
func NewClientIP(header string, proxies []string) *ClientIP {
	r := &ClientIP{header: header}
	for _, s := range proxies {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			r.proxies = append(r.proxies, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			r.proxies = append(r.proxies, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return r
}

// isTrusted reports whether addr is one of the trusted proxies.
func (r *ClientIP) isTrusted(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range r.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// Of is the request's client address. Without a configured proxy header
// it is the peer's address. With one, and only when the peer is a trusted
// proxy, it is the rightmost address in the header that is not itself a
// trusted proxy: proxies append the address they saw, so everything left
// of that was written by the client and cannot be trusted (a client could
// otherwise pick its own key).
func (r *ClientIP) Of(c *fiber.Ctx) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Context().RemoteIP().String()
	}
	if r.header == "" || !r.isTrusted(peer) {
		return peer.Unmap().String()
	}
	parts := strings.Split(c.Get(r.header), ",")
	for i := len(parts) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(parts[i]))
		if err != nil {
			break // garbage: stop at what the proxies vouch for
		}
		if !r.isTrusted(ip) {
			return ip.Unmap().String()
		}
		peer = ip
	}
	return peer.Unmap().String()
}
