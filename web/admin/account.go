package admin

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/esimshop/esimshop/store"
)

// PasswordCost is the bcrypt cost of new hashes: bcryptCost, lowered by
// the tests only (bcrypt under the race detector takes seconds per hash).
var PasswordCost = bcryptCost

// dummyHash is compared against when the email is unknown, so a wrong
// email costs as much time as a wrong password and timing does not reveal
// which emails have an account.
var dummyHash = sync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte("not-a-real-password-just-for-timing"), PasswordCost)
	if err != nil {
		panic(err) // only fails for passwords over 72 bytes
	}
	return h
})

// ErrWeakPassword is wrapped by HashPassword's error for a password that is
// too short or too long.
var ErrWeakPassword = errors.New("password rejected")

// HashPassword checks an admin password (at least 12 characters, at most
// 72 bytes, bcrypt's limit) and hashes it with bcrypt.
func HashPassword(pw string) (string, error) {
	switch {
	case utf8.RuneCountInString(pw) < minPasswordLen:
		return "", fmt.Errorf("%w: it must be at least %d characters long", ErrWeakPassword, minPasswordLen)
	case len(pw) > maxPasswordLen:
		return "", fmt.Errorf("%w: it must be at most %d bytes long (bcrypt ignores the rest)", ErrWeakPassword, maxPasswordLen)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), PasswordCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// CreateAccount creates an admin account (esimshop admin create). The email
// is normalised by the store; an existing one is a store.ECONFLICT error.
func CreateAccount(ctx context.Context, db *store.DB, email, password string) error {
	h, err := HashPassword(password)
	if err != nil {
		return err
	}
	_, err = db.CreateAdmin(ctx, email, h)
	return err
}

// EnsureAccount creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD
// when no admin exists yet; once one exists it does nothing, so the
// environment can never reset a password an operator changed.
func EnsureAccount(ctx context.Context, db *store.DB, email, password string) (created bool, err error) {
	n, err := db.CountAdmins(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	if err := CreateAccount(ctx, db, email, password); err != nil {
		return false, err
	}
	return true, nil
}
