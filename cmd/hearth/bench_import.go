package main

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/transfer"
)

// hearth bench import [--site SITE] [--data DIR] [--keep] [--import-only] PATH: the HMIS
// CSV import benchmark of issue 3 (docs/PERFORMANCE.md). It times three
// passes over the same export: a plain CSV parse (the floor), the reader
// with its validation (no database), and the import itself, by default
// into a new, empty data folder that is removed afterwards.
func runBenchImport(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var keep, importOnly bool
	var prof profileFlags
	fs := newFlagSet("bench import", "[--site SITE] [--data DIR] [--keep] [--import-only] [--cpuprofile F] [--memprofile F] PATH")
	c.register(fs, true, false)
	fs.BoolVar(&keep, "keep", false, "keep the temporary data folder (when --data is not given)")
	fs.BoolVar(&importOnly, "import-only", false, "skip the parse-only and read passes (minutes each at 1M clients; bench export prints the same parse-only pass of the zip it writes)")
	prof.register(fs)
	paths, err := parseInterleaved(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(paths) != 1 {
		return usagef("bench import: want exactly one PATH (a zip or a folder), got %d", len(paths))
	}
	path := paths[0]
	if c.site == "" {
		c.site = "live"
	}
	if c.data == "" {
		tmp, err := os.MkdirTemp("", "hearth-bench-")
		if err != nil {
			return err
		}
		if keep {
			fmt.Fprintf(e.stdout, "data folder: %s (kept)\n", tmp)
		} else {
			defer os.RemoveAll(tmp)
		}
		c.data = tmp
	}

	var floor, read time.Duration
	if !importOnly {
		var rows, records int
		floor, rows, err = parseOnly(path)
		if err != nil {
			return fmt.Errorf("bench import: parse-only pass: %w", err)
		}
		fmt.Fprintf(e.stdout, "parse only (encoding/csv, the floor): %d rows in %s\n", rows, floor.Round(time.Millisecond))
		read, records, err = readOnly(path)
		if err != nil {
			return fmt.Errorf("bench import: read pass: %w", err)
		}
		fmt.Fprintf(e.stdout, "read and validate (hmiscsv, no database): %d records in %s\n", records, read.Round(time.Millisecond))
	}

	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	stop, err := prof.start()
	if err != nil {
		return err
	}
	restoreGC := importGC()
	start, cpu0 := time.Now(), cpuTime()
	res, err := transfer.Import(ctx, site.Store, path, transfer.ImportOptions{})
	wall, cpu := time.Since(start), cpuTime()-cpu0
	restoreGC()
	if perr := stop(); err == nil {
		err = perr
	}
	if err != nil {
		return fmt.Errorf("bench import: %w", err)
	}
	if res.Status != store.ImportImported {
		return fmt.Errorf("bench import: status %s (%d errors): run hearth import for the report", res.Status, res.Report.Errors())
	}
	n := res.Stats.Records
	fmt.Fprintf(e.stdout, "import into %s (%s): %d records (%d new, %d updated, %d unchanged) in %s (CPU %s)\n",
		site.Slug, site.Store.Dialect(), n, res.Stats.Inserted, res.Stats.Updated, res.Stats.Unchanged, wall.Round(time.Millisecond), cpu.Round(time.Millisecond))
	ratios := "no parse-only or read pass (--import-only)"
	if !importOnly {
		ratios = fmt.Sprintf("%.1fx the parse-only pass, %.1fx the read pass", wall.Seconds()/floor.Seconds(), wall.Seconds()/read.Seconds())
	}
	fmt.Fprintf(e.stdout, "  %.0f records/s; %s; peak RSS %s\n", float64(n)/wall.Seconds(), ratios, peakRSS())
	return nil
}

// hearth bench export --site SITE [--data DIR] [--out FILE.zip]: the
// export benchmark: the whole site as the system, then a parse-only pass
// over the zip written, for the ratio.
func runBenchExport(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var out string
	var prof profileFlags
	fs := newFlagSet("bench export", "--site SITE [--data DIR] [--out FILE.zip] [--cpuprofile F] [--memprofile F]")
	c.register(fs, true, false)
	fs.StringVar(&out, "out", "", "keep the zip here (default: a temporary file, removed)")
	prof.register(fs)
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("bench export: unexpected argument %q", rest[0])
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	var f *os.File
	if out == "" {
		f, err = os.CreateTemp("", "hearth-bench-*.zip")
		if err == nil {
			defer os.Remove(f.Name())
		}
	} else {
		f, err = os.Create(out)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	stop, err := prof.start()
	if err != nil {
		return err
	}
	start := time.Now()
	bw := bufio.NewWriterSize(f, 1<<20)
	res, err := transfer.Export(ctx, site.Store, bw, transfer.ExportOptions{SourceID: site.CoCCode, SourceName: site.Title})
	if err == nil {
		err = bw.Flush()
	}
	wall := time.Since(start)
	if perr := stop(); err == nil {
		err = perr
	}
	if err != nil {
		return fmt.Errorf("bench export: %w", err)
	}
	size, _ := f.Seek(0, io.SeekEnd)
	n := res.Stats.Records
	fmt.Fprintf(e.stdout, "export of %s (%s): %d records, %.1f MB zip, in %s\n", site.Slug, site.Store.Dialect(), n, float64(size)/1e6, wall.Round(time.Millisecond))
	floor, rows, err := parseOnly(f.Name())
	if err != nil {
		return fmt.Errorf("bench export: parse-only pass: %w", err)
	}
	fmt.Fprintf(e.stdout, "  %.0f records/s; peak RSS %s; parse-only pass of the zip: %d rows in %s (export %.1fx that)\n",
		float64(n)/wall.Seconds(), peakRSS(), rows, floor.Round(time.Millisecond), wall.Seconds()/floor.Seconds())
	return nil
}

// parseOnly is the floor: every .csv file of the zip or folder at path
// through encoding/csv, nothing else. It returns the time and the rows
// (headers included).
func parseOnly(path string) (time.Duration, int, error) {
	start := time.Now()
	rows := 0
	count := func(r io.Reader) error {
		cr := csv.NewReader(r)
		cr.ReuseRecord, cr.FieldsPerRecord, cr.LazyQuotes = true, -1, true
		for {
			_, err := cr.Read()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			rows++
		}
	}
	isCSV := func(name string) bool { return strings.EqualFold(filepath.Ext(name), ".csv") }
	info, err := os.Stat(path)
	if err != nil {
		return 0, 0, err
	}
	if info.IsDir() {
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !isCSV(p) {
				return err
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return count(bufio.NewReaderSize(f, 1<<16))
		})
		return time.Since(start), rows, err
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, 0, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if !isCSV(f.Name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return 0, 0, err
		}
		err = count(rc)
		rc.Close()
		if err != nil {
			return 0, 0, fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return time.Since(start), rows, nil
}

// readOnly runs the HMIS CSV reader with its validation, no database.
func readOnly(path string) (time.Duration, int, error) {
	start := time.Now()
	x, err := hmiscsv.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer x.Close()
	n := 0
	rep, err := x.Read(func(string, int, any) error { n++; return nil })
	if err != nil {
		return 0, 0, err
	}
	if rep.Errors() > 0 {
		return 0, 0, fmt.Errorf("%d errors in the export: run hearth import --dry-run for the report", rep.Errors())
	}
	return time.Since(start), n, nil
}

// peakRSS returns the process's peak resident memory (VmHWM) as text.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(v)
			if len(f) == 0 {
				break
			}
			if kb, err := strconv.ParseInt(f[0], 10, 64); err == nil {
				return fmt.Sprintf("%.0f MiB", float64(kb)/1024)
			}
		}
	}
	return "unknown"
}

// profileFlags are --cpuprofile and --memprofile: pprof files of the
// timed part, for `go tool pprof -top hearth FILE`.
type profileFlags struct{ cpu, mem string }

func (p *profileFlags) register(fs interface {
	StringVar(*string, string, string, string)
}) {
	fs.StringVar(&p.cpu, "cpuprofile", "", "write a CPU profile of the timed part here")
	fs.StringVar(&p.mem, "memprofile", "", "write a heap profile (after the timed part) here")
}

// start begins the CPU profile; the returned stop ends it and writes the
// heap profile.
func (p *profileFlags) start() (stop func() error, err error) {
	var cpu *os.File
	if p.cpu != "" {
		if cpu, err = os.Create(p.cpu); err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			cpu.Close()
			return nil, err
		}
	}
	return func() error {
		var errs []error
		if cpu != nil {
			pprof.StopCPUProfile()
			errs = append(errs, cpu.Close())
		}
		if p.mem != "" {
			f, err := os.Create(p.mem)
			if err != nil {
				return err
			}
			runtime.GC()
			errs = append(errs, pprof.WriteHeapProfile(f), f.Close())
		}
		return errors.Join(errs...)
	}, nil
}

// cpuTime returns the CPU time (user + system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
