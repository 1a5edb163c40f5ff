package store_test

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_Completeness(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newServicesFixture(t, s)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)

		qs, err := s.ClientCompleteness(cm1, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if len(qs) != 2 { // E1 and the restricted E4, both org1's
			t.Fatalf("c1's enrollments: %+v", qs)
		}
		got := map[string]string{}
		for _, x := range qs[0].Findings {
			got[x.Element+" "+x.Label] = x.Kind
		}
		for k, want := range map[string]string{
			"3.02 Social Security Number": hmis.DQMissing, "3.04 Race and ethnicity": hmis.DQDKR, "4.21 Sex": hmis.DQMissing,
			"3.08 Disabling condition": hmis.DQMissing, "3.16 Enrollment CoC": hmis.DQMissing,
			"3.917 Prior living situation": hmis.DQMissing, "4.02 Income at project start": hmis.DQMissing, "3.10 Project start": hmis.DQLate,
		} {
			if got[k] != want {
				t.Errorf("%s: %q, want %q (all: %v)", k, got[k], want, got)
			}
		}
		if len(got) != 8 {
			t.Errorf("findings %v", got)
		}
		// Org2 sees c1 by a release, not the stay restricted to org1.
		if qs, err := s.ClientCompleteness(cm2, "c1"); err != nil || len(qs) != 1 {
			t.Errorf("org2: %d enrollments, %v", len(qs), err)
		}
		if _, err := s.ClientCompleteness(cm1, "c3"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("hidden client: %v", err)
		}

		// The program: E1 and E2 (exited 10 days ago), never E3 (org2's client).
		p, err := s.ProgramDataQuality(cm1, "P1", f.today.AddDays(-20))
		if err != nil || len(p) != 2 || p[0].EnrollmentID != "E1" || p[1].ExitDate.IsZero() {
			t.Errorf("program since 20 days: %+v %v", p, err)
		}
		if p, _ := s.ProgramDataQuality(cm1, "P1", f.today.AddDays(-5)); len(p) != 1 {
			t.Errorf("program since 5 days: %d enrollments", len(p))
		}
		if n := store.FindingsCount(p); n[hmis.DQMissing] == 0 || n[hmis.DQLate] != 3 { // both starts, entered 30 days after; E2's exit, 10 days after
			t.Errorf("counts %v", n)
		}
		entries, err := s.FindAudit(storetest.Context(t), store.AuditFilter{Entity: "project", Action: "read"})
		if err != nil || len(entries) != 2 {
			t.Errorf("program reads audited: %d, %v", len(entries), err)
		}
	})
}
