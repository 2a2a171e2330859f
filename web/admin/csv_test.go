package admin

import "testing"

func TestCSVCell(t *testing.T) {
	tests := map[string]string{
		"":                  "",
		"plain":             "plain",
		"=1+2":              "'=1+2",
		"+44 20":            "'+44 20",
		"-2":                "'-2",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tx":               "'\tx",
		"\rx":               "'\rx",
		"a=b":               "a=b",
		"12.99":             "12.99",
		"buyer@example.com": "buyer@example.com",
	}
	for in, want := range tests {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}
