package main

import (
	"context"
	"fmt"
	"text/tabwriter"
)

// hearth site list: slug, title, live or training.
func runSite(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "list" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stdout, "Usage: hearth site list [--data DIR]")
			return nil
		}
		return usagef("site: want 'hearth site list'")
	}
	var c commonFlags
	fs := newFlagSet("site list", "[--data DIR]")
	c.register(fs, false, false)
	rest, err := parse(fs, args[1:], e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("site list: unexpected argument %q", rest[0])
	}
	cfg, err := loadConfig(e, c)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tTITLE\tKIND")
	for _, s := range cfg.Sites {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", s.Slug, s.Title, s.Kind())
	}
	return tw.Flush()
}
