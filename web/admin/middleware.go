package admin

import (
	"regexp"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/web/httpx"
)

// localActionID is the Locals key of a checked action id.
const localActionID = "action_id"

// actionIDPattern is the shape of a form's action_id: the page's random id
// and the form's name (see views.AdminPage.ActionID).
var actionIDPattern = regexp.MustCompile(`^[0-9a-f]{32}-[a-z0-9-]{1,40}$`)

// errNoActionID: an action form without a well-formed action_id cannot be
// told from its double submit, so it is refused.
var errNoActionID = &httpx.PageError{Status: fiber.StatusBadRequest, Key: "error.bad_request"}

// isRead reports a method that changes nothing.
func isRead(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead
}

// csrfOnPost refuses any signed-in request that can change something
// unless it carries the CSRF token.
func csrfOnPost(c *fiber.Ctx) error {
	if isRead(c) {
		return c.Next()
	}
	return httpx.RequireCSRF(c)
}

// actionIDOnPost refuses a form without a well-formed action id, and
// keeps the id for audit, which claims it in the audit log.
func actionIDOnPost(c *fiber.Ctx) error {
	if isRead(c) {
		return c.Next()
	}
	id := httpx.BodyValue(c, "action_id")
	if !actionIDPattern.MatchString(id) {
		return errNoActionID
	}
	c.Locals(localActionID, utils.CopyString(id))
	return c.Next()
}

// actionID is the request's checked action id.
func actionID(c *fiber.Ctx) string {
	id, _ := c.Locals(localActionID).(string)
	return id
}
