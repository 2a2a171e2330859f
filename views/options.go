package views

import "strings"

// CardOption is one option a buyer can pick on a plan (one "copies"
// choice), exactly as it will be sold: its total days, its total data
// (total plans), its price and its price per GB or per day.
type CardOption struct {
	Copies int
	Days   int    // usable days: days per copy × copies
	DataKB int64  // total data (total plans); 0 for daily plans
	Price  string // formatted price
	// PriceMinor is the price in minor units, for the form's live total
	// (app.js); the server's total and the charge never read it.
	PriceMinor int64
	PerUnit    string // formatted price per GB (total) or per day (daily); "" if unknown
	// PerUnitMinor is PerUnit in minor units, only to compare options for
	// the "best value" mark; 0 when unknown.
	PerUnitMinor int64
	URL          string // the plan page with this option chosen
	Title        string // the plan page's headline with this option chosen (plan page only)
}

// Trip-length filter of a destination page: "" (any) or a range of days.
// An option fits a range when its days fall inside it; "31+" is longer
// than a month.
var tripOptions = []string{"", "1-7", "8-15", "16-30", "31+"}

// tripRange is the inclusive day range of a trip filter value; ok is false
// for "" and unknown values (no filter).
func tripRange(trip string) (lo, hi int, ok bool) {
	switch trip {
	case "1-7":
		return 1, 7, true
	case "8-15":
		return 8, 15, true
	case "16-30":
		return 16, 30, true
	case "31+":
		return 31, 1 << 30, true
	}
	return 0, 0, false
}

// TripValues are the accepted values of the destination page's "days"
// parameter, the default ("") first; web validates against it.
func TripValues() []string { return tripOptions }

// currentTrip normalises a trip filter value, defaulting to "" (any).
func currentTrip(trip string) string {
	if _, _, ok := tripRange(trip); ok {
		return trip
	}
	return ""
}

// tripLabel names a trip filter option: "Any length", "1–7 days", "30+ days".
func tripLabel(lang, trip string) string {
	if trip == "" {
		return T(lang, "trip.any")
	}
	return T(lang, "trip."+trip)
}

// fitsTrip reports whether an option lasts a number of days inside the
// trip filter's range (every option fits "" ).
func fitsTrip(o CardOption, trip string) bool {
	lo, hi, ok := tripRange(trip)
	return !ok || (o.Days >= lo && o.Days <= hi)
}

// tripCards keeps the cards with at least one option that fits trip.
func tripCards(cards []PlanCard, trip string) []PlanCard {
	if currentTrip(trip) == "" {
		return cards
	}
	out := make([]PlanCard, 0, len(cards))
	for _, c := range cards {
		for _, o := range cardOptions(c) {
			if fitsTrip(o, trip) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// maxCardOptions is how many options a card lists; a daily plan sold for
// 1 to 30 days has 30, which belong on the plan page, not on a card.
const maxCardOptions = 4

// milestones are the trip lengths a card prefers to show when it has to
// choose among many options: a week, two weeks, a month.
var milestones = []int{7, 15, 30}

// CardOptions picks the options a card lists for trip: every option that
// fits when there are at most maxCardOptions, else the shortest, the
// week/fortnight/month ones and the longest. more is how many fitting
// options are left for the plan page; best is the index (in shown) of
// the best-value option, or -1.
func CardOptions(c PlanCard, trip string) (shown []CardOption, more, best int) {
	var fit []CardOption
	for _, o := range cardOptions(c) {
		if fitsTrip(o, trip) {
			fit = append(fit, o)
		}
	}
	if len(fit) <= maxCardOptions {
		shown = fit
	} else {
		pick := map[int]bool{0: true, len(fit) - 1: true}
		for _, m := range milestones {
			for i, o := range fit {
				if o.Days == m && len(pick) < maxCardOptions {
					pick[i] = true
				}
			}
		}
		for i, o := range fit {
			if pick[i] {
				shown = append(shown, o)
			}
		}
	}
	return shown, len(fit) - len(shown), bestValue(shown)
}

// bestValue is the index of the option with the lowest price per GB or per
// day, when that is strictly lower than the first option's (a real
// saving); -1 otherwise, and for a single option.
func bestValue(opts []CardOption) int {
	if len(opts) < 2 || opts[0].PerUnitMinor <= 0 {
		return -1
	}
	best, low := -1, opts[0].PerUnitMinor
	for i, o := range opts[1:] {
		if o.PerUnitMinor > 0 && o.PerUnitMinor < low {
			best, low = i+1, o.PerUnitMinor
		}
	}
	return best
}

// BestTier is the copies of the best-value option of a plan page's
// options (same rule as the cards), or 0.
func BestTier(opts []CardOption) int {
	if i := bestValue(opts); i >= 0 {
		return opts[i].Copies
	}
	return 0
}

// optionLabel describes one option exactly: "6 GB · 30 days",
// "1 GB/day · 7 days", "Unlimited · 5 days".
func optionLabel(lang string, c PlanCard, o CardOption) string {
	days := Plural(lang, "card.days", o.Days)
	switch {
	case c.Unlimited:
		return T(lang, "card.unlimited") + " · " + days
	case c.Daily && c.DailyKB > 0:
		return T(lang, "card.per_day", FormatData(lang, c.DailyKB)) + " · " + days
	case !c.Daily && o.DataKB > 0:
		return FormatData(lang, o.DataKB) + " · " + days
	}
	return days
}

// cardHeadline names what kind of data a plan has: "1 GB/day",
// "Unlimited", or "Total data" (each option then says how much).
func cardHeadline(lang string, c PlanCard) string {
	if c.Unlimited || c.Daily {
		return dataLabel(lang, c)
	}
	for _, o := range cardOptions(c) {
		if o.DataKB > 0 {
			return T(lang, "filter.total")
		}
	}
	return T(lang, "card.data_unknown")
}

// cardOptions are the card's options, or — for a card built without them
// — its single cheapest tier as the card describes it.
func cardOptions(c PlanCard) []CardOption {
	if len(c.Options) > 0 {
		return c.Options
	}
	return []CardOption{{Copies: 1, Days: c.Days, DataKB: c.DataKB, Price: c.Price, PerUnit: c.PerUnit, URL: c.URL}}
}

// nbsp joins the words of a price with no-break spaces, so "1,99 US$"
// never breaks across lines, whatever the CSS.
func nbsp(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }

// fromPrice is "from $1.99" / "desde 1,99 US$" as one unbreakable phrase.
func fromPrice(lang, price string) string { return nbsp(T(lang, "price.from", price)) }
