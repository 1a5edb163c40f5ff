package main

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestImportGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	gc, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	defer func() { debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) }()

	restore := importGC()
	if got := debug.SetGCPercent(importGCPercent); got != importGCPercent {
		t.Errorf("during an import GOGC = %d, want %d", got, importGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != importMemoryLimit {
		t.Errorf("during an import the memory limit = %d, want %d", got, importMemoryLimit)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after the import GOGC = %d, want 100 again", got)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("after the import the memory limit = %d, want none again", got)
	}

	// The environment wins.
	t.Setenv("GOGC", "50")
	restore = importGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, importGC changed GOGC to %d", got)
	}
	restore()
}
