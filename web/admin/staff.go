package admin

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// Staff serves the staff accounts page (owner only, by the route table)
// and every account's own password change.
type Staff struct{ *Admin }

// mount registers the staff and account routes on the signed-in group.
func (s Staff) mount(in fiber.Router) {
	in.Get("/staff", s.handleStaff)
	in.Post("/staff", s.handleStaffCreate)
	in.Post("/staff/:id/role", s.handleStaffRole)
	in.Get("/account", s.handleAccount)
	in.Post("/account/password", s.handlePassword)
}

// handleStaff serves GET /admin/staff: every account with its role and
// last sign-in, a form to add one and a role switch per account.
func (s Staff) handleStaff(c *fiber.Ctx) error {
	list, err := s.DB.ListAdmins(c.UserContext())
	if err != nil {
		return err
	}
	p, err := s.adminPage(c, "Staff", "staff")
	if err != nil {
		return err
	}
	d := views.StaffData{AdminPage: p}
	for _, r := range store.Roles {
		d.Roles = append(d.Roles, string(r))
	}
	for _, a := range list {
		d.Rows = append(d.Rows, views.StaffRow{ID: strconv.FormatInt(a.ID, 10), Email: a.Email, Role: string(a.Role),
			Created: adminTime(a.CreatedAt), LastSignIn: adminTime(a.LastLoginAt), You: a.ID == signedIn(c).AdminID})
	}
	return httpx.Render(c, fiber.StatusOK, views.AdminStaff(d))
}

// handleStaffCreate serves POST /admin/staff: a new account with a role
// and the password the owner chose (audited; the password never is).
func (s Staff) handleStaffCreate(c *fiber.Ctx) error {
	email, pw := httpx.BodyValue(c, "email"), httpx.BodyValue(c, "password")
	role := store.Role(httpx.BodyValue(c, "role"))
	h, err := HashPassword(pw)
	if err != nil || !role.Valid() {
		return done(c, "/admin/staff", "invalid")
	}
	if dup, err := s.audit(c, "staff_create", 0, "", "created "+strings.ToLower(strings.TrimSpace(email))+" as "+string(role)); err != nil || dup {
		if err != nil {
			return err
		}
		return done(c, "/admin/staff", "dup")
	}
	a, err := s.DB.CreateAdmin(c.UserContext(), email, h)
	switch store.ErrorCode(err) {
	case "":
	case store.ECONFLICT:
		return done(c, "/admin/staff", "exists")
	case store.EINVALID:
		return done(c, "/admin/staff", "invalid")
	default:
		return err
	}
	if role != store.RoleOwner {
		if err := s.DB.SetAdminRole(c.UserContext(), a.ID, role); err != nil {
			return err
		}
	}
	return done(c, "/admin/staff", "created")
}

// handleStaffRole serves POST /admin/staff/:id/role (audited).
func (s Staff) handleStaffRole(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id < 1 {
		return httpx.NotFound("error.not_found")
	}
	role := store.Role(httpx.BodyValue(c, "role"))
	if !role.Valid() {
		return httpx.BadRequest("error.bad_query_value", string(role))
	}
	if dup, err := s.audit(c, "staff_role", 0, "", "account "+strconv.FormatInt(id, 10)+" → "+string(role)); err != nil || dup {
		if err != nil {
			return err
		}
		return done(c, "/admin/staff", "dup")
	}
	switch err := s.DB.SetAdminRole(c.UserContext(), id, role); store.ErrorCode(err) {
	case "":
		return done(c, "/admin/staff", "role")
	case store.ECONFLICT:
		return done(c, "/admin/staff", "last-owner")
	case store.ENOTFOUND:
		return httpx.NotFound("error.not_found")
	default:
		return err
	}
}

// handleAccount serves GET /admin/account: the password change form.
func (s Staff) handleAccount(c *fiber.Ctx) error {
	p, err := s.adminPage(c, "Account", "account")
	if err != nil {
		return err
	}
	return httpx.Render(c, fiber.StatusOK, views.AdminAccount(views.AdminAccountData{AdminPage: p, Role: string(signedIn(c).Role)}))
}

// handlePassword serves POST /admin/account/password: the current
// password, then the new one twice. On success every other session of
// the account ends; this one goes on.
func (s Staff) handlePassword(c *fiber.Ctx) error {
	me := signedIn(c)
	current, pw, again := httpx.BodyValue(c, "current"), httpx.BodyValue(c, "password"), httpx.BodyValue(c, "password2")
	hash, err := s.DB.AdminPasswordHash(c.UserContext(), me.AdminID)
	if err != nil {
		return err
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(current)) != nil {
		return done(c, "/admin/account", "bad-current")
	}
	h, err := HashPassword(pw)
	if err != nil || pw != again {
		if err != nil && !errors.Is(err, ErrWeakPassword) {
			return err
		}
		return done(c, "/admin/account", "bad-new")
	}
	if dup, err := s.audit(c, "password_change", 0, "", "changed own password"); err != nil || dup {
		if err != nil {
			return err
		}
		return done(c, "/admin/account", "dup")
	}
	if err := s.DB.SetAdminPassword(c.UserContext(), me.AdminID, h); err != nil {
		return err
	}
	if err := s.DB.DeleteAdminSessions(c.UserContext(), me.AdminID); err != nil {
		return err
	}
	// This browser keeps going on a fresh session.
	a, _, err := s.DB.AdminByEmail(c.UserContext(), me.Email)
	if err != nil {
		return err
	}
	if err := s.startSession(c, a); err != nil {
		return err
	}
	return done(c, "/admin/account", "password")
}
