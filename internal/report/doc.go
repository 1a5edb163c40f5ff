// Package report holds what HUD's reports share (REFERENCE.md §4.3, the
// HMIS Reporting Glossary): the report universe of active clients, each
// client's latest stay, age at the later of project start and report
// start, household type, leavers and stayers, chronic homelessness at
// project start, the relevant annual assessment, income on a record,
// length of stay (start/exit and night by night), point-in-time dates and
// the destination classification; and the Table a report question is
// answered with.
//
// Everything is a pure function over an hmis.Dataset (no SQL): the caller
// loads the records the acting user may see and passes report Params.
//
//	u := report.NewUniverse(ds, report.Params{ProjectIDs: ids, Start: s, End: e, CoC: "XX-501"})
//	for _, c := range u.Clients { ... c.Age, c.HouseholdType, c.Leaver ... }
//
// A Table is one question in HUD's Sage cell layout (the FY2026 shells of
// ../shared/hud/reports/fy2026-table-shells, generated into shells_gen.go by
// `go generate ./internal/report`): a header row, row labels and cells.
// Each Cell has its value and the Refs (PersonalID, EnrollmentID) of the
// clients behind it, for drill-down. WriteSageZip writes a report as the
// zip Sage takes, one Q<id>.csv per table.
//
// The reports themselves live in sub-packages: report/apr (CoC APR and
// ESG CAPER); report/kit checks them against HUD's test kit.
//
// For a web page or a command: load the data of the chosen programs with
// store.ReportDataset (the export's visibility rule: only what the acting user may
// see, audited), run apr.Run, then show each Table (Title(ID) names it,
// Header and Rows[i].Label lay it out, Cell.String() is the Sage value) and
// link each count to its Cell.Refs: the PersonalID and EnrollmentID of each
// client behind it, all of them records the user could see when the report
// ran (check again when the drill-down opens later). Report.WriteSageZip
// writes the upload; Table.WriteCSV one table. Bad parameters come back as
// errors naming the field (Params.Validate); a period with no clients gives
// tables of zeros.
package report

//go:generate go run ./internal/gen
