package hud

// The generator reads ../shared/hud/fy2026 (found from the module root; -shared
// overrides) and writes this package's *_gen.go files, internal/hmis/records_gen.go
// and internal/store/records_gen.go. With -migrations it also (re)writes the
// frozen internal/store/migrations/*/0002_hud_records.sql files: only do that
// before the migration is released.
//go:generate go run ./internal/gen
