// Package hmiscsv reads and writes the HUD HMIS CSV format: the zip of 24
// CSV files that HMIS data travels in (REFERENCE.md §1).
//
// Reading (Open, Export.Read) streams an export of version FY2026, FY2024 or
// FY2022 from a zip or a folder, converts every record to the FY2026 model
// (hmis.Client, hmis.Enrollment, ...) and validates it as it goes, following
// the import severity policy of KNOWN-ISSUES.md: errors stop an import,
// deviations that can be read as meant are warnings. The result is a Report.
//
// Writing (NewWriter, WriteDataset) produces FY2026 exactly: all 24 files,
// HUD's column order and spelling, HUD's formats, deterministic bytes.
//
// The package knows no database; docs/hmis-csv.md describes the decisions.
package hmiscsv
