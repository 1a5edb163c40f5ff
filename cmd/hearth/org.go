package main

import (
	"context"
	"fmt"
	"sort"
	"text/tabwriter"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// hearth org list --site SITE: organization IDs and names.
func runOrg(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "list" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stdout, "Usage: hearth org list --site SITE [--as USER]")
			return nil
		}
		return usagef("org: want 'hearth org list --site SITE'")
	}
	var c commonFlags
	fs := newFlagSet("org list", "--site SITE [--as USER]")
	c.register(fs, true, true)
	rest, err := parse(fs, args[1:], e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("org list: unexpected argument %q", rest[0])
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	// Organizations are setup data, visible to every user of the site.
	orgs, err := store.FindRecords[hmis.Organization](ctx, site.Store, store.RecordFilter{})
	if err != nil {
		return err
	}
	sort.Slice(orgs, func(i, j int) bool { return orgs[i].OrganizationName < orgs[j].OrganizationName })
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME")
	for _, o := range orgs {
		fmt.Fprintf(tw, "%s\t%s\n", o.OrganizationID, o.OrganizationName)
	}
	return tw.Flush()
}
