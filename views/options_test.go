package views

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// dailyCard is a daily plan sold for 1–30 days at a falling price per day.
func dailyCard() PlanCard {
	c := PlanCard{SKUID: "d", URL: "/plans/d", Daily: true, DailyKB: 1048576}
	for d := 1; d <= 30; d++ {
		per := int64(300 - 3*d) // cents per day, falling
		c.Options = append(c.Options, CardOption{Copies: d, Days: d, PerUnitMinor: per, Price: "x", URL: "/plans/d?copies=" + string(rune('0'+d%10))})
	}
	return c
}

func TestCardOptions(t *testing.T) {
	total := PlanCard{SKUID: "t", Options: []CardOption{
		{Copies: 1, Days: 15, DataKB: 3 << 20, PerUnitMinor: 566},
		{Copies: 2, Days: 30, DataKB: 6 << 20, PerUnitMinor: 500},
		{Copies: 3, Days: 45, DataKB: 9 << 20, PerUnitMinor: 520},
	}}
	flat := PlanCard{SKUID: "f", Options: []CardOption{{Copies: 1, Days: 7, PerUnitMinor: 100}, {Copies: 2, Days: 14, PerUnitMinor: 100}}}
	tests := []struct {
		name     string
		card     PlanCard
		trip     string
		wantDays []int
		more     int
		bestDays int // 0 = no mark
	}{
		{"every option of a 3-option plan", total, "", []int{15, 30, 45}, 0, 30},
		{"trip 16-30 keeps the 30-day option", total, "16-30", []int{30}, 0, 0},
		{"trip 31+ keeps 45 days", total, "31+", []int{45}, 0, 0},
		{"trip 1-7 keeps nothing", total, "1-7", nil, 0, 0},
		{"unknown trip is no filter", total, "99", []int{15, 30, 45}, 0, 30},
		{"daily 1-30: first, week, fortnight, month", dailyCard(), "", []int{1, 7, 15, 30}, 26, 30},
		{"daily in 8-15: all eight would not fit", dailyCard(), "8-15", []int{8, 15}, 6, 15},
		{"daily in 1-7", dailyCard(), "1-7", []int{1, 7}, 5, 7},
		{"same price per unit: no best value", flat, "", []int{7, 14}, 0, 0},
		{"card without options: its own tier", PlanCard{Days: 5, Price: "$1"}, "", []int{5}, 0, 0},
	}
	for _, tt := range tests {
		shown, more, best := CardOptions(tt.card, tt.trip)
		var days []int
		for _, o := range shown {
			days = append(days, o.Days)
		}
		if len(days) != len(tt.wantDays) || more != tt.more {
			t.Errorf("%s: shown %v (+%d), want %v (+%d)", tt.name, days, more, tt.wantDays, tt.more)
			continue
		}
		for i := range days {
			if days[i] != tt.wantDays[i] {
				t.Errorf("%s: shown %v, want %v", tt.name, days, tt.wantDays)
			}
		}
		gotBest := 0
		if best >= 0 {
			gotBest = shown[best].Days
		}
		if gotBest != tt.bestDays {
			t.Errorf("%s: best value %d days, want %d", tt.name, gotBest, tt.bestDays)
		}
	}
}

// TestCardListsExactOptions is the card: 3 GB/15 days, 6 GB/30
// days and 9 GB/45 days read as themselves, never "3 GB · 15–45 days".
func TestCardListsExactOptions(t *testing.T) {
	for _, lang := range Languages {
		c := PlanCard{SKUID: "t", URL: "/plans/t", Options: []CardOption{
			{Copies: 1, Days: 15, DataKB: 3 << 20, Price: "$16.99", PerUnit: "$5.66", PerUnitMinor: 566, URL: "/plans/t?copies=1"},
			{Copies: 2, Days: 30, DataKB: 6 << 20, Price: "$29.99", PerUnit: "$5.00", PerUnitMinor: 500, URL: "/plans/t?copies=2"},
			{Copies: 3, Days: 45, DataKB: 9 << 20, Price: "$46.99", PerUnit: "$5.22", PerUnitMinor: 522, URL: "/plans/t?copies=3"},
		}}
		doc, _ := render(t, planCard(lang, c, ""))
		opts := doc.Find("a.opt")
		if opts.Length() != 3 {
			t.Fatalf("%s: %d options", lang, opts.Length())
		}
		for i, want := range []string{
			FormatData(lang, 3<<20) + " · " + Plural(lang, "card.days", 15),
			FormatData(lang, 6<<20) + " · " + Plural(lang, "card.days", 30),
			FormatData(lang, 9<<20) + " · " + Plural(lang, "card.days", 45),
		} {
			o := opts.Eq(i)
			if got := text(o.Find(".opt-label")); got != want {
				t.Errorf("%s: option %d reads %q, want %q", lang, i, got, want)
			}
			if href := o.AttrOr("href", ""); href != c.Options[i].URL {
				t.Errorf("%s: option %d links %q", lang, i, href)
			}
		}
		if b := opts.Eq(1).Find(".badge"); text(b) != T(lang, "card.best") || doc.Find(".badge").Length() != 1 {
			t.Errorf("%s: best value should mark the 30-day option only", lang)
		}
		if strings.Contains(text(doc.Selection), "–") {
			t.Errorf("%s: a card with exact options shows a range: %q", lang, text(doc.Selection))
		}
	}
}

func TestTripFilterLinks(t *testing.T) {
	d := testDestination("en")
	d.Trip = "8-15"
	doc, _ := render(t, Destination(d))
	cur := doc.Find(".seg a[aria-current]")
	if text(cur.First()) != T("en", "trip.8-15") {
		t.Errorf("trip filter not marked: %q", text(cur.First()))
	}
	// Filter and sort links keep the trip length.
	if href := doc.Find(`.seg a`).FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == T("en", "filter.daily") }).AttrOr("href", ""); href != "/destinations/jp?days=8-15&filter=daily" {
		t.Errorf("daily link = %q", href)
	}
}
