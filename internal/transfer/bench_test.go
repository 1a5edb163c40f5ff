package transfer_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// lsaSample returns the path of HUD's FY2026 LSA sample, skipping the
// benchmark when ../shared is absent.
func lsaSample(b *testing.B) string {
	path := filepath.Join("..", "..", "..", "shared", "testdata", "hmiscsv", "fy2026", "lsa-sample.zip")
	if _, err := os.Stat(path); err != nil {
		b.Skip("../shared is not present")
	}
	return path
}

// BenchmarkImport_LSASample imports the FY2026 LSA sample (255,193
// records) into a new, empty SQLite store per iteration: the case
// docs/PERFORMANCE.md's "HMIS CSV import and export" target is about.
// Compare with internal/hmiscsv's BenchmarkRead and BenchmarkParseOnly.
func BenchmarkImport_LSASample(b *testing.B) {
	path := lsaSample(b)
	records := 0
	for b.Loop() {
		b.StopTimer()
		s := storetest.OpenSQLite(b)
		ctx := storetest.Context(b)
		b.StartTimer()
		res, err := transfer.Import(ctx, s, path, transfer.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Status != store.ImportImported {
			b.Fatalf("status %s, %d errors", res.Status, res.Report.Errors())
		}
		records = res.Stats.Records
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReimport_LSASample imports the LSA sample into a store that
// already holds it: every record is looked up and left unchanged.
func BenchmarkReimport_LSASample(b *testing.B) {
	path := lsaSample(b)
	s := storetest.OpenSQLite(b)
	ctx := storetest.Context(b)
	if _, err := transfer.Import(ctx, s, path, transfer.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	records := 0
	for b.Loop() {
		res, err := transfer.Import(ctx, s, path, transfer.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if res.Stats.Unchanged != res.Stats.Records {
			b.Fatalf("%d of %d records unchanged", res.Stats.Unchanged, res.Stats.Records)
		}
		records = res.Stats.Records
	}
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkExport_LSASample exports the imported LSA sample as a zip
// (discarded), as the system: the whole site.
func BenchmarkExport_LSASample(b *testing.B) {
	path := lsaSample(b)
	s := storetest.OpenSQLite(b)
	ctx := storetest.Context(b)
	if _, err := transfer.Import(ctx, s, path, transfer.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	records := 0
	for b.Loop() {
		res, err := transfer.Export(ctx, s, io.Discard, transfer.ExportOptions{SourceID: "XX-501", SourceName: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		records = res.Stats.Records
	}
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
