package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/store"
)

// TestReleaseCommands drives sharing through the real commands: a case
// manager of B cannot find A's client; after A records a release naming
// B and shares by release, B's search and export find the client but not
// A's restricted service; after the release is revoked, B finds nothing.
// The served dimension (an organization sees the clients it serves): C
// runs a program the client is enrolled in (e2, service s3), so C's case
// manager finds the client and exports C's program's service only, in
// every state, all of it once shared globally, nothing once e2 is
// deleted; C may not change the client's sharing.
func TestReleaseCommands(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	if _, stderr, code := hearth(t, vars, "", "org", "list", "--site", "live"); code != 0 {
		t.Fatalf("org list: %s", stderr)
	}
	st, err := store.Open(t.Context(), store.Options{Path: filepath.Join(data, "live.db"), Key: siteKey(t, data)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := storeCtx(t)
	today := hmis.DateOf(time.Now())
	for _, rec := range []any{
		&hmis.Organization{OrganizationID: "A", OrganizationName: "A"},
		&hmis.Organization{OrganizationID: "B", OrganizationName: "B"},
		&hmis.Organization{OrganizationID: "C", OrganizationName: "C"},
		&hmis.Project{ProjectID: "pA", OrganizationID: "A", ProjectName: "Shelter"},
		&hmis.Project{ProjectID: "pC", OrganizationID: "C", ProjectName: "Outreach"},
		&hmis.Client{PersonalID: "c1", FirstName: "Quentin", LastName: "Marlowe", DOB: hmis.MustDate("1970-07-07")},
		&hmis.Enrollment{EnrollmentID: "e1", PersonalID: "c1", ProjectID: "pA", HouseholdID: "h1", EntryDate: today.AddDays(-5)},
		&hmis.Service{ServicesID: "s1", EnrollmentID: "e1", PersonalID: "c1", DateProvided: today.AddDays(-4)},
		&hmis.Service{ServicesID: "s2", EnrollmentID: "e1", PersonalID: "c1", DateProvided: today.AddDays(-3)},
		&hmis.Enrollment{EnrollmentID: "e2", PersonalID: "c1", ProjectID: "pC", HouseholdID: "h2", EntryDate: today.AddDays(-2)},
		&hmis.Service{ServicesID: "s3", EnrollmentID: "e2", PersonalID: "c1", DateProvided: today.AddDays(-1)},
	} {
		var err error
		switch r := rec.(type) {
		case *hmis.Organization:
			err = store.CreateRecord(ctx, st, r)
		case *hmis.Project:
			err = store.CreateRecord(ctx, st, r)
		case *hmis.Client:
			err = store.CreateRecord(ctx, st, r)
		case *hmis.Enrollment:
			err = store.CreateRecord(ctx, st, r)
		case *hmis.Service:
			err = store.CreateRecord(ctx, st, r)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := store.ExecForTest(st, `UPDATE clients SET organization_id = 'A'`); err != nil {
		t.Fatal(err)
	}
	// s2 is a DV service: restricted to A.
	if err := store.ExecForTest(st, `UPDATE services SET restricted_to_org = 'A' WHERE services_id = 's2'`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, u := range [][2]string{{"cma", "A"}, {"cmb", "B"}, {"cmc", "C"}} {
		if out, stderr, code := hearth(t, vars, "A-long-passw0rd-for-"+u[0]+"\n", "user", "add", "--site", "live", "--username", u[0],
			"--role", "case_manager", "--org", u[1]); code != 0 {
			t.Fatalf("user add: %s%s", out, stderr)
		}
	}
	cases := 0
	sees := func(as string, wantClient bool, wantServices int) {
		t.Helper()
		out, stderr, code := hearth(t, vars, "", "search", "--site", "live", "--as", as, "--json", "Marlowe, Quentin")
		if code != 0 {
			t.Fatalf("search: %s", stderr)
		}
		var rs []map[string]any
		json.Unmarshal([]byte(out), &rs)
		cases++
		if (len(rs) == 1) != wantClient {
			t.Errorf("search --as %s: %s, want found %v", as, out, wantClient)
		}
		zip := filepath.Join(t.TempDir(), "x.zip")
		if _, stderr, code := hearth(t, vars, "", "export", "--site", "live", "--as", as, "--out", zip); code != 0 {
			t.Fatalf("export: %s", stderr)
		}
		ds, _, err := hmiscsv.ReadDataset(zip)
		if err != nil {
			t.Fatal(err)
		}
		cases += 2
		if (len(ds.Clients) == 1) != wantClient || len(ds.Services) != wantServices {
			t.Errorf("export --as %s: %d clients, %d services; want %v, %d", as, len(ds.Clients), len(ds.Services), wantClient, wantServices)
		}
	}
	sees("cma", true, 3)
	sees("cmb", false, 0)
	sees("cmc", true, 1) // served: the intake and C's own program's service

	run := func(wantCode int, stdin string, args ...string) string {
		t.Helper()
		out, stderr, code := hearth(t, vars, stdin, args...)
		if code != wantCode {
			t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, wantCode, out, stderr)
		}
		return out + stderr
	}
	begin, end := today.AddDays(-1).String(), today.AddDays(30).String()
	// End before begin: a clear message.
	if out := run(1, "", "release", "add", "--site", "live", "--as", "cma", "--client", "c1", "--org", "B", "--begin", end, "--end", begin, "--verbal-witness", "Sam"); !strings.Contains(out, "before it begins") {
		t.Errorf("end before begin: %s", out)
	}
	// B may not record a release for a client it cannot see: not found.
	if out := run(1, "", "release", "add", "--site", "live", "--as", "cmb", "--client", "c1", "--org", "B", "--begin", begin, "--end", end, "--verbal-witness", "Sam"); !strings.Contains(out, "not found") {
		t.Errorf("B adds: %s", out)
	}
	out := run(0, "", "release", "add", "--site", "live", "--as", "cma", "--client", "c1", "--org", "B", "--begin", begin, "--end", end, "--verbal-witness", "Sam Witness")
	if !strings.Contains(out, "note: the client's restriction") {
		t.Errorf("release add: %s", out)
	}
	id := regexp.MustCompile(`release (\S+) \(R-1\) added: active`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("release add: %s", out)
	}
	sees("cmb", false, 0) // Restrict to Organization overrides the release
	sees("cmc", true, 1)
	run(0, "", "client", "restrict", "--site", "live", "--as", "cma", "--client", "c1", "release")
	sees("cmb", true, 2) // the intake and the services, not the DV service
	sees("cmc", true, 1) // the release does not name C: still C's own only
	if out := run(1, "", "client", "restrict", "--site", "live", "--as", "cmb", "--client", "c1", "global"); !strings.Contains(out, "own organization") {
		t.Errorf("B restricts: %s", out)
	}
	if out := run(1, "", "client", "restrict", "--site", "live", "--as", "cmc", "--client", "c1", "global"); !strings.Contains(out, "own organization") {
		t.Errorf("C (serving) restricts: %s", out)
	}
	run(1, "", "release", "add", "--site", "live", "--as", "cmc", "--client", "c1", "--org", "C", "--begin", begin, "--end", end, "--verbal-witness", "Sam")
	cases += 2
	if out := run(0, "", "release", "list", "--site", "live", "--as", "cmb", "--client", "c1"); !strings.Contains(out, "verbal consent, witnessed by Sam Witness") || !strings.Contains(out, "active") {
		t.Errorf("release list: %s", out)
	}
	run(0, "", "release", "revoke", "--site", "live", "--as", "cma", "--id", id[1], "--reason", "client withdrew consent")
	sees("cmb", false, 0)
	sees("cmc", true, 1)
	if out := run(0, "", "release", "list", "--site", "live", "--client", "c1"); !strings.Contains(out, "revoked") || !strings.Contains(out, "client withdrew consent") {
		t.Errorf("release list after revoke: %s", out)
	}
	run(0, "", "client", "restrict", "--site", "live", "--client", "c1", "global")
	sees("cmb", true, 2)
	sees("cmc", true, 2) // global: C sees the whole record too (not the DV service)
	// Restricted again, then e2 deleted: C no longer serves the client.
	run(0, "", "client", "restrict", "--site", "live", "--as", "cma", "--client", "c1", "organization")
	sees("cmc", true, 1)
	st, err = store.Open(t.Context(), store.Options{Path: filepath.Join(data, "live.db"), Key: siteKey(t, data)})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.DeleteRecord[hmis.Enrollment](ctx, st, "e2"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	sees("cmc", false, 0)
	sees("cma", true, 2) // s3 went with e2
	t.Logf("%d access cases (CLI)", cases)
}
