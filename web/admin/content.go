package admin

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/content"
	"github.com/esimshop/esimshop/web/httpx"
)

// contentAdmin serves the pages-and-guides editor and the redirects, in a
// type of its own so the Admin keeps to its size.
type contentAdmin struct{ *Admin }

// mount registers the content and redirect routes on the signed-in group.
func (a *contentAdmin) mount(in fiber.Router) {
	in.Get("/content", a.handleList)
	in.Get("/content/new", a.handleNew)
	in.Post("/content/preview", a.handlePreview)
	in.Post("/content/preview.html", a.handlePreviewFragment)
	in.Post("/content/save", a.handleSave)
	in.Get("/content/:id", a.handleEdit)
	in.Post("/content/:id/delete", a.handleDelete)
	in.Get("/redirects", a.handleRedirects)
	in.Post("/redirects", a.handleRedirectSave)
	in.Post("/redirects/delete", a.handleRedirectDelete)
}

// handleList serves GET /admin/content.
func (a *contentAdmin) handleList(c *fiber.Ctx) error {
	p, err := a.adminPage(c, "Pages and guides", "content")
	if err != nil {
		return err
	}
	cs, err := a.DB.Contents(c.UserContext())
	if err != nil {
		return err
	}
	d := views.ContentListData{AdminPage: p, Missing: a.Content.Missing()}
	for _, v := range cs {
		r := views.ContentRow{ID: v.ID, Kind: v.Kind, Slug: v.Slug, Lang: v.Lang, Title: v.Title, Status: v.Status,
			Updated: adminTime(v.UpdatedAt), Placeholder: content.HasPlaceholder(v.Body)}
		if v.Status == store.StatusPublished {
			r.URL = content.ItemPath(v.Kind, v.Slug) + "?lang=" + v.Lang
		}
		d.Rows = append(d.Rows, r)
	}
	return httpx.Render(c, fiber.StatusOK, views.AdminContentList(d))
}

// handleNew serves GET /admin/content/new?kind=page|guide.
func (a *contentAdmin) handleNew(c *fiber.Ctx) error {
	kind, err := httpx.OneOf(c.Query("kind"), store.KindPage, store.KindPage, store.KindGuide)
	if err != nil {
		return err
	}
	return a.renderEdit(c, fiber.StatusOK, store.Content{Kind: kind, Lang: views.DefaultLang, Status: store.StatusDraft}, nil, false)
}

// handleEdit serves GET /admin/content/{id}.
func (a *contentAdmin) handleEdit(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id < 1 {
		return fiber.ErrNotFound
	}
	v, err := a.DB.ContentByID(c.UserContext(), id)
	if err != nil {
		return err
	}
	return a.renderEdit(c, fiber.StatusOK, v, nil, false)
}

// renderEdit renders the editor for v, with errors and, if asked, the
// preview of its body.
func (a *contentAdmin) renderEdit(c *fiber.Ctx, status int, v store.Content, errs map[string]string, preview bool) error {
	title := "New " + v.Kind
	if v.ID != 0 {
		title = "Edit " + v.Title
	}
	p, err := a.adminPage(c, title, "content")
	if err != nil {
		return err
	}
	d := views.ContentEditData{
		AdminPage: p, ID: v.ID, Kind: v.Kind, Slug: v.Slug, Lang: v.Lang, Title: v.Title, Description: v.Description,
		Body: v.Body, Status: v.Status, Languages: views.Languages, Errors: errs, Placeholder: content.HasPlaceholder(v.Body),
	}
	if preview {
		d.Preview = string(content.Render(v.Body))
	}
	if v.ID != 0 && v.Status == store.StatusPublished && errs == nil {
		d.PublicURL = content.ItemPath(v.Kind, v.Slug) + "?lang=" + v.Lang
	}
	return httpx.Render(c, status, views.AdminContentEdit(d))
}

// contentForm reads the editor's fields, and the errors a save would
// meet that the store does not check (a slug the shop's own routes use).
func contentForm(c *fiber.Ctx) (store.Content, map[string]string) {
	v := store.Content{
		Kind:        httpx.BodyValue(c, "kind"),
		Slug:        strings.TrimSpace(httpx.BodyValue(c, "slug")),
		Lang:        httpx.BodyValue(c, "lang"),
		Title:       strings.TrimSpace(httpx.BodyValue(c, "title")),
		Description: strings.TrimSpace(httpx.BodyValue(c, "description")),
		Body:        strings.ReplaceAll(httpx.BodyValue(c, "body"), "\r\n", "\n"),
		Status:      httpx.BodyValue(c, "status"),
	}
	v.ID, _ = strconv.ParseInt(httpx.BodyValue(c, "id"), 10, 64)
	errs := map[string]string{}
	if v.Kind != store.KindGuide {
		v.Kind = store.KindPage
	}
	if !views.SupportedLang(v.Lang) {
		v.Lang = views.DefaultLang
	}
	if v.Status != store.StatusPublished {
		v.Status = store.StatusDraft
	}
	if v.Kind == store.KindPage && slices.Contains(content.Reserved, v.Slug) {
		errs["slug"] = "That path is one the shop itself uses; choose another slug."
	}
	if v.Status == store.StatusPublished && content.HasPlaceholder(v.Body) {
		errs["body"] = "Replace the text marked " + content.PlaceholderMark + " before publishing."
	}
	v.Placeholder = content.HasPlaceholder(v.Body)
	return v, errs
}

// handlePreview serves POST /admin/content/preview: the editor again,
// with the body rendered as the shop will show it, nothing saved.
func (a *contentAdmin) handlePreview(c *fiber.Ctx) error {
	v, _ := contentForm(c)
	return a.renderEdit(c, fiber.StatusOK, v, nil, true)
}

// handlePreviewFragment serves POST /admin/content/preview.html, the
// editor's live preview: only the body, rendered and sanitised as the shop
// will show it, nothing saved.
func (a *contentAdmin) handlePreviewFragment(c *fiber.Ctx) error {
	v, _ := contentForm(c)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.SendString(string(content.Render(v.Body)))
}

// handleSave serves POST /admin/content/save.
func (a *contentAdmin) handleSave(c *fiber.Ctx) error {
	v, errs := contentForm(c)
	if len(errs) > 0 {
		return a.renderEdit(c, fiber.StatusUnprocessableEntity, v, errs, true)
	}
	dup, err := a.audit(c, "content_save", 0, "", v.Kind+" "+v.Slug+" "+v.Lang+" "+v.Status)
	if err != nil {
		return err
	}
	if dup {
		return done(c, "/admin/content", "dup")
	}
	ctx := c.UserContext()
	saved, err := a.DB.SaveContent(ctx, v)
	if code := store.ErrorCode(err); code == store.EINVALID || code == store.ECONFLICT {
		return a.renderEdit(c, fiber.StatusUnprocessableEntity, v, map[string]string{"form": store.ErrorMessage(err)}, true)
	} else if err != nil {
		return err
	}
	if err := a.reload(c); err != nil {
		return err
	}
	return done(c, "/admin/content/"+strconv.FormatInt(saved.ID, 10), "content-saved")
}

// reload puts a content change on the shop: the library re-renders, and
// the catalog's page cache starts afresh so no cached page keeps an old
// footer.
func (a *contentAdmin) reload(c *fiber.Ctx) error {
	if err := a.Content.Reload(c.UserContext()); err != nil {
		return err
	}
	return a.Catalog.Reload(c.UserContext())
}

// handleDelete serves POST /admin/content/{id}/delete.
func (a *contentAdmin) handleDelete(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id < 1 {
		return fiber.ErrNotFound
	}
	dup, err := a.audit(c, "content_delete", 0, "", strconv.FormatInt(id, 10))
	if err != nil || dup {
		return errOr(err, c, "/admin/content")
	}
	if err := a.DB.DeleteContent(c.UserContext(), id); err != nil {
		return err
	}
	if err := a.reload(c); err != nil {
		return err
	}
	return done(c, "/admin/content", "content-deleted")
}

// errOr returns err, or for a repeated form (err nil) the "dup" redirect.
func errOr(err error, c *fiber.Ctx, to string) error {
	if err != nil {
		return err
	}
	return done(c, to, "dup")
}
