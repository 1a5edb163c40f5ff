package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// stringList is a repeatable string flag (--project A --project B).
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }
func (l *stringList) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// hearth export --site SITE --out FILE.zip [--project ID ...] [--start
// DATE --end DATE] [--hashed] [--as USER]: write an FY2026 HMIS CSV zip
// of what the acting user may see.
func runExport(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var out, start, end string
	var projects stringList
	var hashed bool
	fs := newFlagSet("export", "--site SITE --out FILE.zip [--project ID ...] [--start YYYY-MM-DD --end YYYY-MM-DD] [--hashed] [--as USER]")
	c.register(fs, true, true)
	fs.StringVar(&out, "out", "", "the zip file to write (required)")
	fs.Var(&projects, "project", "export only this project (repeatable; default: every project)")
	fs.StringVar(&start, "start", "", "period start: enrollments active in the period (YYYY-MM-DD)")
	fs.StringVar(&end, "end", "", "period end (YYYY-MM-DD)")
	fs.BoolVar(&hashed, "hashed", false, "write names and SSN hashed (HashStatus 4)")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("export: unexpected argument %q", rest[0])
	}
	if out == "" {
		return usagef("export: --out is required")
	}
	if (start == "") != (end == "") {
		return usagef("export: give both --start and --end, or neither")
	}
	opt := transfer.ExportOptions{ProjectIDs: projects, Hashed: hashed}
	if start != "" {
		if opt.Start, err = hmis.ParseDate(start); err != nil {
			return usagef("export: --start: %v", err)
		}
		if opt.End, err = hmis.ParseDate(end); err != nil {
			return usagef("export: --end: %v", err)
		}
		if opt.End.Before(opt.Start) {
			return usagef("export: --end is before --start")
		}
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	opt.SourceID, opt.SourceName = site.CoCCode, site.Title
	began := time.Now()
	// Write next to the target and rename, so a failed export leaves no
	// half-written zip behind.
	f, err := os.CreateTemp(filepath.Dir(out), ".hearth-export-*.zip")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	res, err := transfer.Export(ctx, site.Store, f, opt)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp, out); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(e.stdout, "site %s: exported %d records to %s in %s (period %s to %s)\n", site.Slug, res.Stats.Records, out,
		time.Since(began).Round(time.Millisecond), res.Header.ExportStartDate, res.Header.ExportEndDate)
	for _, t := range res.Stats.Tables {
		if t.Records > 0 {
			fmt.Fprintf(e.stdout, "  %-26s %8d\n", t.Table, t.Records)
		}
	}
	return nil
}
