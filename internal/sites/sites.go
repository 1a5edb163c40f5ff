// Package sites opens the databases of the configured sites: on SQLite
// one file per site (DataDir/<slug>.db); on PostgreSQL one schema per site
// (hearth_<slug>) in the database of HEARTH_DATABASE_URL.
package sites

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/secret"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Site is a configured site with its open store.
type Site struct {
	config.Site
	Store *store.Store
}

// Registry is the set of open sites, live first.
type Registry struct {
	list []*Site
	key  *secret.Key
}

// StoreOptions returns how the given site's database is opened.
func StoreOptions(cfg config.Config, s config.Site) store.Options {
	if cfg.DatabaseURL != "" {
		prefix := cfg.SchemaPrefix
		if prefix == "" {
			prefix = "hearth_"
		}
		return store.Options{URL: cfg.DatabaseURL, Schema: prefix + s.Slug}
	}
	return store.Options{Path: filepath.Join(cfg.DataDir, s.Slug+".db")}
}

// Open opens every site's store. With migrate, pending migrations are
// applied; without, a store whose schema is not current is an error.
func Open(ctx context.Context, cfg config.Config, migrate bool) (*Registry, error) {
	// The site key (HEARTH_SECRET_KEY or DATA/secret.key, created 0600 on
	// first use) is read once: every store seals SSNs with it.
	key, err := secret.Load(cfg.SecretKey, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	r := &Registry{key: key}
	// Live first, then the others in file order.
	ordered := make([]config.Site, 0, len(cfg.Sites))
	for _, s := range cfg.Sites {
		if !s.Training {
			ordered = append(ordered, s)
		}
	}
	for _, s := range cfg.Sites {
		if s.Training {
			ordered = append(ordered, s)
		}
	}
	for _, sc := range ordered {
		opts := StoreOptions(cfg, sc)
		opts.Key = key
		st, err := store.Open(ctx, opts)
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("site %s: %w", sc.Slug, err)
		}
		r.list = append(r.list, &Site{Site: sc, Store: st})
		if migrate {
			_, err = st.Migrate(ctx)
		} else {
			err = st.CheckSchema(ctx)
		}
		if err == nil {
			// SSNs stored in clear by an older Hearth are sealed once.
			_, err = st.SealSSNs(ctx)
		}
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("site %s: %w", sc.Slug, err)
		}
	}
	return r, nil
}

// Key is the site key the stores were opened with.
func (r *Registry) Key() *secret.Key { return r.key }

// All returns the sites, live first.
func (r *Registry) All() []*Site { return r.list }

// Get returns the site with the given slug.
func (r *Registry) Get(slug string) (*Site, bool) {
	for _, s := range r.list {
		if s.Slug == slug {
			return s, true
		}
	}
	return nil, false
}

// Close closes every store.
func (r *Registry) Close() {
	for _, s := range r.list {
		s.Store.Close()
	}
}
