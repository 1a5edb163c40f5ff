package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/sites"
)

// commonFlags are the flags every data subcommand takes.
type commonFlags struct {
	data string
	site string
	as   string
}

// newFlagSet returns a FlagSet that reports errors instead of exiting.
func newFlagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("hearth "+name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: hearth %s %s\n\nFlags:\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

func (c *commonFlags) register(fs *flag.FlagSet, withSite, withAs bool) {
	fs.StringVar(&c.data, "data", "", "data folder (default $HEARTH_DATA or ./hearth-data)")
	if withSite {
		fs.StringVar(&c.site, "site", "", "site slug, e.g. live or training (required)")
	}
	if withAs {
		fs.StringVar(&c.as, "as", "", "act as this user: see and do exactly what they may (default: the system, audited as the command line)")
	}
}

// parse parses args; a parse error becomes a one-line usage error, and -h
// prints the usage to help and returns flag.ErrHelp. Positional arguments
// are returned.
func parse(fs *flag.FlagSet, args []string, help io.Writer) ([]string, error) {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(help)
		fs.Usage()
		return nil, flag.ErrHelp
	}
	if err != nil {
		return nil, usagef("%s: %v", fs.Name(), err)
	}
	return fs.Args(), nil
}

// loadConfig builds the configuration from defaults, HEARTH_* variables
// and the flags, and reads the site list.
func loadConfig(e env, c commonFlags) (config.Config, error) {
	cfg := config.Defaults()
	if err := cfg.FromEnv(e.getenv); err != nil {
		return cfg, usagef("%v", err)
	}
	if c.data != "" {
		cfg.DataDir = c.data
	}
	if err := cfg.LoadSites(); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// openSites loads the configuration and opens every site's store.
func openSites(ctx context.Context, e env, c commonFlags, migrate bool) (config.Config, *sites.Registry, error) {
	cfg, err := loadConfig(e, c)
	if err != nil {
		return cfg, nil, err
	}
	reg, err := sites.Open(ctx, cfg, migrate)
	return cfg, reg, err
}

// openSite opens the stores and returns the one named by --site, with ctx
// carrying the actor: the system, or the --as user.
func openSite(ctx context.Context, e env, c commonFlags) (context.Context, *sites.Registry, *sites.Site, error) {
	if c.site == "" {
		return ctx, nil, nil, usagef("--site is required")
	}
	cfg, err := loadConfig(e, c)
	if err != nil {
		return ctx, nil, nil, err
	}
	if _, ok := cfg.Site(c.site); !ok {
		var slugs []string
		for _, s := range cfg.Sites {
			slugs = append(slugs, s.Slug)
		}
		return ctx, nil, nil, usagef("no site %q (sites: %s)", c.site, strings.Join(slugs, ", "))
	}
	reg, err := sites.Open(ctx, cfg, true)
	if err != nil {
		return ctx, nil, nil, err
	}
	site, _ := reg.Get(c.site)
	actor := hmis.SystemActor("cli")
	if c.as != "" {
		sysCtx := hmis.NewContext(ctx, actor)
		acct, _, err := site.Store.FindAccountByUsername(sysCtx, c.as)
		if err != nil {
			reg.Close()
			if hmis.ErrorCode(err) == hmis.ENOTFOUND {
				return ctx, nil, nil, fmt.Errorf("--as: no user %q on site %s", c.as, c.site)
			}
			return ctx, nil, nil, err
		}
		if acct.Disabled {
			reg.Close()
			return ctx, nil, nil, fmt.Errorf("--as: user %q is disabled", c.as)
		}
		actor = acct.Actor("cli")
	}
	return hmis.NewContext(ctx, actor), reg, site, nil
}
