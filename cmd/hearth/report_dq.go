package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/reportrun"
)

// hearth report dq --site SITE (--project ID ... | --grant GRANTID |
// --all-projects) --start DATE --end DATE --coc CODE --out FILE.zip [--as
// USER]: write HUD's Data Quality report (Q1.csv ... Q7.csv), computed on
// what the acting user may see, through internal/reportrun as the web's
// Home → Reports does. The programs of --grant and --all-projects are
// those the acting user may report on (their organization's; every
// program for administrators and the system).
func runReportDQ(ctx context.Context, e env, args []string) error {
	return runReportKind(ctx, e, reportrun.DQ, args)
}

// hearth report ce-apr --site SITE --start DATE --end DATE --coc CODE
// --out FILE.zip [--as USER]: the Coordinated Entry APR (10 tables),
// CoC-wide over every program the acting user may see.
func runReportCEAPR(ctx context.Context, e env, args []string) error {
	return runReportKind(ctx, e, reportrun.CEAPR, args)
}

func runReportKind(ctx context.Context, e env, kind reportrun.Kind, args []string) error {
	name := "report " + string(kind)
	var c commonFlags
	var out, start, end, coc, grant string
	var projects stringList
	var all bool
	usage := "--site SITE (--project ID ... | --grant GRANTID | --all-projects) --start YYYY-MM-DD --end YYYY-MM-DD --coc CODE --out FILE.zip [--as USER]"
	if kind.SystemWide() {
		usage = "--site SITE --start YYYY-MM-DD --end YYYY-MM-DD --coc CODE --out FILE.zip [--as USER]"
	}
	fs := newFlagSet(name, usage)
	c.register(fs, true, true)
	if !kind.SystemWide() {
		fs.Var(&projects, "project", "a program to report on (repeatable)")
		fs.StringVar(&grant, "grant", "", "report on every program funded by this grant (2.06.2)")
		fs.BoolVar(&all, "all-projects", false, "report on every program")
	}
	fs.StringVar(&start, "start", "", "report start date (YYYY-MM-DD, required)")
	fs.StringVar(&end, "end", "", "report end date (YYYY-MM-DD, required)")
	fs.StringVar(&coc, "coc", "", "the reporting CoC code, e.g. XX-501 (required)")
	fs.StringVar(&out, "out", "", "the Sage zip to write (required)")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("%s: unexpected argument %q", name, rest[0])
	}
	chosen := 0
	for _, b := range []bool{len(projects) > 0, grant != "", all} {
		if b {
			chosen++
		}
	}
	if chosen != 1 && !kind.SystemWide() {
		return usagef("%s: choose the programs with one of --project, --grant or --all-projects", name)
	}
	if out == "" || coc == "" || start == "" || end == "" {
		return usagef("%s: --start, --end, --coc and --out are required", name)
	}
	p := report.Params{CoC: coc, Software: "Hearth"}
	if p.Start, err = hmis.ParseDate(start); err != nil {
		return usagef("%s: --start: %v", name, err)
	}
	if p.End, err = hmis.ParseDate(end); err != nil {
		return usagef("%s: --end: %v", name, err)
	}
	if p.End.Before(p.Start) {
		return usagef("%s: --start %s is after --end %s", name, p.Start, p.End)
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	programs, grants, err := reportrun.Choices(ctx, site.Store)
	if err != nil {
		return err
	}
	switch {
	case kind.SystemWide():
	case all:
		for _, pr := range programs {
			p.ProjectIDs = append(p.ProjectIDs, pr.ID)
		}
	case grant != "":
		for _, g := range grants {
			if g.ID == grant {
				p.ProjectIDs = g.ProjectIDs
			}
		}
		if len(p.ProjectIDs) == 0 {
			return fmt.Errorf("%s: no program you may report on is funded by grant %q", name, grant)
		}
	default:
		mine := map[string]bool{}
		for _, pr := range programs {
			mine[pr.ID] = true
		}
		for _, id := range projects {
			if !mine[id] {
				return usagef("%s: --project %q: no such program that you may report on", name, id)
			}
		}
		p.ProjectIDs = slices.Clone([]string(projects))
	}
	if len(p.ProjectIDs) == 0 && !kind.SystemWide() {
		return fmt.Errorf("%s: the site has no programs you may report on", name)
	}
	slices.Sort(p.ProjectIDs)
	res, err := reportrun.Run(ctx, site.Store, kind, p)
	if err != nil {
		return usagef("%s: %v", name, err)
	}
	f, err := os.CreateTemp(filepath.Dir(out), ".hearth-report-*.zip")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	err = res.Report.WriteSageZip(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	scope := fmt.Sprintf("%d program(s)", len(p.ProjectIDs))
	if kind.SystemWide() {
		scope = "every program of the CoC"
	}
	fmt.Fprintf(e.stdout, "site %s: %s of %s, %s to %s, CoC %s: %d persons, %d tables written to %s\n",
		site.Slug, kind, scope, p.Start, p.End, p.CoC, res.Persons(), len(res.Report.Tables), out)
	fmt.Fprintf(e.stdout, "  loading %s, computing %s\n", res.Load.Round(1e6), res.Compute.Round(1e6))
	return nil
}
