package shop

import (
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
)

// defaultTravelAhead bounds the travel start of a plan whose vendor order
// needs one when the vendor gives no window (estimatedUseTimeGapHours 0):
// far enough for any booked trip, near enough that a mistyped year is
// caught.
const defaultTravelAhead = 90 * 24 * time.Hour

// earliestZone is the last time zone to reach a date (UTC−12): a buyer
// anywhere may still be on that date, so it is "today" for someone.
var earliestZone = time.FixedZone("UTC-12", -12*60*60)

// TravelWindow is the first and last travel start dates (YYYY-MM-DD) a
// buyer may choose at now for p. The first is today somewhere on earth;
// the last is the vendor's date at now plus the SKU's window, so the
// start sent on the vendor order (midnight of that date on the vendor's
// clock, see useTime) is never further ahead than the vendor allows.
func TravelWindow(p store.Product, now time.Time) (first, last string) {
	ahead := time.Duration(p.UseTimeGapHours) * time.Hour
	if ahead <= 0 {
		ahead = defaultTravelAhead
	}
	return now.In(earliestZone).Format(time.DateOnly), now.Add(ahead).In(bc.VendorLocation).Format(time.DateOnly)
}

// TravelDefault is the date the buy form starts with: today in UTC,
// within the window.
func TravelDefault(p store.Product, now time.Time) string {
	first, last := TravelWindow(p, now)
	return clampDate(now.UTC().Format(time.DateOnly), first, last)
}

// ValidTravelDate reports whether date (YYYY-MM-DD) is a travel start the
// buyer may choose at now for p.
func ValidTravelDate(p store.Product, date string, now time.Time) bool {
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return false
	}
	first, last := TravelWindow(p, now)
	return date >= first && date <= last // YYYY-MM-DD sorts as text
}

// clampDate keeps a YYYY-MM-DD date within [first, last].
func clampDate(d, first, last string) string {
	return min(max(d, first), last)
}

// useTime is the estimatedUseTime sent on the vendor order for a travel
// start date: midnight of that date on the vendor's clock, or the
// placement time when that is already past (a buyer west of the vendor
// travelling today, or a payment that came late). It is never in the past.
// An order without a date (older orders) starts at placement.
func useTime(date string, placed time.Time) string {
	start := placed.In(bc.VendorLocation)
	if d, err := time.ParseInLocation(time.DateOnly, date, bc.VendorLocation); err == nil && d.After(start) {
		start = d
	}
	return start.Format(bc.TimeLayout)
}
