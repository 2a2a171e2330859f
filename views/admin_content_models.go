package views

import "net/url"

// ContentListData is the admin's list of pages and guides.
type ContentListData struct {
	AdminPage
	Missing []string // required pages not published yet (slugs)
	Rows    []ContentRow
}

// ContentRow is one language version in the list.
type ContentRow struct {
	ID                      int64
	Kind, Slug, Lang, Title string
	Status, Updated, URL    string // URL: the public page ("" for a draft)
	Placeholder             bool
}

// ContentEditData is the editor of one page or guide version.
type ContentEditData struct {
	AdminPage
	ID                                   int64 // 0 for a new one
	Kind, Slug, Lang, Title, Description string
	Body, Status                         string
	Languages                            []string
	Errors                               map[string]string
	Preview                              string // sanitised HTML of the body, "" when not previewed
	PublicURL                            string // "" unless published
	Placeholder                          bool
}

// RedirectsData is the redirect table and the top 404s.
type RedirectsData struct {
	AdminPage
	Rows     []RedirectRow
	NotFound []NotFoundRow
	From, To string // the add form's values
	Status   int
	Errors   map[string]string
}

// RedirectRow is one redirect.
type RedirectRow struct {
	From, To, Source, Created string
	Status                    int
}

// NotFoundRow is one path that answered 404.
type NotFoundRow struct {
	Path, FirstSeen, LastSeen string
	Hits                      int
}

// contentPath is the public path of a page or guide slug.
func contentPath(kind, slug string) string {
	if kind == "guide" {
		return "/guides/" + slug
	}
	return "/" + slug
}

// queryEscape escapes a query parameter value.
func queryEscape(s string) string { return url.QueryEscape(s) }
