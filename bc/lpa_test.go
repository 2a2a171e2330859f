package bc

import (
	"strings"
	"testing"
)

func TestParseLPA(t *testing.T) {
	const ac = "2C13942911FF452AB45E9E99A5D444A1"
	tests := []struct {
		name    string
		in      string
		want    LPA
		wantErr string
	}{
		{name: "vendor example", in: "LPA:1$SECSMSMINIAPP.EASTCOMPEACE.COM$" + ac,
			want: LPA{SMDP: "SECSMSMINIAPP.EASTCOMPEACE.COM", ActivationCode: ac, Raw: "LPA:1$SECSMSMINIAPP.EASTCOMPEACE.COM$" + ac}},
		{name: "whitespace and lowercase prefix", in: " \tlpa:1$smdp.example.com$" + ac + "\r\n",
			want: LPA{SMDP: "smdp.example.com", ActivationCode: ac, Raw: "lpa:1$smdp.example.com$" + ac}},
		{name: "port", in: "LPA:1$smdp.example.com:8443$K2-1",
			want: LPA{SMDP: "smdp.example.com:8443", ActivationCode: "K2-1", Raw: "LPA:1$smdp.example.com:8443$K2-1"}},
		{name: "vendor-style confirmation flag in 4th field", in: "LPA:1$smdp.example.com$AC$1",
			want: LPA{SMDP: "smdp.example.com", ActivationCode: "AC", ConfirmationRequired: true, Raw: "LPA:1$smdp.example.com$AC$1"}},
		{name: "SGP.22 flag after empty OID", in: "LPA:1$smdp.example.com$AC$$1",
			want: LPA{SMDP: "smdp.example.com", ActivationCode: "AC", ConfirmationRequired: true, Raw: "LPA:1$smdp.example.com$AC$$1"}},
		{name: "OID", in: "LPA:1$smdp.example.com$AC$1.3.6.1.4.1.31746",
			want: LPA{SMDP: "smdp.example.com", ActivationCode: "AC", OID: "1.3.6.1.4.1.31746", Raw: "LPA:1$smdp.example.com$AC$1.3.6.1.4.1.31746"}},
		{name: "OID and flag", in: "LPA:1$smdp.example.com$AC$1.3.6$1",
			want: LPA{SMDP: "smdp.example.com", ActivationCode: "AC", OID: "1.3.6", ConfirmationRequired: true, Raw: "LPA:1$smdp.example.com$AC$1.3.6$1"}},
		{name: "single-label host", in: "LPA:1$localhost$AC",
			want: LPA{SMDP: "localhost", ActivationCode: "AC", Raw: "LPA:1$localhost$AC"}},

		{name: "empty", in: "", wantErr: `does not start with "LPA:"`},
		{name: "no prefix", in: "1$smdp.example.com$AC", wantErr: `does not start with "LPA:"`},
		{name: "URL", in: "https://smdp.example.com/AC", wantErr: `does not start with "LPA:"`},
		{name: "version 2", in: "LPA:2$smdp.example.com$AC", wantErr: "unsupported format"},
		{name: "no activation code field", in: "LPA:1$smdp.example.com", wantErr: "needs an SM-DP+ address"},
		{name: "empty activation code", in: "LPA:1$smdp.example.com$", wantErr: "activation code is empty"},
		{name: "empty SM-DP+", in: "LPA:1$$AC", wantErr: "not a hostname"},
		{name: "host with underscore", in: "LPA:1$smdp_x.example.com$AC", wantErr: "not a hostname"},
		{name: "host with scheme", in: "LPA:1$https://smdp.example.com$AC", wantErr: "invalid port"},
		{name: "host with path", in: "LPA:1$smdp.example.com/x$AC", wantErr: "not a hostname"},
		{name: "empty label", in: "LPA:1$smdp..example.com$AC", wantErr: "not a hostname"},
		{name: "trailing dot", in: "LPA:1$smdp.example.com.$AC", wantErr: "not a hostname"},
		{name: "label starts with hyphen", in: "LPA:1$-smdp.example.com$AC", wantErr: "not a hostname"},
		{name: "port zero", in: "LPA:1$smdp.example.com:0$AC", wantErr: "invalid port"},
		{name: "port too big", in: "LPA:1$smdp.example.com:65536$AC", wantErr: "invalid port"},
		{name: "port signed", in: "LPA:1$smdp.example.com:+1$AC", wantErr: "invalid port"},
		{name: "space in code", in: "LPA:1$smdp.example.com$A C", wantErr: "not printable ASCII"},
		{name: "non-ASCII code", in: "LPA:1$smdp.example.com$ÄC", wantErr: "not printable ASCII"},
		{name: "control char in code", in: "LPA:1$smdp.example.com$A\x00C", wantErr: "not printable ASCII"},
		{name: "code too long", in: "LPA:1$smdp.example.com$" + strings.Repeat("A", 256), wantErr: "too long"},
		{name: "bad OID", in: "LPA:1$smdp.example.com$AC$abc", wantErr: "not an SM-DP+ OID"},
		{name: "single-arc OID with flag field", in: "LPA:1$smdp.example.com$AC$1$1", wantErr: "not an SM-DP+ OID"},
		{name: "bad flag", in: "LPA:1$smdp.example.com$AC$$yes", wantErr: "confirmation flag"},
		{name: "too many fields", in: "LPA:1$smdp.example.com$AC$$1$x", wantErr: "too many"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLPA(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestLPAString(t *testing.T) {
	tests := []struct {
		l    LPA
		want string
	}{
		{LPA{SMDP: "a.b", ActivationCode: "C"}, "LPA:1$a.b$C"},
		{LPA{SMDP: "a.b", ActivationCode: "C", OID: "1.2"}, "LPA:1$a.b$C$1.2"},
		{LPA{SMDP: "a.b", ActivationCode: "C", ConfirmationRequired: true}, "LPA:1$a.b$C$$1"},
		{LPA{SMDP: "a.b", ActivationCode: "C", OID: "1.2", ConfirmationRequired: true}, "LPA:1$a.b$C$1.2$1"},
	}
	for _, tt := range tests {
		if got := tt.l.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func FuzzParseLPA(f *testing.F) {
	for _, s := range []string{
		"LPA:1$SECSMSMINIAPP.EASTCOMPEACE.COM$2C13942911FF452AB45E9E99A5D444A1",
		" lpa:1$smdp.example.com:8443$AC$1.3.6$1 ",
		"LPA:1$smdp.example.com$AC$1",
		"LPA:1$smdp.example.com$AC$$",
		"LPA:1$$",
		"LPA:",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLPA(s)
		if err != nil {
			return
		}
		if l.Raw != strings.TrimSpace(s) {
			t.Fatalf("Raw %q is not the trimmed input %q", l.Raw, s)
		}
		for _, again := range []string{l.Raw, l.String()} {
			m, err := ParseLPA(again)
			if err != nil {
				t.Fatalf("ParseLPA(%q) ok, but ParseLPA(%q) failed: %v", s, again, err)
			}
			m.Raw = l.Raw
			if m != l {
				t.Fatalf("round trip of %q via %q: got %+v, want %+v", s, again, m, l)
			}
		}
	})
}
