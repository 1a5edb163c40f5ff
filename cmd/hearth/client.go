package main

import (
	"context"
	"fmt"

	"github.com/hearth-hmis/hearth/internal/access"
)

// hearth client restrict --site S --client ID organization|release|global.
func runClient(ctx context.Context, e env, args []string) error {
	const usage = "Usage: hearth client restrict --site S --client PERSONALID organization|release|global [--as USER]"
	if len(args) == 0 || args[0] != "restrict" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stdout, usage)
			return nil
		}
		return usagef("client: want 'hearth client restrict --site S --client ID organization|release|global'")
	}
	var c commonFlags
	var client string
	fs := newFlagSet("client restrict", "--site S --client PERSONALID organization|release|global")
	c.register(fs, true, true)
	fs.StringVar(&client, "client", "", "the client's PersonalID (required)")
	rest, err := parse(fs, args[1:], e.stdout)
	if err != nil {
		return err
	}
	if client == "" || len(rest) != 1 {
		return usagef("client restrict: want --client ID and one of organization, release, global")
	}
	r, err := access.ParseRestriction(rest[0])
	if err != nil {
		return usagef("client restrict: %v", err)
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	if err := site.Store.SetClientRestriction(ctx, client, r); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "client %s: %s\n", client, r.Label())
	return nil
}
