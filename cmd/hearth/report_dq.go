package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/hearth-hmis/hearth/internal/reportrun"
)

// runReportKind is `hearth report apr|caper|dq|ce-apr --site SITE
// (--project ID [--project ID ...] | --grant GRANTID | --all-projects)
// --start DATE --end DATE --coc CODE --out FILE.zip [--as USER]
// [--cpuprofile FILE]`: HUD's Sage zip of the report, computed on what
// the acting user may see, through internal/reportrun as the web's Home →
// Reports does, and recorded in the same run history (parameters, who —
// the --as user or the system —, when, how long, the zip kept), which
// Home → Reports lists. Every kind chooses its programs alike: those the
// acting user may report on (their organization's; every program for
// administrators and the system, reportrun.Choices); a --project or
// --grant outside them is "not found", as one that does not exist. The CE
// APR (ce-apr) takes no program flags: every program of the CoC the user
// may see.
func runReportKind(ctx context.Context, e env, kind reportrun.Kind, args []string) error {
	name := "report " + string(kind)
	ra, err := parseReportArgs(name, kind.SystemWide(), args, e)
	if err != nil {
		return err
	}
	c, out, grant, projects, all, p := ra.c, ra.out, ra.grant, ra.projects, ra.all, ra.p
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	stopProfile, err := startCPUProfile(ra.cpu)
	if err != nil {
		return err
	}
	defer stopProfile()
	began := time.Now()
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
				p.ProjectIDs = slices.Clone(g.ProjectIDs)
			}
		}
		if len(p.ProjectIDs) == 0 {
			return usagef("%s: --grant %q: no program you may report on is funded by this grant", name, grant)
		}
	default:
		mine := map[string]bool{}
		for _, pr := range programs {
			mine[pr.ID] = true
		}
		for _, id := range projects {
			if !mine[id] {
				// Not "forbidden": a program the user may not see is not named.
				return usagef("%s: --project %q: no such program that you may report on", name, id)
			}
		}
		p.ProjectIDs = slices.Clone([]string(projects))
	}
	if len(p.ProjectIDs) == 0 && !kind.SystemWide() {
		return usagef("%s: the site has no programs you may report on", name)
	}
	slices.Sort(p.ProjectIDs)
	p.ProjectIDs = slices.Compact(p.ProjectIDs)
	res, run, err := reportrun.Recorded(ctx, site.Store, kind, p, grant, func(zip []byte) error {
		if err := reportWriteFile(out, zip); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		return nil
	}, "The zip could not be written to the file given with --out.")
	if err != nil {
		if reportrun.IsParamError(err) {
			return usagef("%s: %v", name, err)
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	scope := fmt.Sprintf("%d program(s)", len(p.ProjectIDs))
	if kind.SystemWide() {
		scope = "every program of the CoC"
	}
	fmt.Fprintf(e.stdout, "site %s: %s of %s, %s to %s, CoC %s: %d persons served, %d tables written to %s (run %s in the history)\n",
		site.Slug, kind, scope, p.Start, p.End, p.CoC, res.Persons(), len(res.Report.Tables), out, run.ID)
	fmt.Fprintf(e.stdout, "  loading %s, computing %s, total %s\n", res.Load.Round(time.Millisecond),
		res.Compute.Round(time.Millisecond), time.Since(began).Round(time.Millisecond))
	return nil
}

// reportWriteFile writes the zip to path through a temporary file in the
// same folder, so that a failed write never leaves half a zip.
func reportWriteFile(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".hearth-report-*.zip")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	return err
}
