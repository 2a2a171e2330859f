package web

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// trustedProxies parses the configured proxy addresses (IPs or CIDRs).
func trustedProxies(list []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
		}
	}
	return out
}

// isTrusted reports whether addr is one of the trusted proxies.
func (a *App) isTrusted(addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, p := range a.proxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// clientIP is the address rate limits and logs attribute a request to.
// Without a configured proxy header it is the peer's address. With one,
// and only when the peer is a trusted proxy, it is the rightmost address
// in the header that is not itself a trusted proxy: proxies append the
// address they saw, so everything left of that was written by the client
// and cannot be trusted (a client could otherwise pick its own key).
func (a *App) clientIP(c *fiber.Ctx) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Context().RemoteIP().String()
	}
	if a.cfg.ProxyHeader == "" || !a.isTrusted(peer) {
		return peer.Unmap().String()
	}
	parts := strings.Split(c.Get(a.cfg.ProxyHeader), ",")
	for i := len(parts) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(parts[i]))
		if err != nil {
			break // garbage: stop at what the proxies vouch for
		}
		if !a.isTrusted(ip) {
			return ip.Unmap().String()
		}
		peer = ip
	}
	return peer.Unmap().String()
}
