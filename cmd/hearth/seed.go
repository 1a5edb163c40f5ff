package main

import (
	"context"
	"fmt"
	"time"

	"github.com/hearth-hmis/hearth/internal/demo"
)

// hearth seed --site S --clients N [--seed 42]: add generated clients with
// their households, enrollments and records. A site without programs gets
// the demo Continuum of Care (organizations, programs, grants) first.
func runSeed(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var clients int
	var seed int64
	fs := newFlagSet("seed", "--site SITE --clients N [--seed 42]")
	c.register(fs, true, false)
	fs.IntVar(&clients, "clients", 0, "number of clients to add (required)")
	fs.Int64Var(&seed, "seed", 42, "random seed: the same seed gives the same data")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("seed: unexpected argument %q", rest[0])
	}
	if clients <= 0 {
		return usagef("seed: --clients must be a positive number")
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	start := time.Now()
	res, err := demo.Populate(ctx, site.Store, demo.Options{Clients: clients, Seed: seed, CoCCode: site.CoCCode, Progress: e.stderr})
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(e.stdout, "site %s: added %s in %s\n", site.Slug, res.Counts, time.Since(start).Round(time.Millisecond))
	return nil
}
