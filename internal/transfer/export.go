package transfer

import (
	"context"
	"io"
	"strings"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
)

// ExportOptions control one export.
type ExportOptions struct {
	ProjectIDs []string  // empty: every project
	Start, End hmis.Date // the period (HUD's rule: enrollments active in it); zero: all time
	Hashed     bool      // HashStatus 4: names and SSN hashed
	// SourceID is Export.SourceID: the site's CoC code(s). Empty: the
	// CoC codes of the site's projects, joined with ";".
	SourceID   string
	SourceName string // Export.SourceName, e.g. the site's name
}

// ExportResult is what an export wrote.
type ExportResult struct {
	Header hmis.Export
	Stats  store.ExportStats
}

// implementationSetting keeps Export.ImplementationID, made once per site.
const implementationSetting = "hmis_csv_implementation_id"

// Export writes an FY2026 HMIS CSV zip of st to w, streaming from the
// store in HUD's file order, with only what the actor in ctx may see.
// Records carry Hearth's IDs (docs/hmis-csv-ids.md).
func Export(ctx context.Context, st *store.Store, w io.Writer, opt ExportOptions) (*ExportResult, error) {
	if !opt.Start.IsZero() && !opt.End.IsZero() && opt.End.Before(opt.Start) {
		return nil, &hmis.Error{Code: hmis.EINVALID, Message: "The export period ends before it starts."}
	}
	if err := mayExportPII(ctx, st, opt.Hashed); err != nil {
		return nil, err
	}
	h, err := exportHeader(ctx, st, opt)
	if err != nil {
		return nil, err
	}
	wr := hmiscsv.NewWriter(w, h, hmiscsv.WriterOptions{Hashed: opt.Hashed})
	stats, err := pipe(ctx, func(ctx context.Context, fn func(rec any) error) (store.ExportStats, error) {
		return st.ExportRecords(ctx, store.ExportScope{ProjectIDs: opt.ProjectIDs, Start: opt.Start, End: opt.End}, fn)
	}, wr.Write)
	if err != nil {
		return nil, err
	}
	if err := wr.Close(); err != nil {
		return nil, err
	}
	return &ExportResult{Header: h, Stats: stats}, nil
}

// exportHeader fills Export.csv's row.
func exportHeader(ctx context.Context, st *store.Store, opt ExportOptions) (hmis.Export, error) {
	now := st.Now().UTC()
	h := hmis.Export{
		ExportID:         store.NewID(),
		SourceType:       ptr(hud.SourceTypeCoCHMIS),
		SourceID:         opt.SourceID,
		SourceName:       opt.SourceName,
		ExportDate:       now.Truncate(1e9),
		ExportStartDate:  opt.Start,
		ExportEndDate:    opt.End,
		SoftwareName:     "Hearth",
		ExportPeriodType: ptr(hud.ExportPeriodTypeReportingPeriod),
		ExportDirective:  ptr(hud.ExportDirectiveFullRefresh),
	}
	if opt.Start.IsZero() && opt.End.IsZero() {
		h.ExportPeriodType = ptr(hud.ExportPeriodTypeOther)
	}
	if h.ExportEndDate.IsZero() {
		h.ExportEndDate = hmis.DateOf(now)
	}
	if h.ExportStartDate.IsZero() {
		first, err := st.EarliestEntryDate(ctx)
		if err != nil {
			return h, err
		}
		if first.IsZero() || first.After(h.ExportEndDate) {
			first = h.ExportEndDate
		}
		h.ExportStartDate = first
	}
	if h.SourceID == "" {
		codes, err := st.ProjectCoCCodes(ctx)
		if err != nil {
			return h, err
		}
		if s := strings.Join(codes, ";"); len(s) <= 350 {
			h.SourceID = s
		}
	}
	id, ok, err := st.Setting(ctx, implementationSetting)
	if err != nil {
		return h, err
	}
	if !ok {
		id = store.NewID()
		if err := st.SetSetting(ctx, implementationSetting, id); err != nil {
			return h, err
		}
	}
	h.ImplementationID = id
	return h, nil
}

func ptr[T any](v T) *T { return &v }

// pipeBatch is how many records one hand-off between the goroutines holds.
const pipeBatch = 1024

// pipe runs read (the store's query) in its own goroutine and passes its
// records to write (CSV and zip) in this one, in batches: reading rows
// from the database and compressing the zip overlap on two cores. A
// write error stops the reading.
func pipe(ctx context.Context, read func(context.Context, func(rec any) error) (store.ExportStats, error), write func(rec any) error) (store.ExportStats, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []any, 4)
	var stats store.ExportStats
	var rerr error
	go func() {
		defer close(batches)
		buf := make([]any, 0, pipeBatch)
		send := func() error {
			select {
			case batches <- buf:
				buf = make([]any, 0, pipeBatch)
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		stats, rerr = read(ctx, func(rec any) error {
			if buf = append(buf, rec); len(buf) == pipeBatch {
				return send()
			}
			return nil
		})
		if rerr == nil && len(buf) > 0 {
			rerr = send()
		}
	}()
	var werr error
	for b := range batches {
		for _, rec := range b {
			if werr != nil {
				break
			}
			if werr = write(rec); werr != nil {
				cancel() // the reader stops at its next record
			}
		}
	}
	if werr != nil {
		return stats, werr
	}
	return stats, rerr
}

// mayExportPII refuses an export to a user whose PII permissions (issue 6
// item 4) would hide what an HMIS CSV carries: every client's date of birth
// (3.03), and full SSNs (3.02) unless the export is hashed (HashStatus 4).
// The file would otherwise hand them what every page masks; writing masked
// values instead would put false data into an exchange format.
func mayExportPII(ctx context.Context, st *store.Store, hashed bool) error {
	grants, err := st.MyPIIGrants(ctx)
	if err != nil {
		return err
	}
	var missing []string
	if !grants[access.PIIDOB] {
		missing = append(missing, access.PIIDOB.Label())
	}
	if !hashed && !grants[access.PIIFullSSN] {
		missing = append(missing, access.PIIFullSSN.Label())
	}
	if len(missing) == 0 {
		return nil
	}
	msg := "An HMIS CSV export carries every client's date of birth and full SSN: it needs the " +
		strings.Join(missing, " and ") + " permission"
	if len(missing) > 1 {
		msg += "s"
	}
	msg += ", which your account does not have."
	if !grants[access.PIIFullSSN] && grants[access.PIIDOB] {
		msg += " A hashed export (--hashed) needs only Date of birth."
	}
	return &hmis.Error{Code: hmis.EFORBIDDEN, Message: msg}
}
