package admin

import (
	"path"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/httpx"
)

// errRole is the 403 page of a route the signed-in role may not open.
var errRole = &httpx.PageError{Status: fiber.StatusForbidden, Key: "error.role"}

// roleRule opens the routes matching a method and a path pattern
// (path.Match syntax: * is one segment) to more roles than the owner.
type roleRule struct {
	method, pattern string
	roles           []store.Role
}

// Role groups of the rules.
var (
	everyone    = []store.Role{store.RoleSupport, store.RoleViewer}
	supportOnly = []store.Role{store.RoleSupport}
)

// roleRules is the whole permission table. The owner opens every route;
// a route no rule names is the owner's alone, so a page or action added
// later is closed to support and viewers until it is listed here
// (TestAdminRolesPerRoute walks the router with each role to hold that).
var roleRules = []roleRule{
	{fiber.MethodPost, "/admin/sign-out", everyone},
	{fiber.MethodGet, "/admin", everyone},
	{fiber.MethodGet, "/admin/orders", everyone},
	{fiber.MethodGet, "/admin/orders.csv", everyone},
	{fiber.MethodGet, "/admin/orders/*", everyone},
	{fiber.MethodGet, "/admin/orders/*/esims/*/qr.png", everyone},
	{fiber.MethodPost, "/admin/orders/*/*", supportOnly},      // order actions: retry, re-send, refund, check, notes, email, eSIM by hand
	{fiber.MethodGet, "/admin/orders/*/refunds", supportOnly}, // the refund form
	{fiber.MethodGet, "/admin/customers", everyone},
	{fiber.MethodGet, "/admin/customers.csv", everyone},
	{fiber.MethodGet, "/admin/reports", everyone},
	{fiber.MethodGet, "/admin/catalog", everyone},
	{fiber.MethodGet, "/admin/catalog/*", everyone},
	{fiber.MethodGet, "/admin/notices", everyone},
	{fiber.MethodGet, "/admin/notices/*/*", everyone},
	{fiber.MethodGet, "/admin/account", everyone},
	{fiber.MethodPost, "/admin/account/password", everyone},
}

// Allowed reports whether role may open method path (the tests' route
// walk compares every answer with it).
func Allowed(role store.Role, method, p string) bool {
	if role == store.RoleOwner {
		return true
	}
	if method == fiber.MethodHead {
		method = fiber.MethodGet
	}
	for _, r := range roleRules {
		if r.method != method {
			continue
		}
		if ok, _ := path.Match(r.pattern, p); !ok {
			continue
		}
		for _, x := range r.roles {
			if x == role {
				return true
			}
		}
	}
	return false
}

// requireRole refuses, with a 403 and before any handler or form check
// runs, a route the signed-in account's role does not open. It runs on
// the signed-in group right after the session check.
func requireRole(c *fiber.Ctx) error {
	if !Allowed(signedIn(c).Role, c.Method(), c.Path()) {
		return errRole
	}
	return c.Next()
}
