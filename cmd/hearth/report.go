package main

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/report"
	"github.com/hearth-hmis/hearth/internal/report/kit"
	"github.com/hearth-hmis/hearth/internal/reportrun"
)

// hearth report apr|caper|dq|ce-apr --site SITE (--project ID ... | --grant GRANTID |
// --all-projects) --start DATE --end DATE --coc CODE --out FILE.zip [--as
// USER]: write HUD's Sage zip of the report, computed on what the acting
// user may see. hearth report verify-kit DIR: compare with a HUD test kit.
func runReport(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usagef("report: say which report: apr, caper, dq, ce-apr or verify-kit")
	}
	switch args[0] {
	case "apr", "caper", "dq", "ce-apr":
		return runReportKind(ctx, e, reportrun.Kind(args[0]), args[1:]) // cmd/hearth/report_dq.go
	case "verify-kit":
		return runVerifyKit(e, args[1:])
	}
	return usagef("report: unknown report %q (apr, caper, dq, ce-apr, verify-kit)", args[0])
}

// reportArgs are the flags every `hearth report KIND` takes, checked.
type reportArgs struct {
	c               commonFlags
	out, grant, cpu string
	projects        stringList
	all             bool
	p               report.Params // CoC, Start, End
}

// reportCoCPattern is a CoC code (2.03.1), as the web's report form takes it.
var reportCoCPattern = regexp.MustCompile(`^[A-Z]{2}-[0-9]{3}$`)

// parseReportArgs reads and checks a report's flags. systemWide reports
// (the CE APR) take no program flags.
func parseReportArgs(name string, systemWide bool, args []string, e env) (reportArgs, error) {
	var ra reportArgs
	var start, end, coc string
	usage := "--site SITE (--project ID ... | --grant GRANTID | --all-projects) --start YYYY-MM-DD --end YYYY-MM-DD --coc CODE --out FILE.zip [--as USER] [--cpuprofile FILE]"
	if systemWide {
		usage = "--site SITE --start YYYY-MM-DD --end YYYY-MM-DD --coc CODE --out FILE.zip [--as USER] [--cpuprofile FILE]"
	}
	fs := newFlagSet(name, usage)
	ra.c.register(fs, true, true)
	if !systemWide {
		fs.Var(&ra.projects, "project", "a program to report on (repeatable)")
		fs.StringVar(&ra.grant, "grant", "", "report on every program funded by this grant (2.06.2)")
		fs.BoolVar(&ra.all, "all-projects", false, "report on every program")
	}
	fs.StringVar(&start, "start", "", "report start date (YYYY-MM-DD, required)")
	fs.StringVar(&end, "end", "", "report end date (YYYY-MM-DD, required)")
	fs.StringVar(&coc, "coc", "", "the reporting CoC code, e.g. XX-501 (required)")
	fs.StringVar(&ra.out, "out", "", "the Sage zip to write (required)")
	fs.StringVar(&ra.cpu, "cpuprofile", "", "write a CPU profile of loading and computing to this file (go tool pprof)")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return ra, err
	}
	if len(rest) > 0 {
		return ra, usagef("%s: unexpected argument %q", name, rest[0])
	}
	chosen := 0
	for _, b := range []bool{len(ra.projects) > 0, ra.grant != "", ra.all} {
		if b {
			chosen++
		}
	}
	if chosen != 1 && !systemWide {
		return ra, usagef("%s: choose the programs with one of --project, --grant or --all-projects", name)
	}
	if ra.out == "" || coc == "" || start == "" || end == "" {
		return ra, usagef("%s: --start, --end, --coc and --out are required", name)
	}
	if !reportCoCPattern.MatchString(coc) {
		return ra, usagef("%s: --coc %q: the reporting CoC code is two capital letters, a dash and three digits, like CA-510", name, coc)
	}
	ra.p = report.Params{CoC: coc, Software: "Hearth"}
	if ra.p.Start, err = hmis.ParseDate(start); err != nil {
		return ra, usagef("%s: --start: %v", name, err)
	}
	if ra.p.End, err = hmis.ParseDate(end); err != nil {
		return ra, usagef("%s: --end: %v", name, err)
	}
	if ra.p.End.Before(ra.p.Start) {
		return ra, usagef("%s: --start %s is after --end %s", name, ra.p.Start, ra.p.End)
	}
	return ra, nil
}

// runVerifyKit prints, per scope and table, how many of a HUD test kit's
// expected cells Hearth reproduces.
func runVerifyKit(e env, args []string) error {
	fs := newFlagSet("report verify-kit", "DIR (a kit laid out like ../shared/testdata/datalab-fy2023)")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("report verify-kit: give the kit's folder")
	}
	ds, err := kit.ReadInput(rest[0])
	if err != nil {
		return fmt.Errorf("report verify-kit: %w", err)
	}
	res, err := kit.Verify(rest[0], ds)
	if err != nil {
		return fmt.Errorf("report verify-kit: %w", err)
	}
	kit.WriteSummary(e.stdout, res)
	fmt.Fprintln(e.stdout, "per table, all scopes:")
	kit.WriteTotals(e.stdout, res)
	return nil
}
