package main

import (
	"strings"
	"testing"
)

func TestBenchImportExport(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	good := smallExport(t, false)

	// Into a temporary data folder (the default).
	out, stderr, code := hearth(t, vars, "", "bench", "import", good)
	if code != 0 || !strings.Contains(out, "parse only") || !strings.Contains(out, "6 new") || !strings.Contains(out, "peak RSS") {
		t.Fatalf("bench import: exit %d\n%s%s", code, out, stderr)
	}
	// --import-only: no floor or read pass, and no ratios to them.
	out, stderr, code = hearth(t, vars, "", "bench", "import", "--import-only", good)
	if code != 0 || strings.Contains(out, "parse only") || strings.Contains(out, "read and validate") ||
		!strings.Contains(out, "6 new") || !strings.Contains(out, "--import-only") {
		t.Fatalf("bench import --import-only: exit %d\n%s%s", code, out, stderr)
	}
	// Into the site, then exported.
	if out, stderr, code = hearth(t, vars, "", "bench", "import", "--data", data, "--site", "live", good); code != 0 {
		t.Fatalf("bench import --data: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code = hearth(t, vars, "", "bench", "export", "--site", "live")
	if code != 0 || !strings.Contains(out, "export of live") || !strings.Contains(out, "records/s") {
		t.Fatalf("bench export: exit %d\n%s%s", code, out, stderr)
	}
	if _, _, code := hearth(t, vars, "", "bench", "import"); code != 2 {
		t.Errorf("bench import without PATH: exit %d, want 2", code)
	}
}
