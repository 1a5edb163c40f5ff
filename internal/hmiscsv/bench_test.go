package hmiscsv

import (
	"archive/zip"
	"encoding/csv"
	"io"
	"path/filepath"
	"testing"
)

// BenchmarkRead reads the FY2026 LSA sample (~255k rows) through Read:
// decode, convert, validate, key checks; fn does nothing.
func BenchmarkRead(b *testing.B) {
	path := filepath.Join(sharedDir(b), "hmiscsv/fy2026/lsa-sample.zip")
	rows := 0
	for b.Loop() {
		x, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rows = 0
		rep, err := x.Read(func(string, int, any) error { rows++; return nil })
		if err != nil || rep.Errors() > 0 {
			b.Fatal(err, rep.Errors())
		}
		x.Close()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkParseOnly is the floor: a plain encoding/csv pass over the same
// files, no conversion or checks.
func BenchmarkParseOnly(b *testing.B) {
	path := filepath.Join(sharedDir(b), "hmiscsv/fy2026/lsa-sample.zip")
	rows := 0
	for b.Loop() {
		zr, err := zip.OpenReader(path)
		if err != nil {
			b.Fatal(err)
		}
		rows = 0
		for _, f := range zr.File {
			rc, _ := f.Open()
			cr := csv.NewReader(rc)
			cr.ReuseRecord = true
			cr.FieldsPerRecord = -1
			for {
				_, err := cr.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				rows++
			}
			rc.Close()
		}
		zr.Close()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
