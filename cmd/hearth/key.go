package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/secret"
	"github.com/hearth-hmis/hearth/internal/sites"
	"github.com/hearth-hmis/hearth/internal/store"
)

// hearth key rotate [--new-key-file FILE]: seal everything sealed with the
// site key (SSNs, sensitive client fields, two-factor secrets) again under
// a new key (issue 6 item 7). The key belongs to the data folder and every
// site in it, so every site is rotated, each in one transaction; a site
// already under the new key is skipped, so an interrupted rotation is
// finished by running the command again.
//
// With the key in DATA/secret.key, the new key (a random one, or the one
// of --new-key-file) is first written to DATA/secret.key.new, and only
// when every site is done does it replace secret.key. With
// HEARTH_SECRET_KEY, --new-key-file is required, and the variable must be
// set to the new key before Hearth starts again. Run it with Hearth
// stopped.

func runKey(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "rotate" {
		return usagef("key: want 'hearth key rotate [--new-key-file FILE]'")
	}
	var c commonFlags
	var newFile string
	fset := newFlagSet("key rotate", "[--data DIR] [--new-key-file FILE]")
	c.register(fset, false, false)
	fset.StringVar(&newFile, "new-key-file", "", "the new key, base64 of 32 bytes (openssl rand -base64 32), mode 0600; default: a new random key")
	rest, err := parse(fset, args[1:], e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("key rotate: unexpected argument %q", rest[0])
	}
	cfg, err := loadConfig(e, c)
	if err != nil {
		return err
	}
	if cfg.SecretKey != "" && newFile == "" {
		return usagef("key rotate: the key comes from %s: make a new key (openssl rand -base64 32 > new.key; chmod 600 new.key), "+
			"run hearth key rotate --new-key-file new.key, then set %s to it", secret.EnvVar, secret.EnvVar)
	}
	oldKey, err := secret.Load(cfg.SecretKey, cfg.DataDir)
	if err != nil {
		return err
	}
	// The new key, staged in secret.key.new when the key lives in a file
	// (so that a crash never loses it).
	staged := filepath.Join(cfg.DataDir, secret.FileName+".new")
	var newKey *secret.Key
	var b64 string
	_, statErr := os.Stat(staged)
	switch {
	case cfg.SecretKey == "" && statErr == nil:
		// An interrupted rotation: finish it with the staged key.
		if newKey, b64, err = secret.ReadFile(staged); err != nil {
			return err
		}
		if newFile != "" {
			if _, v, err := secret.ReadFile(newFile); err != nil {
				return err
			} else if v != b64 {
				return fmt.Errorf("key rotate: %s holds the new key of an interrupted rotation: finish it first (run without --new-key-file)", staged)
			}
		}
		fmt.Fprintf(e.stdout, "finishing the interrupted rotation to the key in %s\n", staged)
	case cfg.SecretKey == "" && !errors.Is(statErr, fs.ErrNotExist):
		return statErr
	case cfg.SecretKey == "":
		if newFile != "" {
			newKey, b64, err = secret.ReadFile(newFile)
		} else {
			newKey, b64, err = secret.Generate()
		}
		if err != nil {
			return err
		}
		if err := secret.WriteFile(staged, b64); err != nil {
			return err
		}
	default:
		if newKey, _, err = secret.ReadFile(newFile); err != nil {
			return err
		}
	}
	sys := hmis.NewContext(ctx, hmis.SystemActor("cli"))
	for _, sc := range cfg.Sites {
		opts := sites.StoreOptions(cfg, sc)
		opts.Key = oldKey
		st, err := store.Open(ctx, opts)
		if err != nil {
			return fmt.Errorf("site %s: %w", sc.Slug, err)
		}
		if _, err := st.Migrate(ctx); err != nil {
			st.Close()
			return fmt.Errorf("site %s: %w", sc.Slug, err)
		}
		n, err := st.RotateKey(sys, newKey)
		st.Close()
		if err != nil {
			return fmt.Errorf("site %s: nothing changed on this site: %w", sc.Slug, err)
		}
		if n.Already {
			fmt.Fprintf(e.stdout, "site %s: already under the new key\n", sc.Slug)
			continue
		}
		fmt.Fprintf(e.stdout, "site %s: sealed again under the new key: %d SSNs, %d sensitive field values, %d two-factor secrets\n",
			sc.Slug, n.SSNs, n.Fields, n.TOTP)
	}
	if cfg.SecretKey == "" {
		if err := os.Rename(staged, filepath.Join(cfg.DataDir, secret.FileName)); err != nil {
			return fmt.Errorf("key rotate: every site is under the new key, but %s could not replace %s (do it by hand): %w",
				staged, secret.FileName, err)
		}
		fmt.Fprintf(e.stdout, "%s now holds the new key. Back it up apart from the database backups.\n", filepath.Join(cfg.DataDir, secret.FileName))
	} else {
		fmt.Fprintf(e.stdout, "Set %s to the new key (the contents of %s) before starting Hearth again.\n", secret.EnvVar, newFile)
	}
	fmt.Fprintln(e.stdout, "The old key is no longer needed, except to restore a database backup made before this rotation: keep it with those backups, or destroy it with them.")
	return nil
}
