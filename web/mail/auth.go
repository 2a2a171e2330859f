package mail

import (
	"errors"
	"net/smtp"
)

// errClearAuth stops credentials from crossing a network unencrypted.
var errClearAuth = errors.New("refusing to send credentials over an unencrypted connection")

// plainAuth is AUTH PLAIN (RFC 4616). net/smtp's PlainAuth would do, but
// its idea of "local" is narrower than isLoopback, which the rest of the
// package uses.
type plainAuth struct{ user, pass, host string }

// Start sends the credentials as the initial response.
func (a *plainAuth) Start(si *smtp.ServerInfo) (string, []byte, error) {
	if err := checkAuthServer(si, a.host); err != nil {
		return "", nil, err
	}
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

// Next refuses further challenges: PLAIN is one round trip.
func (a *plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected AUTH PLAIN challenge")
	}
	return nil, nil
}

// loginAuth is the legacy AUTH LOGIN, used only when a relay offers
// nothing better: user name, then password, each in answer to a prompt.
type loginAuth struct {
	user, pass, host string
	step             int
}

// Start begins the exchange without an initial response.
func (a *loginAuth) Start(si *smtp.ServerInfo) (string, []byte, error) {
	if err := checkAuthServer(si, a.host); err != nil {
		return "", nil, err
	}
	a.step = 0
	return "LOGIN", nil, nil
}

// Next answers the prompts by position: servers word them differently
// ("Username:", "User Name"), but the order is always the same.
func (a *loginAuth) Next(_ []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.user), nil
	case 2:
		return []byte(a.pass), nil
	}
	return nil, errors.New("unexpected AUTH LOGIN challenge")
}

// checkAuthServer allows credentials only over TLS or to loopback, and
// only to the host that was dialled.
func checkAuthServer(si *smtp.ServerInfo, host string) error {
	if si.Name != host {
		return errors.New("AUTH server name does not match the configured host")
	}
	if !si.TLS && !isLoopback(host) {
		return errClearAuth
	}
	return nil
}

// pickAuth chooses PLAIN, else LOGIN, among the mechanisms the server
// lists after AUTH in its EHLO reply; nil when neither is offered.
func pickAuth(mechs, user, pass, host string) smtp.Auth {
	var hasPlain, hasLogin bool
	for _, m := range splitFields(mechs) {
		switch m {
		case "PLAIN":
			hasPlain = true
		case "LOGIN":
			hasLogin = true
		}
	}
	switch {
	case hasPlain:
		return &plainAuth{user: user, pass: pass, host: host}
	case hasLogin:
		return &loginAuth{user: user, pass: pass, host: host}
	}
	return nil
}
