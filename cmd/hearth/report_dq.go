package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"

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
	ra, err := parseReportArgs(name, kind.SystemWide(), false, args, e)
	if err != nil {
		return err
	}
	c, out, grant, projects, all, p := ra.c, ra.out, ra.grant, ra.projects, ra.all, ra.p
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
