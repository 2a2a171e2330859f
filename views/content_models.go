package views

// ContentData is a content page or guide.
type ContentData struct {
	Page
	Kind        string // "page" or "guide"
	Heading     string
	ContentLang string // the language of the text (may differ from the page's when untranslated)
	Body        string // sanitised HTML (web/content renders and sanitises it)
	Updated     string // localised last-updated date
	JSONLD      string // FAQPage or Article data, "" for none
}

// GuideListData is the list of guides.
type GuideListData struct {
	Page
	Guides []GuideLink
	JSONLD string
}

// GuideLink is one guide in the list.
type GuideLink struct{ Title, Description, URL string }
