package mail

import (
	"fmt"
	"strings"
	"testing"
)

// fmtAll formats v with the verbs a log line might use.
func fmtAll(v any) string {
	return fmt.Sprintf("%v %+v %s %#v", v, v, v, v)
}

func TestParseSMTPURL(t *testing.T) {
	const secret = "s3cr:t/p@ss#?"
	enc := "s3cr%3At%2Fp%40ss%23%3F"
	tests := []struct {
		raw     string
		want    SMTPConfig
		wantErr string
	}{
		{raw: "smtp://user:" + enc + "@smtp.example.com", want: SMTPConfig{Host: "smtp.example.com", Port: 587, Username: "user", Password: secret, Mode: ModeSTARTTLS}},
		{raw: "smtps://user:" + enc + "@smtp.example.com", want: SMTPConfig{Host: "smtp.example.com", Port: 465, Username: "user", Password: secret, Mode: ModeTLS}},
		{raw: "smtp://apikey%40shop:" + enc + "@smtp.example.com:2525/", want: SMTPConfig{Host: "smtp.example.com", Port: 2525, Username: "apikey@shop", Password: secret, Mode: ModeSTARTTLS}},
		{raw: "SMTP://relay.example.com:25", want: SMTPConfig{Host: "relay.example.com", Port: 25, Mode: ModeSTARTTLS}},
		{raw: "smtp://localhost:1025?insecure_plain=1", want: SMTPConfig{Host: "localhost", Port: 1025, Mode: ModePlain}},
		{raw: "smtp://[::1]:1025?insecure_plain=1", want: SMTPConfig{Host: "::1", Port: 1025, Mode: ModePlain}},
		{raw: "smtp://u:" + enc + "@127.0.0.1:1025?insecure_plain=1", want: SMTPConfig{Host: "127.0.0.1", Port: 1025, Mode: ModePlain, Username: "u", Password: secret}},
		{raw: "", wantErr: "SMTP_URL is empty"},
		{raw: "http://user:" + enc + "@smtp.example.com", wantErr: "smtp:// or smtps://"},
		{raw: "smtp://user:" + enc + "@:587", wantErr: "no host"},
		{raw: "smtp:///", wantErr: "no host"},
		{raw: "smtp://user:" + enc + "@smtp.example.com:99999", wantErr: "invalid port"},
		{raw: "smtp://user:" + secret + "@smtp.example.com", wantErr: "SMTP_URL"},
		{raw: "smtp://user:12/" + "ss@smtp.example.com", wantErr: "path"},
		{raw: "smtp://user:pa%zzss@smtp.example.com", wantErr: "not a valid URL"},
		{raw: "smtp://smtp.example.com:1025?insecure_plain=1", wantErr: "loopback"},
		{raw: "smtps://localhost:1025?insecure_plain=1", wantErr: "only goes with smtp://"},
		{raw: "smtp://localhost:1025?insecure_plain=yes", wantErr: "insecure_plain must be 1"},
		{raw: "smtp://localhost:1025?tls=off", wantErr: "unknown parameter"},
		{raw: "smtp://user@smtp.example.com", wantErr: "together"},
		{raw: "smtp://:" + enc + "@smtp.example.com", wantErr: "together"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := ParseSMTPURL(tt.raw)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("no error, got %v", got)
				}
				if !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "SMTP_URL") {
					t.Errorf("error %q, want it to name SMTP_URL and contain %q", err, tt.wantErr)
				}
				for _, leak := range []string{secret, enc, "s3cr", "ss@smtp"} {
					if strings.Contains(err.Error(), leak) {
						t.Errorf("error %q leaks %q", err, leak)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Host != tt.want.Host || got.Port != tt.want.Port || got.Mode != tt.want.Mode ||
				got.Username != tt.want.Username || got.Password != tt.want.Password {
				t.Errorf("got %+v (password %q), want %+v (password %q)", got, got.Password, tt.want, tt.want.Password)
			}
			if s := fmtAll(got); strings.Contains(s, secret) || strings.Contains(s, enc) {
				t.Errorf("formatted config leaks the password: %s", s)
			}
		})
	}
}

func TestSMTPConfigString(t *testing.T) {
	tests := []struct {
		cfg  SMTPConfig
		want string
	}{
		{SMTPConfig{Host: "smtp.example.com", Port: 587, Username: "user", Password: "hunter2"}, "smtp://user:xxxxx@smtp.example.com:587"},
		{SMTPConfig{Host: "smtp.example.com", Port: 465, Mode: ModeTLS}, "smtps://smtp.example.com:465"},
		{SMTPConfig{Host: "::1", Port: 1025, Mode: ModePlain}, "smtp://[::1]:1025?insecure_plain=1"},
	}
	for _, tt := range tests {
		if got := tt.cfg.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
		if strings.Contains(fmtAll(tt.cfg), "hunter2") {
			t.Errorf("password in %s", fmtAll(tt.cfg))
		}
	}
}

func TestSMTPConfigValidate(t *testing.T) {
	ok := SMTPConfig{Host: "smtp.example.com", Port: 587}
	tests := []struct {
		name   string
		modify func(*SMTPConfig)
		ok     bool
	}{
		{"minimal", func(*SMTPConfig) {}, true},
		{"no host", func(c *SMTPConfig) { c.Host = "" }, false},
		{"port 0", func(c *SMTPConfig) { c.Port = 0 }, false},
		{"unknown mode", func(c *SMTPConfig) { c.Mode = "ssl" }, false},
		{"plain remote", func(c *SMTPConfig) { c.Mode = ModePlain }, false},
		{"plain loopback", func(c *SMTPConfig) { c.Mode, c.Host = ModePlain, "127.0.0.2" }, true},
		{"password only", func(c *SMTPConfig) { c.Password = "x" }, false},
		{"bad from", func(c *SMTPConfig) { c.From = "not an address" }, false},
		{"helo with newline", func(c *SMTPConfig) { c.HeloName = "a\r\nMAIL FROM:<x@y>" }, false},
	}
	for _, tt := range tests {
		c := ok
		tt.modify(&c)
		if err := c.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}
