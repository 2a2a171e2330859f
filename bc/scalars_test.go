package bc

import (
	"encoding/json"
	"reflect"
	"testing"
)

// decodeField decodes raw as the "v" field of an object, the way the
// scalars meet the vendor's JSON in practice.
func decodeField[T any](raw string) (T, error) {
	var holder struct {
		V T `json:"v"`
	}
	err := json.Unmarshal([]byte(`{"v":`+raw+`}`), &holder)
	return holder.V, err
}

func TestIntUnmarshal(t *testing.T) {
	tests := []struct {
		raw     string
		want    Int
		wantErr bool
	}{
		{`"12"`, 12, false},
		{`12`, 12, false},
		{`"-1"`, -1, false},
		{`-1`, -1, false},
		{`" 7 "`, 7, false},
		{`""`, 0, false},
		{`null`, 0, false},
		{`"9223372036854775807"`, 9223372036854775807, false},
		{`"abc"`, 0, true},
		{`1.5`, 0, true},
		{`"1.5"`, 0, true},
		{`1e3`, 0, true},
		{`"9223372036854775808"`, 0, true},
		{`true`, 0, true},
		{`{}`, 0, true},
		{`[1]`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := decodeField[Int](tt.raw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestStringUnmarshal(t *testing.T) {
	tests := []struct {
		raw     string
		want    String
		wantErr bool
	}{
		{`"abc"`, "abc", false},
		{`"参数"`, "参数", false},
		{`123`, "123", false},
		// A 23-digit ID must not pass through a float.
		{`89860000000000000000123`, "89860000000000000000123", false},
		{`4.50`, "4.50", false},
		{`null`, "", false},
		{`""`, "", false},
		{`true`, "", true},
		{`[]`, "", true},
		{`{}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := decodeField[String](tt.raw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCodeUnmarshal(t *testing.T) {
	tests := []struct {
		raw     string
		want    Code
		wantErr bool
	}{
		{`"1000"`, "1000", false},
		{`1000`, "1000", false},
		{`1003`, "1003", false},
		{`null`, "", false},
		{`false`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := decodeField[Code](tt.raw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecimalUnmarshal(t *testing.T) {
	tests := []struct {
		raw     string
		want    Decimal
		wantErr bool
	}{
		{`"4.5"`, "4.5", false},
		{`4.5`, "4.5", false},
		{`"12.00"`, "12.00", false}, // exact text kept
		{`12.00`, "12.00", false},
		{`"-1"`, "-1", false},
		{`0`, "0", false},
		{`""`, "", false},
		{`null`, "", false},
		{`"abc"`, "", true},
		{`1e3`, "", true},
		{`"1,000"`, "", true},
		{`".5"`, "", true},
		{`"5."`, "", true},
		{`"--1"`, "", true},
		{`true`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := decodeField[Decimal](tt.raw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecimalUnits(t *testing.T) {
	tests := []struct {
		d       Decimal
		scale   int
		want    int64
		wantErr bool
	}{
		{"12.34", 2, 1234, false},
		{"12.3", 2, 1230, false},
		{"12", 2, 1200, false},
		{"12.300", 2, 1230, false}, // trailing zeros are not precision
		{"-0.5", 2, -50, false},
		{"0", 0, 0, false},
		{"4.5", 0, 0, true}, // would need rounding
		{"12.345", 2, 0, true},
		{"", 2, 0, true},
		{"abc", 2, 0, true},
		{"99999999999999999999", 2, 0, true},
		{"1", -1, 0, true},
	}
	for _, tt := range tests {
		t.Run(string(tt.d), func(t *testing.T) {
			got, err := tt.d.Units(tt.scale)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Units(%d) err = %v, wantErr %v", tt.scale, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Units(%d) = %d, want %d", tt.scale, got, tt.want)
			}
		})
	}
}

func TestDecimalRat(t *testing.T) {
	r, ok := Decimal("4.50").Rat()
	if !ok || r.RatString() != "9/2" {
		t.Fatalf("Rat(4.50) = %v, %v", r, ok)
	}
	if _, ok := Decimal("").Rat(); ok {
		t.Error("Rat of empty Decimal reported ok")
	}
}

func TestStringListUnmarshal(t *testing.T) {
	tests := []struct {
		raw     string
		want    StringList
		wantErr bool
	}{
		{`"8986001"`, StringList{"8986001"}, false},
		{`["8986001","8986002"]`, StringList{"8986001", "8986002"}, false},
		{`[8986001]`, StringList{"8986001"}, false},
		{`["8986001",""]`, StringList{"8986001"}, false},
		{`[]`, StringList{}, false},
		{`null`, nil, false},
		{`""`, nil, false},
		{`{}`, nil, true},
		{`[true]`, nil, true},
		{`[["a"]]`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := decodeField[StringList](tt.raw)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestScalarsMarshalAsStrings(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"Int", Int(5), `"5"`},
		{"negative Int", Int(-1), `"-1"`},
		{"String", String("a\"b"), `"a\"b"`},
		{"Code", Code("1000"), `"1000"`},
		{"Decimal", Decimal("4.50"), `"4.50"`},
		{"StringList", StringList{"1", "2"}, `["1","2"]`},
		{"nil StringList", StringList(nil), `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal = %s, want %s", got, tt.want)
			}
		})
	}
}
