package content

import (
	"net/url"
	"strings"
)

// WordPressPath is where one of WordPress's or WooCommerce's usual URLs
// goes on this shop when no stored redirect names it: the shop, cart and
// checkout to the home page, the account to "My eSIMs" (where a buyer
// gets a sign-in link to their orders), the feed to the guides, an unknown
// product or category to its destination when its slug names a country,
// else to a search for its words. ok is false for any other path.
func WordPressPath(path string, places *Places) (string, bool) {
	p := strings.TrimSuffix(strings.ToLower(path), "/")
	switch p {
	case "/shop", "/cart", "/checkout", "/tienda", "/carrito", "/finalizar-compra":
		return "/", true
	case "/my-account", "/mi-cuenta":
		return "/my-esims", true
	case "/feed", "/comments/feed", "/blog":
		return "/guides", true
	}
	if strings.HasPrefix(p, "/my-account/") || strings.HasPrefix(p, "/mi-cuenta/") {
		return "/my-esims", true
	}
	if strings.HasPrefix(p, "/checkout/") || strings.HasPrefix(p, "/cart/") {
		return "/", true
	}
	if strings.HasPrefix(p, "/feed/") || strings.HasPrefix(p, "/category/") || strings.HasPrefix(p, "/tag/") {
		return "/guides", true
	}
	for _, prefix := range []string{"/product/", "/product-category/", "/producto/", "/categoria-producto/"} {
		slug, ok := strings.CutPrefix(p, prefix)
		if !ok || slug == "" || strings.Contains(slug, "/") {
			continue
		}
		if to, ok := places.Match("", slug); ok {
			return to, true
		}
		return "/search?q=" + url.QueryEscape(strings.ReplaceAll(slug, "-", " ")), true
	}
	return "", false
}
