package content

import "testing"

// TestPlacesMatch: a SKU sold wins; else the longest country name in the
// title or slug, English or Spanish, accents or not; else no match.
func TestPlacesMatch(t *testing.T) {
	p := NewPlaces([]string{"JP-5GB"}, []string{"JP", "ES", "KR", "US", "GB"})
	tests := []struct {
		sku, text, want string
		ok              bool
	}{
		{"JP-5GB", "anything", "/plans/JP-5GB", true},
		{"OLD-SKU", "Japan eSIM 5GB", "/destinations/jp", true},
		{"", "eSIM Japón 10 GB", "/destinations/jp", true},
		{"", "esim-japon-10gb", "/destinations/jp", true},
		{"", "eSIM España", "/destinations/es", true},
		{"", "South Korea unlimited", "/destinations/kr", true},
		{"", "Corea del Sur ilimitado", "/destinations/kr", true},
		{"", "United States 20GB", "/destinations/us", true},
		{"", "Gift card", "", false},
		{"", "Spainish lessons", "", false}, // a name must be whole words
	}
	for _, tt := range tests {
		got, ok := p.Match(tt.sku, tt.text)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Match(%q, %q) = %q, %v; want %q, %v", tt.sku, tt.text, got, ok, tt.want, tt.ok)
		}
	}
}

// TestItemLanguage: Polylang's taxonomy, then WPML's meta, else none.
func TestItemLanguage(t *testing.T) {
	tests := []struct {
		item wxrItem
		want string
	}{
		{wxrItem{Categories: []wxrCategory{{Domain: "category", Nicename: "guides"}, {Domain: "language", Nicename: "ES"}}}, "es"},
		{wxrItem{Meta: []wxrMeta{{Key: "_wpml_language", Value: "es_ES"}}}, "es"},
		{wxrItem{Meta: []wxrMeta{{Key: "_icl_lang_code", Value: "en-US"}}}, "en"},
		{wxrItem{}, ""},
	}
	for i, tt := range tests {
		if got := tt.item.language(); got != tt.want {
			t.Errorf("%d: language %q, want %q", i, got, tt.want)
		}
	}
}

// TestWordPressPath: WooCommerce's and WordPress's usual paths.
func TestWordPressPath(t *testing.T) {
	p := NewPlaces(nil, []string{"JP"})
	tests := []struct{ path, want string }{
		{"/shop/", "/"}, {"/SHOP", "/"}, {"/cart/", "/"}, {"/checkout/order-received/12/", "/"},
		{"/my-account/", "/my-esims"}, {"/mi-cuenta/pedidos/", "/my-esims"}, {"/feed/", "/guides"}, {"/category/news/", "/guides"},
		{"/product/japan-5gb/", "/destinations/jp"}, {"/product-category/japon/", "/destinations/jp"},
		{"/product/gift-card/", "/search?q=gift+card"}, {"/terms", ""}, {"/product/a/b/", ""},
	}
	for _, tt := range tests {
		got, ok := WordPressPath(tt.path, p)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("WordPressPath(%q) = %q, %v; want %q", tt.path, got, ok, tt.want)
		}
	}
}
