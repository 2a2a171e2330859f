package admin

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// auditPerPage is the audit log page's size.
const auditPerPage = 100

// handleAudit serves GET /admin/audit: what operators did (pricing,
// catalog, order actions, refunds, sign-in limits…), who, when, from
// where and the detail they left, newest first, filterable by person and
// kind. The filters accept only values the log holds.
func (b Business) handleAudit(c *fiber.Ctx) error {
	ctx := c.UserContext()
	emails, actions, err := b.DB.AuditFacets(ctx)
	if err != nil {
		return err
	}
	f := store.AuditFilter{AdminEmail: c.Query("who"), Action: c.Query("kind"), Limit: auditPerPage}
	if f.AdminEmail != "" && !slices.Contains(emails, f.AdminEmail) {
		return httpx.BadRequest("error.bad_query_value", "who")
	}
	if f.Action != "" && !slices.Contains(actions, f.Action) {
		return httpx.BadRequest("error.bad_query_value", "kind")
	}
	if v := c.Query("before"); v != "" {
		if f.BeforeID, err = strconv.ParseInt(v, 10, 64); err != nil || f.BeforeID < 1 {
			return httpx.BadRequest("error.bad_query_value", "before")
		}
	}
	rows, err := b.DB.SearchAudit(ctx, f)
	if err != nil {
		return err
	}
	p, err := b.adminPage(c, "Audit log", "audit")
	if err != nil {
		return err
	}
	d := views.AuditData{AdminPage: p, Who: f.AdminEmail, Kind: f.Action, People: emails, Kinds: actions}
	for _, r := range rows {
		row := views.AuditLogRow{At: adminTime(r.At), Who: r.AdminEmail, Kind: r.Action, IP: r.IP, Detail: r.Detail, SKU: r.SKUID}
		if r.OrderNumber != "" {
			row.Order, row.OrderURL = r.OrderNumber, views.AdminPath+"/orders/"+url.PathEscape(r.OrderNumber)
		}
		if r.SKUID != "" {
			row.SKUURL = views.AdminPath + "/catalog/" + url.PathEscape(r.SKUID)
		}
		d.Rows = append(d.Rows, row)
	}
	if len(rows) == auditPerPage {
		v := url.Values{"before": {strconv.FormatInt(rows[len(rows)-1].ID, 10)}}
		if f.AdminEmail != "" {
			v.Set("who", f.AdminEmail)
		}
		if f.Action != "" {
			v.Set("kind", f.Action)
		}
		d.OlderURL = views.AdminPath + "/audit?" + v.Encode()
	}
	return httpx.Render(c, fiber.StatusOK, views.AdminAudit(d))
}
