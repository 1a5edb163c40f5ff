package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// The access matrix (issue 6 item 9), store side: every client
// restriction x release state x transaction restriction x served by B
// (an enrollment in a program of B, the named organization) or not, seen
// by every role of the owning organization (A), a named one (B) and an
// unnamed one (C), through the store's real read paths (SearchClients,
// ExportRecords, ReportDataset, FindClientEnrollments,
// FindClientServices, DashboardCounts, and the generic FindRecordByID,
// FindRecords and CountRecords) and the decision for one client
// (ClientAccess), on SQLite and PostgreSQL. Expectations are written out here, not computed by the
// access package. cmd/hearth's TestAccessMatrixCLI drives the same matrix
// through hearth search --as and hearth export --as.

// Release states of the matrix.
var matrixReleases = []string{"none", "active", "intake-only", "not-yet-begun", "expired", "revoked", "names-other-org"}

// Transaction restrictions of the matrix.
var matrixTransactions = []string{"none", "enrollment", "service"}

var matrixRestrictions = []access.Restriction{access.RestrictOrganization, access.ShareByRelease, access.ShareGlobally}

// MatrixClient is one client of the matrix.
type matrixClient struct {
	id, first            string
	restr                access.Restriction
	release, transaction string
	// served: the client also has an enrollment (eb-) with a service
	// (sb-) in B's program; its service is restricted to A when
	// transaction is "service" (a transaction restricted to another
	// organization stays hidden from the serving one).
	served bool
}

func (c matrixClient) enrollment() string  { return "e-" + c.id }
func (c matrixClient) service() string     { return "s-" + c.id }
func (c matrixClient) enrollmentB() string { return "eb-" + c.id }
func (c matrixClient) serviceB() string    { return "sb-" + c.id }

// matrixExpectServed returns what an actor of org (role) should see of
// the client's enrollment and service in B's program: nothing when the
// client is not served by B; else what sees the whole record, and B
// (an organization sees the clients it serves and its own programs'
// transactions), except a service restricted to A.
func matrixExpectServed(role hmis.Role, org string, c matrixClient) (enrollment, service bool) {
	if !c.served || role == hmis.RoleSupport {
		return false, false
	}
	full := role == hmis.RoleAdmin || org == "A" || c.restr == access.ShareGlobally ||
		(org == "B" && c.restr == access.ShareByRelease && c.release == "active")
	enrollment = full || org == "B"
	service = enrollment && (role == hmis.RoleAdmin || org == "A" || c.transaction != "service")
	return
}

// matrixExpect returns what an actor of org (role) should see of c:
// the client, its enrollment, its service, and the access level.
func matrixExpect(role hmis.Role, org string, c matrixClient) (client, enrollment, service bool, level access.Level) {
	if role == hmis.RoleSupport { // the support desk sees no client record at all
		return false, false, false, access.NotFound
	}
	full := role == hmis.RoleAdmin || org == "A" || c.restr == access.ShareGlobally
	intake := false
	if !full && org == "B" && c.restr == access.ShareByRelease {
		switch c.release {
		case "active":
			full = true
			level = access.Visible
		case "intake-only":
			intake = true
			level = access.Intake
		}
	}
	if full && level == access.NotFound {
		level = access.Editable
		if role == hmis.RoleReadOnly {
			level = access.Visible
		}
	}
	client = full || intake
	if c.served && org == "B" && !client { // B serves the client: its intake
		client, level = true, access.Intake
	}
	enrollment = full && (role == hmis.RoleAdmin || org == "A" || c.transaction != "enrollment")
	service = enrollment && (role == hmis.RoleAdmin || org == "A" || c.transaction != "service")
	return
}

// buildMatrix creates organizations A, B, C, D, a project of A, and one
// client per combination with an enrollment and a service, and returns
// the clients. today is the store's date.
func buildMatrix(t *testing.T, s *store.Store, today hmis.Date) []matrixClient {
	t.Helper()
	ctx := storetest.Context(t)
	for _, o := range []string{"A", "B", "C", "D"} {
		if err := store.CreateRecord(ctx, s, &hmis.Organization{OrganizationID: o, OrganizationName: "Org " + o}); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []hmis.Project{{ProjectID: "pA", OrganizationID: "A", ProjectName: "Shelter A"}, {ProjectID: "pB", OrganizationID: "B", ProjectName: "Outreach B"}} {
		if err := store.CreateRecord(ctx, s, &p); err != nil {
			t.Fatal(err)
		}
	}
	var out []matrixClient
	n := 0
	for _, r := range matrixRestrictions {
		for _, rel := range matrixReleases {
			for _, tr := range matrixTransactions {
				for _, served := range []bool{false, true} {
					n++
					c := matrixClient{id: fmt.Sprintf("m%03d", n), first: fmt.Sprintf("Person%c%c", 'a'+n/26, 'a'+n%26), restr: r, release: rel, transaction: tr, served: served}
					last := "Zephyrine" // two names: one search finds at most MaxSearchLimit
					if served {
						last = "Quillfeather"
					}
					rec := searchClient(c.id, c.first, last, "1980-03-04", "")
					if err := store.CreateRecord(ctx, s, &rec); err != nil {
						t.Fatal(err)
					}
					if err := storetest.Exec(s, `UPDATE clients SET organization_id = 'A' WHERE personal_id = ?`, c.id); err != nil {
						t.Fatal(err)
					}
					if err := s.SetClientRestriction(ctx, c.id, r); err != nil {
						t.Fatal(err)
					}
					if err := store.CreateRecord(ctx, s, &hmis.Enrollment{EnrollmentID: c.enrollment(), PersonalID: c.id, ProjectID: "pA", HouseholdID: "h-" + c.id, EntryDate: today.AddDays(-30)}); err != nil {
						t.Fatal(err)
					}
					if err := store.CreateRecord(ctx, s, &hmis.Service{ServicesID: c.service(), EnrollmentID: c.enrollment(), PersonalID: c.id, DateProvided: today.AddDays(-29)}); err != nil {
						t.Fatal(err)
					}
					if served {
						if err := store.CreateRecord(ctx, s, &hmis.Enrollment{EnrollmentID: c.enrollmentB(), PersonalID: c.id, ProjectID: "pB", HouseholdID: "hb-" + c.id, EntryDate: today.AddDays(-20)}); err != nil {
							t.Fatal(err)
						}
						if err := store.CreateRecord(ctx, s, &hmis.Service{ServicesID: c.serviceB(), EnrollmentID: c.enrollmentB(), PersonalID: c.id, DateProvided: today.AddDays(-19)}); err != nil {
							t.Fatal(err)
						}
						if tr == "service" {
							if err := storetest.Exec(s, `UPDATE services SET restricted_to_org = 'A' WHERE services_id = ?`, c.serviceB()); err != nil {
								t.Fatal(err)
							}
						}
					}
					switch tr {
					case "enrollment":
						err := storetest.Exec(s, `UPDATE enrollments SET restricted_to_org = 'A' WHERE enrollment_id = ?`, c.enrollment())
						if err != nil {
							t.Fatal(err)
						}
					case "service":
						if err := storetest.Exec(s, `UPDATE services SET restricted_to_org = 'A' WHERE services_id = ?`, c.service()); err != nil {
							t.Fatal(err)
						}
					}
					nr := store.NewRelease{PersonalID: c.id, Organizations: []string{"B"}, Begin: today.AddDays(-10), End: today.AddDays(10), Witness: "Case Worker"}
					switch rel {
					case "none":
						out = append(out, c)
						continue
					case "intake-only":
						nr.Coverage = access.CoverIntake
					case "not-yet-begun":
						nr.Begin = today.AddDays(1)
					case "expired":
						nr.End = today.AddDays(-1)
					case "names-other-org":
						nr.Organizations = []string{"D"}
					}
					r, err := s.AddRelease(ctx, nr)
					if err != nil {
						t.Fatal(err)
					}
					if rel == "revoked" {
						if _, err := s.RevokeRelease(ctx, r.ID, "client withdrew consent"); err != nil {
							t.Fatal(err)
						}
					}
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// matrixActors are the actors of the matrix: every role of A, B and C.
func matrixActors() []hmis.Actor {
	var out []hmis.Actor
	for _, role := range hmis.Roles {
		for _, org := range []string{"A", "B", "C"} {
			out = append(out, hmis.Actor{Username: string(role) + "-" + org, UserID: "u", OrganizationID: org, Role: role, Via: "test"})
		}
	}
	return out
}

func TestAccessMatrix(t *testing.T) {
	now := time.Date(2026, 5, 20, 12, 0, 0, 0, time.Local)
	today := hmis.DateOf(now)
	storetest.EachAt(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		clients := buildMatrix(t, s, today)
		cases, leaks := 0, 0
		check := func(what string, a hmis.Actor, c matrixClient, got, want bool) {
			t.Helper()
			cases++
			if got != want {
				if got {
					leaks++
				}
				t.Errorf("%s: %s sees %s of %s (restriction %s, release %s, transaction %s, served by B %v): %v, want %v",
					what, a.Username, what, c.id, c.restr, c.release, c.transaction, c.served, got, want)
			}
		}
		for _, a := range matrixActors() {
			ctx := hmis.NewContext(t.Context(), a)
			// Search: two queries that match every client of the matrix.
			var searched []string
			for _, name := range []string{"Zephyrine", "Quillfeather"} {
				ms, err := s.SearchClients(ctx, search.Parse(name, now), store.MaxSearchLimit)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ms {
					searched = append(searched, m.PersonalID)
				}
			}
			// Export: the whole site.
			var exported []string
			if _, err := s.ExportRecords(ctx, store.ExportScope{}, func(rec any) error {
				exported = append(exported, rec.(interface{ RecordID() string }).RecordID())
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			// Reports: the dataset of a report over both programs.
			ds, err := s.ReportDataset(ctx, store.ReportScope{ProjectIDs: []string{"pA", "pB"}, Start: today.AddDays(-60), End: today})
			if err != nil {
				t.Fatal(err)
			}
			var reported []string
			for _, c := range ds.Clients {
				reported = append(reported, c.PersonalID)
			}
			for _, e := range ds.Enrollments {
				reported = append(reported, e.EnrollmentID)
			}
			for _, v := range ds.Services {
				reported = append(reported, v.ServicesID)
			}
			// The home page's counts: as many as the matrix says.
			counts, err := s.DashboardCounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var wantClients, wantEnrollments, wantServices int
			for _, c := range clients {
				wc, we, ws, wl := matrixExpect(a.Role, a.OrganizationID, c)
				web, wsb := matrixExpectServed(a.Role, a.OrganizationID, c)
				wantClients += b2i(wc)
				wantEnrollments += b2i(we) + b2i(web)
				wantServices += b2i(ws) + b2i(wsb)
				check("search", a, c, slices.Contains(searched, c.id), wc)
				check("export client", a, c, slices.Contains(exported, c.id), wc)
				check("export enrollment", a, c, slices.Contains(exported, c.enrollment()), we)
				check("export service", a, c, slices.Contains(exported, c.service()), ws)
				check("export enrollment in B's program", a, c, slices.Contains(exported, c.enrollmentB()), web)
				check("export service in B's program", a, c, slices.Contains(exported, c.serviceB()), wsb)
				check("report client", a, c, slices.Contains(reported, c.id), we || web)
				check("report enrollment", a, c, slices.Contains(reported, c.enrollment()), we)
				check("report service", a, c, slices.Contains(reported, c.service()), ws)
				check("report enrollment in B's program", a, c, slices.Contains(reported, c.enrollmentB()), web)
				check("report service in B's program", a, c, slices.Contains(reported, c.serviceB()), wsb)
				// The client's pages: enrollments and services.
				es, err := s.FindClientEnrollments(ctx, c.id)
				if (err != nil) == wc || (err != nil && hmis.ErrorCode(err) != hmis.ENOTFOUND) {
					t.Errorf("FindClientEnrollments: %s on %s: %v; want visible %v", a.Username, c.id, err, wc)
				}
				var seen []string
				for _, e := range es {
					seen = append(seen, e.EnrollmentID)
				}
				vs, err := s.FindClientServices(ctx, c.id)
				if (err != nil) == wc {
					t.Errorf("FindClientServices: %s on %s: %v; want visible %v", a.Username, c.id, err, wc)
				}
				for _, v := range vs {
					seen = append(seen, v.ServicesID)
				}
				check("dashboard enrollment", a, c, slices.Contains(seen, c.enrollment()), we)
				check("dashboard service", a, c, slices.Contains(seen, c.service()), ws)
				check("dashboard enrollment in B's program", a, c, slices.Contains(seen, c.enrollmentB()), web)
				check("dashboard service in B's program", a, c, slices.Contains(seen, c.serviceB()), wsb)
				// The generic record reads (records.go).
				_, err = store.FindRecordByID[hmis.Client](ctx, s, c.id)
				check("FindRecordByID client", a, c, err == nil, wc)
				_, err = store.FindRecordByID[hmis.Enrollment](ctx, s, c.enrollment())
				check("FindRecordByID enrollment", a, c, err == nil, we)
				_, err = store.FindRecordByID[hmis.Service](ctx, s, c.service())
				check("FindRecordByID service", a, c, err == nil, ws)
				eb, err := store.FindRecords[hmis.Enrollment](ctx, s, store.RecordFilter{PersonalID: c.id})
				if err != nil {
					t.Fatal(err)
				}
				check("FindRecords enrollment in B's program", a, c, slices.ContainsFunc(eb, func(e hmis.Enrollment) bool { return e.EnrollmentID == c.enrollmentB() }), web)
				sb, err := store.FindRecords[hmis.Service](ctx, s, store.RecordFilter{EnrollmentID: c.enrollmentB()})
				if err != nil {
					t.Fatal(err)
				}
				check("FindRecords service in B's program", a, c, len(sb) == 1, wsb)
				l, err := s.ClientAccess(ctx, c.id)
				if err != nil {
					t.Fatal(err)
				}
				cases++
				if l != wl {
					if l > wl {
						leaks++
					}
					t.Errorf("ClientAccess: %s on %s (restriction %s, release %s, served %v): %v, want %v", a.Username, c.id, c.restr, c.release, c.served, l, wl)
				}
				rs, err := s.ClientReleases(ctx, c.id)
				cases++
				if (err == nil) != wc || (err != nil && hmis.ErrorCode(err) != hmis.ENOTFOUND) {
					t.Errorf("ClientReleases: %s on %s: %d releases, %v; want visible %v", a.Username, c.id, len(rs), err, wc)
				}
			}
			cases += 3
			if counts.Clients != wantClients || counts.Enrollments != wantEnrollments || counts.Services != wantServices {
				t.Errorf("DashboardCounts: %s counts %d clients, %d enrollments, %d services; want %d, %d, %d", a.Username,
					counts.Clients, counts.Enrollments, counts.Services, wantClients, wantEnrollments, wantServices)
			}
			cases += 3
			nc, err1 := store.CountRecords[hmis.Client](ctx, s, store.RecordFilter{})
			ne, err2 := store.CountRecords[hmis.Enrollment](ctx, s, store.RecordFilter{})
			ns, err3 := store.CountRecords[hmis.Service](ctx, s, store.RecordFilter{})
			if nc != wantClients || ne != wantEnrollments || ns != wantServices || err1 != nil || err2 != nil || err3 != nil {
				t.Errorf("CountRecords: %s counts %d clients, %d enrollments, %d services (%v %v %v); want %d, %d, %d", a.Username,
					nc, ne, ns, err1, err2, err3, wantClients, wantEnrollments, wantServices)
			}
		}
		t.Logf("%d access cases, %d leaks", cases, leaks)
		fmt.Printf("%d access cases (store, %s)\n", cases, t.Name())
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
