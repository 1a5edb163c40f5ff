package demo_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/demo"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// BenchmarkPopulate measures generating and writing clients on SQLite:
// go test -run - -bench Populate -benchtime 5000x ./internal/demo/
func BenchmarkPopulate(b *testing.B) {
	s := storetest.OpenSQLite(b)
	ctx := storetest.Context(b)
	if _, err := demo.Populate(ctx, s, demo.Options{Seed: 1, Today: today}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if _, err := demo.Populate(ctx, s, demo.Options{Clients: b.N, Seed: 1, Today: today}); err != nil {
		b.Fatal(err)
	}
}
