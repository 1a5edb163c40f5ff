package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// reportLines is how many lines of a rejected import's report the command
// line prints; the whole report is kept with the import's record.
const reportLines = 50

// hearth import --site SITE PATH [--dry-run] [--drop-invalid-rows]
// [--source NAME] [--sharing restrict|global] [--as USER]: import an HMIS
// CSV export (zip or folder) in one transaction.
func runImport(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var dryRun, skipDuplicates, dropInvalid bool
	var source, sharing string
	fs := newFlagSet("import", "--site SITE PATH [--dry-run] [--drop-invalid-rows] [--source NAME] [--sharing restrict|global] [--as USER]")
	c.register(fs, true, true)
	fs.BoolVar(&dryRun, "dry-run", false, "validate and count, write nothing (the attempt is still recorded)")
	fs.BoolVar(&dropInvalid, "drop-invalid-rows", false, "leave out rows that are cut short or point at a client, project or enrollment not in the export (each listed as a warning), and import the rest; other errors still stop the import")
	fs.BoolVar(&skipDuplicates, "skip-duplicates", false, "do not recompute the duplicates review queue after the import (hearth serve does it in the background)")
	fs.StringVar(&source, "source", "", "the system the export comes from (default: Export.csv's SourceID and SourceName)")
	fs.StringVar(&sharing, "sharing", transfer.SharingRestrict, "imported clients are seen by their organization only (restrict) or by all (global)")
	paths, err := parseInterleaved(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(paths) != 1 {
		return usagef("import: want exactly one PATH (a zip or a folder), got %d", len(paths))
	}
	if sharing != transfer.SharingRestrict && sharing != transfer.SharingGlobal {
		return usagef("import: --sharing must be restrict or global")
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	var last time.Time
	progress := func(p transfer.Progress) {
		if p.Phase == "reading" && time.Since(last) > 2*time.Second && p.BytesTotal > 0 {
			last = time.Now()
			fmt.Fprintf(e.stderr, "  %3.0f%%  %s row %d\n", 100*float64(p.BytesRead)/float64(p.BytesTotal), p.File, p.Rows)
		}
	}
	restoreGC := importGC()
	res, err := transfer.Import(ctx, site.Store, paths[0], transfer.ImportOptions{Source: source, Sharing: sharing, DryRun: dryRun,
		DropInvalidRows: dropInvalid, Progress: progress})
	restoreGC()
	if err != nil {
		if res != nil && res.Report != nil && res.Report.Errors() > 0 {
			printReport(e.stderr, res.Report)
		}
		return fmt.Errorf("import: %w", err)
	}
	rep := res.Report
	switch res.Status {
	case store.ImportRejected:
		printReport(e.stderr, rep)
		return fmt.Errorf("import rejected: %d errors, %d warnings; nothing was written (the full report is kept with import %s)",
			rep.Errors(), rep.Warnings(), res.ImportID)
	case store.ImportDryRun:
		fmt.Fprintf(e.stdout, "dry run of %s (source %q), nothing written: would add %d, update %d, leave %d unchanged; %d warnings\n",
			paths[0], res.Source.Key, res.Stats.Inserted, res.Stats.Updated, res.Stats.Unchanged, rep.Warnings())
	default:
		fmt.Fprintf(e.stdout, "site %s: imported %s (source %q) in %s: %d records, %d new, %d updated, %d unchanged; %d clients given an organization; %d warnings\n",
			site.Slug, paths[0], res.Source.Key, res.Elapsed.Round(time.Millisecond), res.Stats.Records, res.Stats.Inserted,
			res.Stats.Updated, res.Stats.Unchanged, res.Stats.ClientsAssigned, rep.Warnings())
	}
	if n := rep.DroppedRows(); n > 0 {
		fmt.Fprintf(e.stdout, "%d invalid rows left out (--drop-invalid-rows): %s\n", n, rep.DroppedText())
		printDropped(e.stdout, rep, reportLines)
	}
	for _, t := range res.Stats.Tables {
		fmt.Fprintf(e.stdout, "  %-26s %8d  (%d new, %d updated, %d unchanged)\n", t.Table, t.Received, t.Inserted, t.Updated, t.Unchanged)
	}
	if rep.Warnings() > 0 {
		fmt.Fprintf(e.stdout, "warnings (the full report is kept with import %s):\n", res.ImportID)
		printIssues(e.stdout, rep, hmiscsv.Warning, reportLines)
	}
	if res.Status == store.ImportImported && !skipDuplicates {
		// New clients may duplicate old ones (issue 4 item 8).
		start := time.Now()
		n, err := site.Store.RefreshDuplicatePairs(hmis.NewContext(ctx, hmis.SystemActor("import")))
		if err != nil {
			return fmt.Errorf("the import is done; recomputing the duplicates queue failed: %w", err)
		}
		fmt.Fprintf(e.stdout, "duplicates review queue recomputed: %d likely pairs (%s)\n", n, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// printReport writes the report's totals and its first issues, errors first.
func printReport(w io.Writer, rep *hmiscsv.Report) {
	fmt.Fprintf(w, "%d errors, %d warnings\n", rep.Errors(), rep.Warnings())
	printIssues(w, rep, hmiscsv.Error, reportLines)
	printIssues(w, rep, hmiscsv.Warning, reportLines)
}

// printIssues writes at most n issues of one severity, then how many
// more there are.
func printIssues(w io.Writer, rep *hmiscsv.Report, sev hmiscsv.Severity, n int) {
	total := rep.Warnings()
	if sev == hmiscsv.Error {
		total = rep.Errors()
	}
	shown := 0
	for _, is := range rep.Issues {
		if is.Severity == sev && shown < n {
			fmt.Fprintf(w, "  %s\n", is)
			shown++
		}
	}
	if total > shown {
		fmt.Fprintf(w, "  ... and %d more %ss\n", total-shown, sev)
	}
}

// printDropped writes at most n of the "dropped: ..." warnings (file, row
// and reason), then how many more there are.
func printDropped(w io.Writer, rep *hmiscsv.Report, n int) {
	shown := 0
	for _, is := range rep.Issues {
		if is.Severity == hmiscsv.Warning && strings.HasPrefix(is.Message, "dropped: ") && shown < n {
			fmt.Fprintf(w, "  %s\n", is)
			shown++
		}
	}
	if total := rep.DroppedRows(); total > shown {
		fmt.Fprintf(w, "  ... and %d more dropped rows\n", total-shown)
	}
}

// parseInterleaved parses flags that may come before or after the
// positional arguments ("PATH --dry-run"), and returns the positionals.
func parseInterleaved(fs *flag.FlagSet, args []string, help io.Writer) ([]string, error) {
	var pos []string
	for {
		rest, err := parse(fs, args, help)
		if err != nil {
			return nil, err
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// importGC tunes the garbage collector for an import run from the command
// line and returns the function that restores it: an import allocates
// fast (a record, its strings and its arguments per CSV row) but keeps
// little (the buffers of rows not yet written and the reader's key sets),
// so the collector runs a quarter as often (GOGC 400), and a soft memory
// limit keeps the heap bounded when the key sets are large (1M clients:
// ~100 MB). GOGC or GOMEMLIMIT set in the environment win. The web
// server's imports keep the defaults: other requests share its heap.
func importGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	gc := debug.SetGCPercent(importGCPercent)
	limit := debug.SetMemoryLimit(importMemoryLimit)
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(limit)
	}
}

const (
	importGCPercent   = 400
	importMemoryLimit = 256 << 20
)
