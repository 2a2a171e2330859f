package bc

import (
	"strings"
	"testing"
)

// The vendor's published test vector.
const (
	vectorSecret = "65f4ee66c5a019b9d0f5545b575c33c6"
	vectorBody   = `{"params1":"value1","params2":"value2","params3":"value3"}`
	vectorSign   = "e8d6da84ebdbea651cf4ae7579a964fc"
)

func TestSignVector(t *testing.T) {
	if got := Sign(vectorSecret, []byte(vectorBody)); got != vectorSign {
		t.Fatalf("Sign = %s, want %s", got, vectorSign)
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		body   string
		sign   string
		want   bool
	}{
		{"vector", vectorSecret, vectorBody, vectorSign, true},
		{"uppercase hex", vectorSecret, vectorBody, strings.ToUpper(vectorSign), true},
		{"empty signature", vectorSecret, vectorBody, "", false},
		{"wrong signature", vectorSecret, vectorBody, "00000000000000000000000000000000", false},
		{"truncated signature", vectorSecret, vectorBody, vectorSign[:31], false},
		{"signature with whitespace", vectorSecret, vectorBody, " " + vectorSign, false},
		{"wrong secret", "x" + vectorSecret[1:], vectorBody, vectorSign, false},
		{"body changed by one byte", vectorSecret, strings.Replace(vectorBody, "value3", "value4", 1), vectorSign, false},
		{"body re-serialised with spaces", vectorSecret, `{"params1": "value1","params2":"value2","params3":"value3"}`, vectorSign, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verify(tt.secret, []byte(tt.body), tt.sign); got != tt.want {
				t.Errorf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}
