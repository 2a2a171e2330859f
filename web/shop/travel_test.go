package shop

import (
	"testing"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
)

// TestTravelWindow pins the dates a buyer may choose and what the vendor
// order then carries: never a start in the past, never further ahead than
// the SKU's estimatedUseTimeGapHours.
func TestTravelWindow(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name        string
		gap         int
		now         string
		first, last string
	}{
		// 10:00 UTC is 22:00 on the 1st in UTC−12: still "today" there.
		{"30-day window", 720, "2026-12-02T10:00:00Z", "2026-12-01", "2027-01-01"},
		{"late in the UTC day", 72, "2026-12-02T23:30:00Z", "2026-12-02", "2026-12-06"},
		{"one hour window, vendor already tomorrow", 1, "2026-12-02T17:00:00Z", "2026-12-02", "2026-12-03"},
		{"no window from the vendor: 90 days", 0, "2026-12-02T10:00:00Z", "2026-12-01", "2027-03-02"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := store.Product{NeedsUseTime: true, UseTimeGapHours: tt.gap}
			now := at(tt.now)
			first, last := TravelWindow(p, now)
			if first != tt.first || last != tt.last {
				t.Fatalf("window %s–%s, want %s–%s", first, last, tt.first, tt.last)
			}
			for date, want := range map[string]bool{first: true, last: true, "": false, "2026-13-01": false,
				dayBefore(t, first): false, dayAfter(t, last): false} {
				if got := ValidTravelDate(p, date, now); got != want {
					t.Errorf("ValidTravelDate(%q) = %v, want %v", date, got, want)
				}
			}
			if d := TravelDefault(p, now); d < first || d > last {
				t.Errorf("default %s outside the window", d)
			}
			// What F040 carries for the last date is within the vendor's window.
			sent, err := time.ParseInLocation(bc.TimeLayout, useTime(last, now), bc.VendorLocation)
			if err != nil {
				t.Fatal(err)
			}
			if tt.gap > 0 && sent.After(now.Add(time.Duration(tt.gap)*time.Hour)) {
				t.Errorf("last date starts %s, beyond the %d h window from %s", sent, tt.gap, now)
			}
		})
	}
}

// TestUseTime pins the estimatedUseTime sent for a travel date.
func TestUseTime(t *testing.T) {
	placed := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) // 18:00 in Beijing
	tests := []struct {
		date, want string
	}{
		{"2026-12-09", "2026-12-09 00:00:00"}, // ahead: midnight of the date on the vendor's clock
		{"2026-12-02", "2026-12-02 18:00:00"}, // today there, already started: placement time
		{"2026-12-01", "2026-12-02 18:00:00"}, // a date behind the vendor's: never the past
		{"", "2026-12-02 18:00:00"},           // older orders carry none
		{"not a date", "2026-12-02 18:00:00"},
	}
	for _, tt := range tests {
		if got := useTime(tt.date, placed); got != tt.want {
			t.Errorf("useTime(%q) = %q, want %q", tt.date, got, tt.want)
		}
	}
}

func dayBefore(t *testing.T, d string) string { return shiftDate(t, d, -1) }
func dayAfter(t *testing.T, d string) string  { return shiftDate(t, d, 1) }

// shiftDate moves a YYYY-MM-DD date by days.
func shiftDate(t *testing.T, d string, days int) string {
	t.Helper()
	v, err := time.Parse(time.DateOnly, d)
	if err != nil {
		t.Fatal(err)
	}
	return v.AddDate(0, 0, days).Format(time.DateOnly)
}
