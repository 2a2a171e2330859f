package web

import (
	"context"
	"io"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/content"
)

// ImportWordPress imports a WordPress export (WXR) into db, matching
// WooCommerce products against the catalog stored there: see
// content.ImportWordPress. Items that name no language get defLang ("" is
// the shop's default). The essential pages are seeded first, so imported
// legal pages replace their placeholders.
func ImportWordPress(ctx context.Context, db *store.DB, r io.Reader, defLang string) (content.Report, error) {
	if defLang == "" {
		defLang = views.DefaultLang
	}
	if !views.SupportedLang(defLang) {
		return content.Report{}, store.Errorf(store.EINVALID, "language %q is not one of the shop's (%v)", defLang, views.Languages)
	}
	if _, err := db.SeedContent(ctx, content.Essentials()); err != nil {
		return content.Report{}, err
	}
	products, err := db.ActiveProducts(ctx)
	if err != nil {
		return content.Report{}, err
	}
	var skus, countries []string
	seen := map[string]bool{}
	for _, p := range products {
		skus = append(skus, p.SKUID)
		for _, cv := range p.Coverage {
			if !seen[cv.CountryCode] {
				seen[cv.CountryCode] = true
				countries = append(countries, cv.CountryCode)
			}
		}
	}
	return content.ImportWordPress(ctx, db, r, content.ImportOptions{
		DefaultLang: defLang, Languages: views.Languages, Places: content.NewPlaces(skus, countries),
	})
}
