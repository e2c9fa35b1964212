package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"jinwei/dashboard"
)

// userCmd adds an account to the config file with a fresh random password, printed once.
func userCmd(_ context.Context, args []string, out io.Writer, _ *slog.Logger) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("user needs a subcommand: add NAME --role ROLE")
	}
	// The account goes into the config file, which this may be the first to write.
	path, _ := configPath(args[1:])
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			return fmt.Errorf("user add: %w", err)
		}
	}
	var role string
	cfg, rest, err := parseFlags("user add", args[1:], out, func(fs *flag.FlagSet, _ *config) {
		fs.StringVar(&role, "role", dashboard.RoleViewer, "viewer, analyst or admin")
	})
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("user add: name one user")
	}
	name := rest[0]
	if !dashboard.ValidRole(role) {
		return fmt.Errorf("user add: role %q is not viewer, analyst or admin", role)
	}
	if slices.ContainsFunc(cfg.Users, func(u dashboard.User) bool { return u.Name == name }) {
		return fmt.Errorf("user add: %s exists already", name)
	}
	var b [15]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	password := base64.RawURLEncoding.EncodeToString(b[:])
	hash, err := dashboard.HashPassword(password)
	if err != nil {
		return err
	}
	entry := fmt.Sprintf("\n[[users]]\nname = %q\nrole = %q\npassword_hash = %q\n", name, role, hash)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("user add: %w", err)
	}
	if _, err := f.WriteString(entry); err != nil {
		f.Close()
		return fmt.Errorf("user add: %w", err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(out, "added %s (%s) to %s\npassword (shown once, not stored): %s\nrestart `jinwei serve` to use it\n", name, role, path, password)
	return nil
}

// sessionKey is the configured key, or one kept in the data directory (made on first use),
// so sessions survive restarts without a secret in the config.
func sessionKey(cfg *config) ([]byte, error) {
	if cfg.SessionKey != "" {
		return []byte(cfg.SessionKey), nil
	}
	path := filepath.Join(cfg.DataDir, "session.key")
	key, err := os.ReadFile(path)
	if err == nil && len(key) >= 32 {
		return key, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	key = make([]byte, 48)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, key, 0o600); err != nil {
		return nil, fmt.Errorf("keep session key: %w", err)
	}
	return key, nil
}

func sessionTTL(cfg *config) time.Duration {
	d, _ := time.ParseDuration(cfg.SessionTTL)
	return d
}
