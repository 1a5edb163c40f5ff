package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// notesFixture is two organizations, a case manager of each, and a
// client of the first shared by an active release with the second.
type notesFixture struct {
	org1, org2 string
	cm1, cm2   hmis.Actor
}

func newNotesFixture(t *testing.T, s *store.Store) notesFixture {
	t.Helper()
	sys := storetest.Context(t)
	f := notesFixture{org1: storetest.MustOrganization(t, s, "Hope Shelter"), org2: storetest.MustOrganization(t, s, "Safe Harbor")}
	f.cm1 = hmis.Actor{AccountID: "a1", UserID: "u1", Username: "casey", Role: hmis.RoleCaseManager, OrganizationID: f.org1, Via: "test"}
	f.cm2 = hmis.Actor{AccountID: "a2", UserID: "u2", Username: "olive", Role: hmis.RoleCaseManager, OrganizationID: f.org2, Via: "test"}
	for _, id := range []string{"c1", "c2", "c3"} {
		c := hmis.Client{PersonalID: id, FirstName: "First" + id, LastName: "Last" + id, DOB: hmis.MustDate("1980-01-02"),
			NameDataQuality: new(hud.NameDataQuality(1)), DOBDataQuality: new(hud.DOBDataQuality(1)),
			SSNDataQuality: new(hud.SSNDataQuality(99)), RaceNone: new(hud.RaceNone(8)),
			VeteranStatus: new(hud.NoYesReasonsForMissingData(0))}
		if err := store.CreateRecord(sys, s, &c); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	pt := hud.ProjectType(1)
	must(store.CreateRecord(sys, s, &hmis.Project{ProjectID: "P1", OrganizationID: f.org1, ProjectName: "Hope Emergency Shelter",
		OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: &pt}))
	must(storetest.Exec(s, `UPDATE clients SET organization_id = ?`, f.org1))
	must(storetest.Exec(s, `UPDATE clients SET organization_id = ? WHERE personal_id = 'c3'`, f.org2))
	must(s.SetClientRestriction(sys, "c1", access.ShareByRelease))
	today := hmis.DateOf(time.Now())
	_, err := s.AddRelease(sys, store.NewRelease{PersonalID: "c1", Organizations: []string{f.org2},
		Begin: today.AddDays(-1), End: today.AddDays(30), Witness: "W. Itness"})
	must(err)
	return f
}

func TestStore_CaseNotes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newNotesFixture(t, s)
		sys := storetest.Context(t)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		hoh := hud.RelationshipToHoH(1)
		e := hmis.Enrollment{EnrollmentID: "E1", PersonalID: "c1", ProjectID: "P1", EntryDate: hmis.MustDate("2024-01-05"),
			HouseholdID: "H1", RelationshipToHoH: &hoh}
		if err := store.CreateRecord(sys, s, &e); err != nil {
			t.Fatal(err)
		}

		if _, err := s.AddCaseNote(cm1, store.NewCaseNote{PersonalID: "c1", Text: "  "}); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("empty note: %v", err)
		}
		if _, err := s.AddCaseNote(cm1, store.NewCaseNote{PersonalID: "c1", Text: "x", EnrollmentID: "nope"}); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("another client's enrollment: %v", err)
		}
		// Shared by release: read only. Another org's client: not found.
		if _, err := s.AddCaseNote(cm2, store.NewCaseNote{PersonalID: "c1", Text: "x"}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Fatalf("release-shared: %v", err)
		}
		if _, err := s.AddCaseNote(cm1, store.NewCaseNote{PersonalID: "c3", Text: "x"}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Fatalf("hidden client: %v", err)
		}
		open, err := s.AddCaseNote(cm1, store.NewCaseNote{PersonalID: "c1", EnrollmentID: "E1", Text: "Met at the shelter; 100% ready",
			NoteDate: hmis.MustDate("2024-02-01")})
		if err != nil {
			t.Fatal(err)
		}
		secret, err := s.AddCaseNote(cm1, store.NewCaseNote{PersonalID: "c1", Text: "Safety plan discussed", Restricted: true})
		if err != nil {
			t.Fatal(err)
		}
		ns, err := s.FindCaseNotes(cm1, "c1")
		if err != nil || len(ns) != 2 || ns[0].ID != secret.ID || ns[1].ID != open.ID || ns[1].ProjectName != "" && ns[1].EnrollmentID != "E1" {
			t.Fatalf("own notes = %+v, %v", ns, err)
		}
		if ns[0].RestrictedToOrg != f.org1 || ns[0].OrganizationName != "Hope Shelter" || ns[0].NoteDate != hmis.DateOf(time.Now()) {
			t.Errorf("restricted note = %+v", ns[0])
		}
		// The release's organization sees the open note only.
		ns, err = s.FindCaseNotes(cm2, "c1")
		if err != nil || len(ns) != 1 || ns[0].ID != open.ID {
			t.Fatalf("shared notes = %+v, %v", ns, err)
		}
		// A service of the enrollment is seen by the release's organization...
		rt := hud.RecordType(144)
		svc := hmis.Service{ServicesID: "S1", EnrollmentID: "E1", PersonalID: "c1", DateProvided: hmis.MustDate("2024-01-10"), RecordType: &rt}
		if err := store.CreateRecord(sys, s, &svc); err != nil {
			t.Fatal(err)
		}
		if ss, err := s.FindClientServices(cm2, "c1"); err != nil || len(ss) != 1 {
			t.Fatalf("shared services = %+v, %v", ss, err)
		}
		// A restricted enrollment hides its notes, and its services too
		// (their program would name it).
		if err := storetest.Exec(s, `UPDATE enrollments SET restricted_to_org = ? WHERE enrollment_id = 'E1'`, f.org1); err != nil {
			t.Fatal(err)
		}
		if ns, err = s.FindCaseNotes(cm2, "c1"); err != nil || len(ns) != 0 {
			t.Fatalf("notes under a restricted enrollment = %+v, %v", ns, err)
		}
		if ss, err := s.FindClientServices(cm2, "c1"); err != nil || len(ss) != 0 {
			t.Fatalf("services under a restricted enrollment = %+v, %v", ss, err)
		}
		if ss, err := s.FindClientServices(cm1, "c1"); err != nil || len(ss) != 1 {
			t.Fatalf("own services = %+v, %v", ss, err)
		}
		if _, err := s.FindCaseNotes(cm1, "c3"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Fatalf("hidden client's notes: %v", err)
		}

		// Search: the author's organization's notes, LIKE wildcards literal.
		for q, want := range map[string]int{"SHELTER": 1, "100%": 1, "%": 1, "safety": 1, "nothing": 0, "_": 0} {
			got, err := s.SearchCaseNotes(cm1, store.CaseNoteSearch{Text: q})
			if err != nil || len(got) != want {
				t.Errorf("search %q = %d notes, %v; want %d", q, len(got), err, want)
			}
		}
		if got, err := s.SearchCaseNotes(cm2, store.CaseNoteSearch{Text: "shelter"}); err != nil || len(got) != 0 {
			t.Errorf("another org's search = %+v, %v", got, err)
		}

		es, err := s.FindAudit(sys, store.AuditFilter{Entity: "client", EntityID: "c1"})
		if err != nil {
			t.Fatal(err)
		}
		var adds, reads int
		for _, e := range es {
			switch {
			case e.Action == "case_note.add":
				adds++
			case e.Action == "read" && strings.HasPrefix(e.Detail, "case notes"):
				reads++
			}
			if strings.Contains(e.Detail, "shelter") || strings.Contains(e.Detail, "Safety") {
				t.Errorf("note text in the audit log: %+v", e)
			}
		}
		if adds != 2 || reads != 3 {
			t.Errorf("audit: %d adds, %d reads; want 2, 3", adds, reads)
		}
	})
}

func TestStore_UpdateClient(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newNotesFixture(t, s)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		d, err := s.FindClientByID(cm1, "c1")
		if err != nil {
			t.Fatal(err)
		}
		c := d.Client
		c.FirstName, c.Sex = "Johnny", new(hud.Sex(1))
		bad := c
		bad.SSN = "000-12-3456"
		if _, err := s.UpdateClient(cm1, bad); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("invalid SSN: %v", err)
		}
		if _, err := s.UpdateClient(cm2, c); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Fatalf("release-shared: %v", err)
		}
		hidden := c
		hidden.PersonalID = "c3"
		if _, err := s.UpdateClient(cm1, hidden); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Fatalf("hidden: %v", err)
		}
		if _, err := s.UpdateClient(cm1, c); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindClientByID(cm1, "c1")
		if err != nil || got.FirstName != "Johnny" || got.UserID != "u1" || !got.DateCreated.Equal(d.DateCreated) {
			t.Fatalf("after update: %+v, %v", got, err)
		}
		hist, err := s.ClientHistory(cm1, "c1")
		if err != nil || len(hist) < 2 || hist[0].Action != "update" {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		if !strings.Contains(hist[0].Detail, "FirstName changed") || !strings.Contains(hist[0].Detail, "Sex: ∅ → 1") ||
			strings.Contains(hist[0].Detail, "Johnny") || !strings.HasPrefix(hist[0].Actor, "casey") {
			t.Errorf("history entry = %+v", hist[0])
		}
		if _, err := s.ClientHistory(cm1, "c3"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("hidden client's history: %v", err)
		}
	})
}

func TestStore_FindClientFamily(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newNotesFixture(t, s)
		sys := storetest.Context(t)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		hoh, child := hud.RelationshipToHoH(1), hud.RelationshipToHoH(2)
		for _, e := range []hmis.Enrollment{
			{EnrollmentID: "E1", PersonalID: "c1", HouseholdID: "H1", RelationshipToHoH: &child},
			{EnrollmentID: "E2", PersonalID: "c2", HouseholdID: "H1", RelationshipToHoH: &hoh},
			{EnrollmentID: "E3", PersonalID: "c3", HouseholdID: "H1", RelationshipToHoH: &child},
		} {
			e.ProjectID, e.EntryDate = "P1", hmis.MustDate("2024-01-05")
			if err := store.CreateRecord(sys, s, &e); err != nil {
				t.Fatal(err)
			}
		}
		// c3 is org2's client, but org1 serves it (E3 in org1's P1): named.
		hs, err := s.FindClientFamily(cm1, "c1")
		if err != nil || len(hs) != 1 || hs[0].Hidden != 0 || len(hs[0].Members) != 3 {
			t.Fatalf("family = %+v, %v", hs, err)
		}
		// Restricted to org2, c3's enrollment hides c3 from the household.
		if err := storetest.Exec(s, `UPDATE enrollments SET restricted_to_org = ? WHERE enrollment_id = 'E3'`, f.org2); err != nil {
			t.Fatal(err)
		}
		hs, err = s.FindClientFamily(cm1, "c1")
		if err != nil || len(hs) != 1 {
			t.Fatalf("family = %+v, %v", hs, err)
		}
		h := hs[0]
		if h.Hidden != 1 || len(h.Members) != 2 || h.Members[0].PersonalID != "c2" || !h.Members[0].HeadOfHousehold() ||
			!h.Members[1].Self {
			t.Errorf("household = %+v", h)
		}
		for _, m := range h.Members {
			if m.PersonalID == "c3" {
				t.Errorf("hidden member named: %+v", m)
			}
		}
		// The system sees everyone.
		if hs, err = s.FindClientFamily(sys, "c1"); err != nil || hs[0].Hidden != 0 || len(hs[0].Members) != 3 {
			t.Errorf("system's family = %+v, %v", hs, err)
		}
	})
}

func TestStore_CaseNoteEditDelete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newNotesFixture(t, s)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		colleague := f.cm1
		colleague.AccountID, colleague.UserID, colleague.Username = "a3", "u3", "sam"
		cm3 := hmis.NewContext(t.Context(), colleague)
		admin := hmis.NewContext(t.Context(), hmis.Actor{AccountID: "a9", UserID: "u9", Username: "root", Role: hmis.RoleAdmin, Via: "test"})

		n, err := s.AddCaseNote(cm1, store.NewCaseNote{PersonalID: "c1", Text: "First draft", NoteDate: hmis.MustDate("2024-02-01")})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.FindCaseNote(cm1, "c1", n.ID)
		if err != nil || got.Text != "First draft" || !store.MayChangeCaseNote(cm1, got) || store.MayChangeCaseNote(cm3, got) {
			t.Fatalf("FindCaseNote = %+v, %v", got, err)
		}
		// Someone else of the organization, a shared organization: read only.
		if _, err := s.UpdateCaseNote(cm3, "c1", n.ID, store.CaseNoteChange{Text: "x", Version: got.DateUpdated}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Fatalf("colleague's edit: %v", err)
		}
		if _, err := s.UpdateCaseNote(cm2, "c1", n.ID, store.CaseNoteChange{Text: "x", Version: got.DateUpdated}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Fatalf("shared organization's edit: %v", err)
		}
		// Another client's id in the URL: not found.
		if _, err := s.UpdateCaseNote(cm1, "c2", n.ID, store.CaseNoteChange{Text: "x", Version: got.DateUpdated}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Fatalf("note under another client: %v", err)
		}
		if _, err := s.UpdateCaseNote(cm1, "c1", n.ID, store.CaseNoteChange{Text: " ", Version: got.DateUpdated}); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Fatalf("empty text: %v", err)
		}
		upd, err := s.UpdateCaseNote(cm1, "c1", n.ID, store.CaseNoteChange{Text: "Second draft", Restricted: true,
			NoteDate: hmis.MustDate("2024-02-02"), Version: got.DateUpdated})
		if err != nil || upd.Text != "Second draft" || upd.RestrictedToOrg != f.org1 || upd.NoteDate != hmis.MustDate("2024-02-02") {
			t.Fatalf("update = %+v, %v", upd, err)
		}
		// The first reader's version is stale now: not overwritten.
		if _, err := s.UpdateCaseNote(admin, "c1", n.ID, store.CaseNoteChange{Text: "Third", Version: got.DateUpdated}); hmis.ErrorCode(err) != hmis.ECONFLICT {
			t.Fatalf("stale edit: %v", err)
		}
		// Restricted now: the shared organization no longer sees it.
		if _, err := s.FindCaseNote(cm2, "c1", n.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Fatalf("restricted note seen by the shared organization: %v", err)
		}
		cur, err := s.FindCaseNote(admin, "c1", n.ID)
		if err != nil || cur.Text != "Second draft" {
			t.Fatalf("admin read = %+v, %v", cur, err)
		}
		if err := s.DeleteCaseNote(cm1, "c1", n.ID, got.DateUpdated); hmis.ErrorCode(err) != hmis.ECONFLICT {
			t.Fatalf("stale delete: %v", err)
		}
		if err := s.DeleteCaseNote(cm1, "c1", n.ID, cur.DateUpdated); err != nil {
			t.Fatal(err)
		}
		if ns, err := s.FindCaseNotes(cm1, "c1"); err != nil || len(ns) != 0 {
			t.Fatalf("notes after delete = %+v, %v", ns, err)
		}
		if _, err := s.FindCaseNote(cm1, "c1", n.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Fatalf("deleted note: %v", err)
		}
		// Audited, without the words.
		var details []string
		entries, err := s.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "client", EntityID: "c1", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Action, "case_note.") {
				details = append(details, e.Action+" "+e.Detail)
			}
		}
		joined := strings.Join(details, "|")
		if !strings.Contains(joined, "case_note.update") || !strings.Contains(joined, "case_note.delete") || strings.Contains(joined, "draft") {
			t.Errorf("audit = %s", joined)
		}
	})
}
