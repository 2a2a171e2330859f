package httpx

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"

	"github.com/esimshop/esimshop/views"
)

// LangCookie remembers the buyer's language choice.
const LangCookie = "lang"

const localLang = "lang"

// langMatcher matches Accept-Language against the shop's languages; the
// first (English) is the fallback.
var langMatcher = language.NewMatcher([]language.Tag{language.English, language.Spanish})

// Language picks the page language: ?lang= (remembered in a cookie), then
// the cookie, then Accept-Language, then English. An unsupported ?lang=
// value is ignored rather than an error: links with stale parameters
// should still work.
func Language(secure bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		lang := ""
		if q := c.Query("lang"); q != "" {
			if l, ok := supportedLang(q); ok {
				lang = l
				if c.Cookies(LangCookie) != l {
					c.Cookie(&fiber.Cookie{
						Name: LangCookie, Value: l, Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
						SameSite: fiber.CookieSameSiteLaxMode, Secure: secure,
					})
				}
			}
		}
		if lang == "" {
			lang, _ = supportedLang(c.Cookies(LangCookie))
		}
		if lang == "" {
			lang = acceptLanguage(c.Get(fiber.HeaderAcceptLanguage))
		}
		c.Locals(localLang, lang)
		c.Set(fiber.HeaderContentLanguage, lang)
		c.Vary(fiber.HeaderAcceptLanguage, fiber.HeaderCookie)
		return c.Next()
	}
}

// supportedLang returns s, normalised, when it is one of views.Languages.
func supportedLang(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if !views.SupportedLang(s) {
		return "", false
	}
	return s, true
}

// acceptLanguage picks the best shop language for an Accept-Language header.
func acceptLanguage(h string) string {
	if h == "" {
		return views.Languages[0]
	}
	tags, _, err := language.ParseAcceptLanguage(h)
	if err != nil || len(tags) == 0 {
		return views.Languages[0]
	}
	_, i, _ := langMatcher.Match(tags...)
	return views.Languages[i]
}

// LangOf returns the language chosen for this request (English where the
// Language middleware did not run, as in the admin).
func LangOf(c *fiber.Ctx) string {
	if l, ok := c.Locals(localLang).(string); ok {
		return l
	}
	return views.Languages[0]
}
