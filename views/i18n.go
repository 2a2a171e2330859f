package views

import (
	"fmt"
	"strings"
)

// Languages lists the languages the shop is served in, default first.
var Languages = []string{"en", "es"}

// DefaultLang is the language used when a request names no supported one.
const DefaultLang = "en"

// catalogs maps a language to its messages. English is complete by
// construction; other languages fall back to English key by key, so a
// missing translation degrades to English instead of showing a raw key.
var catalogs = map[string]map[string]string{
	"en": messagesEN,
	"es": messagesES,
}

// T returns the message for key in lang, formatted with args (fmt verbs)
// when any are given. Unknown languages and keys missing in lang fall back to
// English; a key missing everywhere returns the key itself, which the
// catalog test catches before it ships.
func T(lang, key string, args ...any) string {
	msg, ok := catalogs[lang][key]
	if !ok {
		msg, ok = messagesEN[key]
		if !ok {
			return key
		}
	}
	if len(args) == 0 {
		return msg
	}
	return fmt.Sprintf(msg, args...)
}

// Plural picks key+".one" when n is 1 and key+".other" otherwise, then
// formats it with n and args. English and Spanish share this rule, so
// there is no need for CLDR plural data yet.
func Plural(lang, key string, n int, args ...any) string {
	form := ".other"
	if n == 1 {
		form = ".one"
	}
	return T(lang, key+form, append([]any{n}, args...)...)
}

// SupportedLang reports whether lang is one of Languages.
func SupportedLang(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// Path returns the site path p (starting with "/") for a page in lang.
// All languages share the same paths: web picks the language from ?lang=,
// then a cookie, then Accept-Language, and puts "?lang=" on the canonical
// and alternate URLs. Every link the views build themselves (home, search,
// install help, checkout) goes through here, so a later per-language URL
// scheme changes one function.
func Path(lang, p string) string {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// LanguageName is the name of a language in that language itself, as
// language switches conventionally show it.
func LanguageName(lang string) string {
	switch lang {
	case "en":
		return "English"
	case "es":
		return "Español"
	}
	return strings.ToUpper(lang)
}
