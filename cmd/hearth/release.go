package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

const releaseUsage = `Usage:
  hearth release add --site S --client PERSONALID --org ORGID [--org ...] [--mou ID ...] --begin DATE --end DATE
                     (--verbal-witness NAME | --signature FILE.png) [--number N] [--coverage record|intake] [--as USER]
  hearth release list --site S --client PERSONALID [--as USER]
  hearth release revoke --site S --id ID --reason TEXT [--as USER]`

// hearth release add|list|revoke: a client's information releases.
func runRelease(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usagef("release: want add, list or revoke (see hearth release -h)")
	}
	switch args[0] {
	case "-h", "--help":
		fmt.Fprintln(e.stdout, releaseUsage)
		return nil
	case "add":
		return releaseAdd(ctx, e, args[1:])
	case "list":
		return releaseList(ctx, e, args[1:])
	case "revoke":
		return releaseRevoke(ctx, e, args[1:])
	}
	return usagef("release: unknown action %q (want add, list or revoke)", args[0])
}

func releaseAdd(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var nr store.NewRelease
	var orgs, mous stringList
	var begin, end, sigFile, coverage string
	fs := newFlagSet("release add", "--site S --client PERSONALID --org ORGID [--org ...] --begin DATE --end DATE (--verbal-witness NAME | --signature FILE.png)")
	c.register(fs, true, true)
	fs.StringVar(&nr.PersonalID, "client", "", "the client's PersonalID (required)")
	fs.Var(&orgs, "org", "an organization the release shares with (repeatable)")
	fs.Var(&mous, "mou", "an MOU agreement the release shares through (repeatable)")
	fs.StringVar(&begin, "begin", "", "first day the release is in force (YYYY-MM-DD, required)")
	fs.StringVar(&end, "end", "", "last day the release is in force (YYYY-MM-DD, required)")
	fs.StringVar(&nr.Witness, "verbal-witness", "", "verbal consent, witnessed by this person")
	fs.StringVar(&sigFile, "signature", "", "the client's signature, a PNG file")
	fs.StringVar(&nr.Number, "number", "", "release number (default R-<n>)")
	fs.StringVar(&coverage, "coverage", "record", "what it shares: record (the whole record) or intake (the client record only)")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("release add: unexpected argument %q", rest[0])
	}
	if nr.PersonalID == "" {
		return usagef("release add: --client is required")
	}
	if (nr.Witness == "") == (sigFile == "") {
		return usagef("release add: give exactly one of --verbal-witness NAME and --signature FILE.png")
	}
	if nr.Begin, err = hmis.ParseDate(begin); err != nil || nr.Begin.IsZero() {
		return usagef("release add: --begin wants a date YYYY-MM-DD")
	}
	if nr.End, err = hmis.ParseDate(end); err != nil || nr.End.IsZero() {
		return usagef("release add: --end wants a date YYYY-MM-DD")
	}
	if nr.Coverage, err = access.ParseCoverage(coverage); err != nil {
		return usagef("release add: %v", err)
	}
	if sigFile != "" {
		if nr.Signature, err = os.ReadFile(sigFile); err != nil {
			return fmt.Errorf("--signature: %w", err)
		}
	}
	nr.Organizations, nr.MOUs = orgs, mous
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	rel, err := site.Store.AddRelease(ctx, nr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "release %s (%s) added: %s, %s to %s, %s\n", rel.ID, rel.Number, rel.Status(hmis.DateOf(site.Store.Now())), rel.Begin, rel.End, rel.Consent())
	if _, restr, err := site.Store.ClientOwnership(ctx, nr.PersonalID); err == nil && restr != string(access.ShareByRelease) {
		fmt.Fprintf(e.stdout, "note: the client's restriction is %q, so the release shares nothing until: hearth client restrict --site %s --client %s release\n",
			restr, c.site, nr.PersonalID)
	}
	return nil
}

func releaseList(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var client string
	fs := newFlagSet("release list", "--site S --client PERSONALID")
	c.register(fs, true, true)
	fs.StringVar(&client, "client", "", "the client's PersonalID (required)")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("release list: unexpected argument %q", rest[0])
	}
	if client == "" {
		return usagef("release list: --client is required")
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	rs, err := site.Store.ClientReleases(ctx, client)
	if err != nil {
		return err
	}
	today := hmis.DateOf(site.Store.Now())
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNUMBER\tSTATUS\tBEGIN\tEND\tCOVERAGE\tSHARES WITH\tCONSENT\tREVOKED")
	for _, r := range rs {
		with := strings.Join(r.Organizations, ",")
		for _, m := range r.MOUs {
			with = strings.TrimPrefix(with+",mou:"+m, ",")
		}
		revoked := ""
		if !r.RevokedAt.IsZero() {
			revoked = r.RevokedAt.Local().Format("2006-01-02") + ": " + r.RevokeReason
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Number, r.Status(today), r.Begin, r.End, r.Coverage, with, r.Consent(), revoked)
	}
	return tw.Flush()
}

func releaseRevoke(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var id, reason string
	fs := newFlagSet("release revoke", "--site S --id ID --reason TEXT")
	c.register(fs, true, true)
	fs.StringVar(&id, "id", "", "the release's ID (see hearth release list) (required)")
	fs.StringVar(&reason, "reason", "", "why it is revoked (required)")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("release revoke: unexpected argument %q", rest[0])
	}
	if id == "" || strings.TrimSpace(reason) == "" {
		return usagef("release revoke: --id and --reason are required")
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	rel, err := site.Store.RevokeRelease(ctx, id, reason)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "release %s (%s) revoked\n", rel.ID, rel.Number)
	return nil
}
