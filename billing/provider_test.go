package billing

import "testing"

func TestMatchesOrder(t *testing.T) {
	good := SessionState{ID: "cs_test_abc12345", Status: SessionComplete, PaymentStatus: PaymentPaid,
		AmountTotal: 2598, Currency: "eur", ClientReferenceID: "42", MetadataOrderID: "42"}
	tests := []struct {
		name string
		edit func(*SessionState)
		ok   bool
	}{
		{"match", func(*SessionState) {}, true},
		{"other order reference", func(s *SessionState) { s.ClientReferenceID = "43" }, false},
		{"other metadata order", func(s *SessionState) { s.MetadataOrderID = "43" }, false},
		{"no metadata", func(s *SessionState) { s.MetadataOrderID = "" }, false},
		{"padded reference", func(s *SessionState) { s.ClientReferenceID = "042" }, false},
		{"amount lower", func(s *SessionState) { s.AmountTotal = 1299 }, false},
		{"amount higher", func(s *SessionState) { s.AmountTotal = 2599 }, false},
		{"other currency", func(s *SessionState) { s.Currency = "usd" }, false},
	}
	for _, tt := range tests {
		s := good
		tt.edit(&s)
		err := s.MatchesOrder(42, 2598, "EUR")
		if (err == nil) != tt.ok {
			t.Errorf("%s: MatchesOrder = %v; want ok=%v", tt.name, err, tt.ok)
		}
	}
}
