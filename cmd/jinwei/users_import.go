package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"jinwei/dashboard"
)

// importUsers adds the accounts of a CSV (unit, name, contact) and hands out their first
// passwords once: printed, or written to a new file only its owner may read. The password
// file is made before any account is, so a file that cannot be written adds nobody.
func importUsers(ctx context.Context, cfg *config, path, passwords string, out io.Writer, log *slog.Logger) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("user import: %w", err)
	}
	list, err := dashboard.ReadAccountsCSV(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("user import %s: %w", path, err)
	}
	dest := out
	var pwFile *os.File
	if passwords != "" {
		// O_EXCL: never overwrite (or follow a link to) a file someone else prepared.
		pwFile, err = os.OpenFile(passwords, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return fmt.Errorf("user import: the password file: %w", err)
		}
		dest = pwFile
	}
	ops, done, err := openAccounts(ctx, cfg, out, log)
	if err == nil {
		defer done()
		var secrets []dashboard.Secret
		if secrets, err = ops.importUsers(ctx, list); err == nil {
			err = writeSecrets(dest, list, secrets)
		} else if len(secrets) > 0 {
			err = errors.Join(err, writeSecrets(dest, list, secrets))
		}
	}
	if pwFile != nil {
		if cerr := pwFile.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			if info, serr := os.Stat(passwords); serr == nil && info.Size() == 0 {
				os.Remove(passwords)
			}
		}
	}
	if err != nil {
		return fmt.Errorf("user import: %w", err)
	}
	if pwFile != nil {
		fmt.Fprintf(out, "imported %d accounts; their first passwords are in %s (readable only by you): hand each its own, then delete the file\n", len(list), passwords)
	}
	return nil
}

// writeSecrets writes the accounts with their first passwords as CSV.
func writeSecrets(w io.Writer, list []dashboard.NewAccount, secrets []dashboard.Secret) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"unit", "name", "contact", "role", "password"})
	for i, s := range secrets {
		contact := ""
		if i < len(list) {
			contact = list[i].Contact
		}
		_ = cw.Write([]string{s.Unit, s.Name, contact, s.Role, s.Password})
	}
	cw.Flush()
	return cw.Error()
}
