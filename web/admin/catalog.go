package admin

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/catalog"
	"github.com/esimshop/esimshop/web/httpx"
)

// Catalog page tuning.
const (
	productsPerPage = 50
	syncHistory     = 20
	storeBatch      = 1000 // the store's largest page
)

// isoPattern is an upper-case ISO 3166-1 alpha-2 code.
var isoPattern = regexp.MustCompile(`^[A-Z]{2}$`)

// catalogFilter is the validated query of the catalog page.
type catalogFilter struct {
	store.ProductFilter
	planType string // "", "total" or "daily"
	values   url.Values
}

// parseCatalogFilter validates the catalog page's query; a bad value is a 400.
func parseCatalogFilter(c *fiber.Ctx) (catalogFilter, error) {
	f := catalogFilter{values: url.Values{}}
	keep := func(k, v string) {
		if v != "" {
			f.values.Set(k, utils.CopyString(v))
		}
	}
	if cc := strings.ToUpper(strings.TrimSpace(c.Query("country"))); cc != "" {
		if !isoPattern.MatchString(cc) {
			return f, httpx.BadRequest("error.bad_query_value", "country")
		}
		f.Country = cc
		keep("country", cc)
	}
	if r := c.Query("region"); r != "" {
		if !knownRegion(r) {
			return f, httpx.BadRequest("error.bad_query_value", "region")
		}
		f.Region = utils.CopyString(r)
		keep("region", r)
	}
	t, err := httpx.OneOf(c.Query("type"), "", "total", "daily")
	if err != nil {
		return f, err
	}
	f.planType = t
	keep("type", t)
	for _, b := range []struct {
		key string
		dst **bool
	}{{"active", &f.Active}, {"hidden", &f.Hidden}} {
		v, err := httpx.OneOf(c.Query(b.key), "", "1", "0")
		if err != nil {
			return f, err
		}
		if v != "" {
			on := v == "1"
			*b.dst = &on
			keep(b.key, v)
		}
	}
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > maxAdminQueryLen || strings.ContainsFunc(q, isControl) {
		return f, httpx.BadRequest("error.bad_query_value", "q")
	}
	f.Q = utils.CopyString(q)
	keep("q", q)
	return f, nil
}

// knownRegion reports whether slug is one of the store's region slugs.
func knownRegion(slug string) bool {
	for _, s := range store.RegionSlugs {
		if s == slug {
			return true
		}
	}
	return false
}

// searchProducts runs the filter for one page. The store filters by vendor
// SKU type, the page by plan type (total or daily data): with a plan type
// the whole match is read in batches and paged here.
func (a *Admin) searchProducts(c *fiber.Ctx, f catalogFilter, page int) ([]store.Product, int, error) {
	ctx := c.UserContext()
	if f.planType == "" {
		f.Limit, f.Offset = productsPerPage, (page-1)*productsPerPage
		return a.DB.SearchProducts(ctx, f.ProductFilter)
	}
	want := store.PlanTotal
	if f.planType == "daily" {
		want = store.PlanDaily
	}
	var all []store.Product
	for off := 0; ; off += storeBatch {
		f.Limit, f.Offset = storeBatch, off
		ps, total, err := a.DB.SearchProducts(ctx, f.ProductFilter)
		if err != nil {
			return nil, 0, err
		}
		for _, p := range ps {
			if p.PlanType == want {
				all = append(all, p)
			}
		}
		if len(ps) == 0 || off+len(ps) >= total {
			break
		}
	}
	start := min((page-1)*productsPerPage, len(all))
	end := min(start+productsPerPage, len(all))
	return all[start:end], len(all), nil
}

// handleCatalog serves GET /admin/catalog: SKUs with filters, the
// sync history and the featured destinations.
func (a *Admin) handleCatalog(c *fiber.Ctx) error {
	f, err := parseCatalogFilter(c)
	if err != nil {
		return err
	}
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	products, total, err := a.searchProducts(c, f, page)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	runs, err := a.DB.SyncRuns(ctx, syncHistory)
	if err != nil {
		return err
	}
	featured, err := a.DB.FeaturedDestinations(ctx)
	if err != nil {
		return err
	}
	if featured == nil {
		featured = catalog.PopularDestinations
	}
	p, err := a.adminPage(c, "Catalog", "catalog")
	if err != nil {
		return err
	}
	d := views.CatalogData{
		AdminPage: p, Country: f.values.Get("country"), Region: f.values.Get("region"), Type: f.planType,
		Active: f.values.Get("active"), Hidden: f.values.Get("hidden"), Q: f.Q, Total: total,
		SyncAction: "/admin/catalog/sync", Featured: strings.Join(featured, ", "), FeaturedAction: "/admin/catalog/featured",
	}
	cat := a.Catalog.Snapshot()
	for _, pr := range products {
		row := views.CatalogRow{
			SKU: pr.SKUID, URL: "/admin/catalog/" + url.PathEscape(pr.SKUID), Name: pr.Name, Type: planTypeName(pr.PlanType),
			Region: pr.Region, Countries: len(pr.Coverage), Active: pr.Active, Hidden: pr.Hidden,
		}
		if pl := cat.Plan(pr.SKUID); pl != nil {
			row.FromPrice = adminMoney(pl.Cheapest().Price.Amount, pl.Cheapest().Price.Currency)
		}
		d.Rows = append(d.Rows, row)
	}
	for i, r := range runs {
		d.Syncs = append(d.Syncs, syncRow(r, i == 0))
	}
	d.PrevURL, d.NextURL = pageLinks("/admin/catalog", f.values, page, productsPerPage, total)
	return httpx.Render(c, fiber.StatusOK, views.AdminCatalog(d))
}

// planTypeName names a plan type for the operator.
func planTypeName(t store.PlanType) string {
	if t == store.PlanDaily {
		return "daily"
	}
	return "total"
}

// handleSync serves POST /admin/catalog/sync: a catalog sync now.
func (a *Admin) handleSync(c *fiber.Ctx) error {
	dup, err := a.audit(c, "sync_catalog", 0, "", "sync now")
	if err != nil {
		return err
	}
	if dup {
		return done(c, "/admin/catalog", "dup")
	}
	run, err := a.Shop.SyncCatalog(c.UserContext())
	if err != nil {
		return done(c, "/admin/catalog", "sync-error") // recorded in the sync history
	}
	if run.Held {
		return done(c, "/admin/catalog", "sync-held")
	}
	return done(c, "/admin/catalog", "sync")
}

// handleApplySync serves POST /admin/catalog/sync/apply (field run): the
// operator applies a sync that was held because it would remove too much
// of the live catalog.
func (a *Admin) handleApplySync(c *fiber.Ctx) error {
	run, err := strconv.ParseInt(c.FormValue("run"), 10, 64)
	if err != nil || run < 1 {
		return httpx.BadRequest("error.bad_query_value", "run")
	}
	dup, err := a.audit(c, "apply_held_sync", 0, "", "apply held sync run "+strconv.FormatInt(run, 10))
	if err != nil {
		return err
	}
	if dup {
		return done(c, "/admin/catalog", "dup")
	}
	if _, err := a.Shop.ApplyHeldSync(c.UserContext(), run); err != nil {
		if store.ErrorCode(err) == store.EINVALID {
			return done(c, "/admin/catalog", "apply-stale")
		}
		return done(c, "/admin/catalog", "sync-error")
	}
	return done(c, "/admin/catalog", "sync-applied")
}

// parseFeatured reads the featured destinations field: ISO codes
// separated by commas or spaces, kept in order without repeats.
func parseFeatured(s string) ([]string, bool) {
	codes := []string{}
	seen := map[string]bool{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		code := strings.ToUpper(f)
		if code == "UK" {
			code = "GB"
		}
		if !isoPattern.MatchString(code) || store.RegionOf(code) == "" {
			return nil, false
		}
		if !seen[code] {
			seen[code] = true
			codes = append(codes, code)
		}
	}
	return codes, len(codes) <= store.MaxFeatured
}

// handleFeatured serves POST /admin/catalog/featured: the home
// page's featured destinations.
func (a *Admin) handleFeatured(c *fiber.Ctx) error {
	codes, ok := parseFeatured(httpx.BodyValue(c, "featured"))
	if !ok {
		// Checked before the audit log records anything.
		return done(c, "/admin/catalog", "featured-invalid")
	}
	dup, err := a.audit(c, "featured_destinations", 0, "", strings.Join(codes, ","))
	if err != nil {
		return err
	}
	if dup {
		return done(c, "/admin/catalog", "dup")
	}
	ctx := c.UserContext()
	if err := a.DB.SetFeaturedDestinations(ctx, codes); err != nil {
		return err
	}
	if err := a.Catalog.Reload(ctx); err != nil {
		return err
	}
	return done(c, "/admin/catalog", "featured")
}
