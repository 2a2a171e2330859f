package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web"
	"github.com/esimshop/esimshop/web/admin"
)

// dbFlag declares the -db flag with its DB_PATH fallback.
func dbFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	def := strings.TrimSpace(getenv("DB_PATH"))
	if def == "" {
		def = "esimshop.db"
	}
	return fs.String("db", def, "SQLite database file (env DB_PATH)")
}

// runBackup writes a consistent copy of the database with VACUUM INTO,
// safe while the shop is running. Restore: stop the shop, replace the
// database file with the copy (and remove any -wal/-shm files next to
// it), start the shop.
func runBackup(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("esimshop backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := dbFlag(fs, getenv)
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: esimshop backup [-db FILE] DEST") }
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("backup needs exactly one destination file")
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("database %s: %w", *dbPath, err)
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start := time.Now()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return fmt.Errorf("backup failed: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "backup of %s written to %s in %s\n", *dbPath, fs.Arg(0), time.Since(start).Round(time.Millisecond))
	return err
}

// runAdmin handles "admin create --email ADDR": the password is read from
// the terminal without echo (or, when stdin is not a terminal, from its
// first line, for scripts).
func runAdmin(args []string, getenv func(string) string, stdin *os.File, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "unlock" {
		return runAdminUnlock(args[1:], getenv, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: esimshop admin create --email ADDR [-db FILE] | esimshop admin unlock [-db FILE]")
	}
	fs := flag.NewFlagSet("esimshop admin create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := dbFlag(fs, getenv)
	email := fs.String("email", "", "the admin's email address")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if strings.TrimSpace(*email) == "" || fs.NArg() > 0 {
		return errors.New("usage: esimshop admin create --email ADDR [-db FILE]")
	}
	password, err := readPassword(stdin, stdout)
	if err != nil {
		return err
	}
	hash, err := admin.HashPassword(password)
	if err != nil {
		return err
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := db.CreateAdmin(context.Background(), *email, hash)
	if err != nil {
		return fmt.Errorf("creating admin: %s", store.ErrorMessage(err))
	}
	_, err = fmt.Fprintf(stdout, "admin %s created\n", a.Email)
	return err
}

// readPassword asks for a password twice on a terminal, or reads one line
// from a pipe.
func readPassword(stdin *os.File, stdout io.Writer) (string, error) {
	fd := int(stdin.Fd())
	if !term.IsTerminal(fd) {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fmt.Fprint(stdout, "Password: ")
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(stdout)
	if err != nil {
		return "", err
	}
	fmt.Fprint(stdout, "Repeat password: ")
	second, err := term.ReadPassword(fd)
	fmt.Fprintln(stdout)
	if err != nil {
		return "", err
	}
	if string(first) != string(second) {
		return "", errors.New("the passwords do not match")
	}
	return string(first), nil
}

// runAdminUnlock forgets every recorded failed sign-in, lifting the
// sign-in rate limit at once (e.g. when someone keeps the operator's
// account locked by guessing its password).
func runAdminUnlock(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("esimshop admin unlock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := dbFlag(fs, getenv)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.PurgeLoginAttempts(context.Background(), time.Now().Add(time.Minute))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%d recorded sign-in attempts forgotten; sign-in is unlocked\n", n)
	return err
}

// runImportWP handles "import-wp [-db FILE] [-lang en] FILE": a WordPress
// export (Tools → Export → All content) into the shop's pages, guides and
// redirects. Safe to run again: the second run changes nothing. The
// shop may be running; it shows the import after its next restart or
// any edit in the admin's Pages.
func runImportWP(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("esimshop import-wp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := dbFlag(fs, getenv)
	lang := fs.String("lang", "", "language of posts that name none (default: the shop's, en)")
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: esimshop import-wp [-db FILE] [-lang en|es] EXPORT.xml") }
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("import-wp needs exactly one WordPress export file")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := store.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	rep, err := web.ImportWordPress(ctx, db, f, *lang)
	if _, werr := io.WriteString(stdout, rep.String()); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		return fmt.Errorf("import stopped: %w", err)
	}
	return nil
}
