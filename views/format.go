package views

import (
	"strconv"
	"strings"
	"time"
)

// Data sizes are in KB as the vendor sends them, with binary multiples:
// 1 MB = 1024 KB and 1 GB = 1048576 KB, matching how plans are sold.
const (
	kbPerMB = 1024
	kbPerGB = 1024 * 1024
)

// FormatData formats a data amount in KB for people: "500 MB", "1 GB",
// "1.5 GB" (Spanish "1,5 GB"). GB keep up to two decimals, MB and KB are
// whole. It returns "" for kb <= 0, which the catalog uses for "unknown".
func FormatData(lang string, kb int64) string {
	switch {
	case kb <= 0:
		return ""
	case kb < kbPerMB:
		return strconv.FormatInt(kb, 10) + " KB"
	case kb < kbPerGB:
		mb := roundDiv(kb, kbPerMB)
		if mb < 1024 {
			return strconv.FormatInt(mb, 10) + " MB"
		}
	}
	return decimal(lang, roundDiv(kb*100, kbPerGB), 2) + " GB"
}

// FormatSpeed formats a speed in kbps: "128 kbps", "1 Mbps", "1.5 Mbps"
// (Spanish "1,5 Mbps"). Like the vendor's data sizes, 1 Mbps is taken as
// 1024 kbps, so the usual 1024/2048 kbps limits read as 1 and 2 Mbps. It
// returns "" for kbps <= 0 (cut off or unknown).
func FormatSpeed(lang string, kbps int64) string {
	switch {
	case kbps <= 0:
		return ""
	case kbps < 1024:
		return strconv.FormatInt(kbps, 10) + " kbps"
	}
	return decimal(lang, roundDiv(kbps*100, 1024), 2) + " Mbps"
}

// roundDiv divides a by b (both positive), rounding half up, in integers so
// no float ever touches a displayed amount.
func roundDiv(a, b int64) int64 {
	return (a + b/2) / b
}

// decimal renders v / 10^places with the language's decimal separator,
// dropping trailing zeros: decimal("es", 150, 2) = "1,5".
func decimal(lang string, v int64, places int) string {
	pow := int64(1)
	for range places {
		pow *= 10
	}
	whole, frac := v/pow, v%pow
	s := strconv.FormatInt(whole, 10)
	if frac == 0 {
		return s
	}
	fs := strconv.FormatInt(frac+pow, 10)[1:] // zero-padded to places digits
	fs = strings.TrimRight(fs, "0")
	sep := "."
	if lang == "es" {
		sep = ","
	}
	return s + sep + fs
}

// monthsES are the Spanish month names, lower case as Spanish writes them.
var monthsES = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}

// FormatDate is a calendar date written out in lang ("30 April 2025",
// "30 de abril de 2025"): a day-month order and month name that no reader
// can misread, unlike 04/05/2025. The date is t's in t's own location; web
// passes UTC. The zero time formats as "".
func FormatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if lang == "es" {
		return strconv.Itoa(t.Day()) + " de " + monthsES[t.Month()-1] + " de " + strconv.Itoa(t.Year())
	}
	return t.Format("2 January 2006")
}
