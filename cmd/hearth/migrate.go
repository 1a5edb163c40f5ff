package main

import (
	"context"
	"fmt"

	"github.com/hearth-hmis/hearth/internal/sites"
	"github.com/hearth-hmis/hearth/internal/store"
)

// hearth migrate: apply pending migrations to every site's database.
func runMigrate(ctx context.Context, e env, args []string) error {
	var c commonFlags
	fs := newFlagSet("migrate", "[--data DIR]")
	c.register(fs, false, false)
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("migrate: unexpected argument %q", rest[0])
	}
	cfg, err := loadConfig(e, c)
	if err != nil {
		return err
	}
	for _, sc := range cfg.Sites {
		st, err := store.Open(ctx, sites.StoreOptions(cfg, sc))
		if err != nil {
			return fmt.Errorf("site %s: %w", sc.Slug, err)
		}
		n, err := st.Migrate(ctx)
		if err != nil {
			st.Close()
			return fmt.Errorf("site %s: %w", sc.Slug, err)
		}
		have, _, err := st.SchemaVersion(ctx)
		st.Close()
		if err != nil {
			return fmt.Errorf("site %s: %w", sc.Slug, err)
		}
		fmt.Fprintf(e.stdout, "site %s: applied %d migration(s), schema version %d\n", sc.Slug, n, have)
	}
	return nil
}
