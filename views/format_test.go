package views

import (
	"testing"
	"time"
)

func TestFormatData(t *testing.T) {
	const gb = 1048576
	tests := []struct {
		lang string
		kb   int64
		want string
	}{
		{"en", 0, ""},
		{"en", -5, ""},
		{"en", 512, "512 KB"},
		{"en", 1024, "1 MB"},
		{"en", 500 * 1024, "500 MB"},
		{"en", 1023*1024 + 1023, "1 GB"}, // rounds up into GB, never "1024 MB"
		{"en", gb, "1 GB"},
		{"en", gb + gb/2, "1.5 GB"},
		{"es", gb + gb/2, "1,5 GB"},
		{"en", gb + gb/4, "1.25 GB"},
		{"es", gb + gb/4, "1,25 GB"},
		{"en", 3 * gb, "3 GB"},
		{"en", 20 * gb, "20 GB"},
		{"en", 10*gb + 10*1024, "10.01 GB"},
		{"en", 100 * gb, "100 GB"},
	}
	for _, tt := range tests {
		if got := FormatData(tt.lang, tt.kb); got != tt.want {
			t.Errorf("FormatData(%q, %d) = %q, want %q", tt.lang, tt.kb, got, tt.want)
		}
	}
}

func TestFormatSpeed(t *testing.T) {
	tests := []struct {
		lang string
		kbps int64
		want string
	}{
		{"en", 0, ""},
		{"en", 128, "128 kbps"},
		{"en", 512, "512 kbps"},
		{"en", 1024, "1 Mbps"},
		{"en", 1536, "1.5 Mbps"},
		{"es", 1536, "1,5 Mbps"},
		{"en", 3072, "3 Mbps"},
	}
	for _, tt := range tests {
		if got := FormatSpeed(tt.lang, tt.kbps); got != tt.want {
			t.Errorf("FormatSpeed(%q, %d) = %q, want %q", tt.lang, tt.kbps, got, tt.want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	tests := []struct {
		lang string
		t    time.Time
		want string
	}{
		{"en", time.Date(2025, 4, 30, 23, 59, 0, 0, time.UTC), "30 April 2025"},
		{"es", time.Date(2025, 4, 30, 0, 0, 0, 0, time.UTC), "30 de abril de 2025"},
		{"es", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), "1 de enero de 2026"},
		{"en", time.Date(2025, 12, 9, 0, 0, 0, 0, time.UTC), "9 December 2025"},
		{"fr", time.Date(2025, 9, 2, 0, 0, 0, 0, time.UTC), "2 September 2025"},
		{"en", time.Time{}, ""},
	}
	for _, tt := range tests {
		if got := FormatDate(tt.lang, tt.t); got != tt.want {
			t.Errorf("FormatDate(%s, %v) = %q, want %q", tt.lang, tt.t, got, tt.want)
		}
	}
}
