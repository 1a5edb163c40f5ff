// Package transfer moves HMIS CSV exports into and out of a site's store:
// the glue between internal/hmiscsv (the format, no database) and
// internal/store (the database, no CSV). The command line (hearth import,
// hearth export) and the web pages call it.
//
// Imported records get Hearth IDs derived from their source's HUD IDs
// (store.SourceRecordID); docs/hmis-csv-ids.md describes the rule.
package transfer

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Progress reports how far an import is.
type Progress struct {
	Phase      string // "reading" (and writing), then "done"
	File       string // the CSV file being read
	Rows       int    // rows read of File
	BytesRead  int64  // uncompressed bytes read so far, all files
	BytesTotal int64
}

// Sharing values of ImportOptions.Sharing (hearth import --sharing).
const (
	SharingRestrict = "restrict" // imported clients are seen by their organization only (default)
	SharingGlobal   = "global"   // imported clients are seen by every organization
)

// ImportOptions control one import.
type ImportOptions struct {
	// Source names the system the export comes from, overriding
	// Export.csv's SourceID and SourceName (hearth import --source).
	Source string
	// Sharing is SharingRestrict (default) or SharingGlobal.
	Sharing string
	// DryRun validates and counts, and writes nothing but the import's record.
	DryRun bool
	// DropInvalidRows leaves out the rows that are errors only because
	// they are cut short or point at a record that is not in the file set
	// (hmiscsv.Export.DropInvalidRows), each a "dropped: ..." warning, and
	// imports the rest; every other error still stops the import
	// (hearth import --drop-invalid-rows). Off by default.
	DropInvalidRows bool
	// FileName is the name recorded with the import; default the base of path.
	FileName string
	// Progress, when set, is called as the files are read.
	Progress func(Progress)
}

// ImportResult is what an import did.
type ImportResult struct {
	ImportID string
	Status   string // store.ImportImported, ImportDryRun, ImportRejected or ImportFailed
	Source   store.Source
	Report   *hmiscsv.Report // the validation report (nil if reading never finished)
	Stats    store.ImportStats
	Elapsed  time.Duration
}

// Written reports whether the import changed the site.
func (r *ImportResult) Written() bool { return r.Status == store.ImportImported }

// Import reads the HMIS CSV export at path (a zip or a folder) and writes
// it into st in one transaction, as the actor in ctx (an administrator or
// the system). All or nothing: when the report has errors, or on a dry
// run, nothing is written but the import's record, and the result says
// so (Status, Report) with a nil error. A file set that cannot be opened,
// or a failure while writing, is an error.
func Import(ctx context.Context, st *store.Store, path string, opt ImportOptions) (*ImportResult, error) {
	start := time.Now()
	restriction, err := restrictionOf(opt.Sharing)
	if err != nil {
		return nil, err
	}
	if a, ok := hmis.ActorFrom(ctx); !ok || (!a.System && a.Role != hmis.RoleAdmin) {
		return nil, &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only HMIS administrators may import data."}
	}
	x, err := hmiscsv.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", filepath.Base(path), err)
	}
	defer x.Close()
	x.DropInvalidRows = opt.DropInvalidRows
	key := SourceKey(opt.Source, x.Header)
	if key == "" {
		return nil, &hmis.Error{Code: hmis.EINVALID, Message: "Export.csv names no source (SourceID and SourceName are empty): name one with --source."}
	}
	src := store.Source{Key: key, SourceID: x.Header.SourceID, Name: x.Header.SourceName}
	if opt.Source != "" {
		src.Name = opt.Source
	}
	if opt.FileName == "" {
		opt.FileName = filepath.Base(path)
	}
	if opt.Progress != nil {
		x.Progress = func(file string, rows int, bytesRead, bytesTotal int64) {
			opt.Progress(Progress{Phase: "reading", File: file, Rows: rows, BytesRead: bytesRead, BytesTotal: bytesTotal})
		}
	}
	res := &ImportResult{Source: src}
	ids := idMapper{key: key}
	stats, err := st.Import(ctx, store.ImportOptions{Source: src, FileName: opt.FileName, Sharing: restriction, DryRun: opt.DryRun},
		func(add func(rec any) error) (store.ImportOutcome, error) {
			rep, err := x.Read(func(_ string, _ int, rec any) error {
				ids.mapRecord(rec)
				return add(rec)
			})
			res.Report = rep
			if err != nil {
				return store.ImportOutcome{}, err
			}
			var buf bytes.Buffer
			if err := rep.WriteCSV(&buf); err != nil {
				return store.ImportOutcome{}, err
			}
			return store.ImportOutcome{Errors: rep.Errors(), Warnings: rep.Warnings(), Report: buf.String(), Dropped: rep.Dropped}, nil
		})
	res.ImportID, res.Status, res.Stats = stats.ImportID, stats.Status, stats
	if err == nil && res.Written() {
		// Index the new clients for search now, so that the first
		// person to search does not wait for a whole import's worth.
		_, err = st.RefreshClientSearch(ctx)
		if err != nil {
			err = fmt.Errorf("the import was written but its clients could not be indexed for search: %w", err)
		}
	}
	res.Elapsed = time.Since(start)
	if opt.Progress != nil {
		opt.Progress(Progress{Phase: "done"})
	}
	if err != nil && !res.Written() {
		return res, fmt.Errorf("import of %s failed, nothing was written: %w", opt.FileName, err)
	}
	return res, err
}

// restrictionOf maps --sharing to the clients' restriction.
func restrictionOf(sharing string) (string, error) {
	switch sharing {
	case "", SharingRestrict:
		return store.RestrictionOrganization, nil
	case SharingGlobal:
		return store.RestrictionGlobal, nil
	}
	return "", hmis.Errorf(hmis.EINVALID, "Unknown sharing %q (want %s or %s).", sharing, SharingRestrict, SharingGlobal)
}
