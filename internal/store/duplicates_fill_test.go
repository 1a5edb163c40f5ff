package store_test

import (
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// A merge fills the kept record's empty identity fields (SSN, DOB, middle
// name, sex) from the merged one, never overwriting a value; the audit
// names the fields, not the values; undoing the merge empties them again.
func TestDuplicatesMergeFillsEmptyFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		admin := hmis.NewContext(t.Context(), hmis.Actor{Username: "admin", AccountID: "acc-admin", Role: hmis.RoleAdmin, Via: "test"})
		cm := hmis.NewContext(t.Context(), hmis.Actor{Username: "cm", UserID: "u", Role: hmis.RoleCaseManager, Via: "test"})
		keep := searchClient("k1", "Rosalind", "Fairweather", "", "")
		keep.SSNDataQuality, keep.DOBDataQuality = new(hud.SSNDataQuality(99)), new(hud.DOBDataQuality(8))
		keep.VeteranStatus = new(hud.NoYesReasonsForMissingDataYes) // a value: kept
		merge := searchClient("m1", "Rose", "Fairweather", "1979-06-21", "345678912")
		merge.MiddleName = "Ann"
		merge.SSNDataQuality, merge.DOBDataQuality = new(hud.SSNDataQuality(1)), new(hud.DOBDataQuality(1))
		merge.Sex = new(hud.Sex(0))
		for _, c := range []hmis.Client{keep, merge} {
			if err := store.CreateRecord(ctx, s, &c); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.MergeFills(cm, "k1", "m1"); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("a case manager reads the fills: %v", err)
		}
		labels, err := s.MergeFills(admin, "k1", "m1")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(labels, ", "); got != "Middle name, SSN, Date of birth, Sex" {
			t.Errorf("fills shown before the merge: %s", got)
		}
		m, err := s.MergeClients(admin, "k1", "m1", "same person")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(m.Filled, ","); got != "middle_name,ssn,dob,sex" {
			t.Errorf("filled %s", got)
		}
		c, err := store.FindRecordByID[hmis.Client](ctx, s, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if c.SSN != "345678912" || *c.SSNDataQuality != 1 || c.DOB != hmis.MustDate("1979-06-21") || *c.DOBDataQuality != 1 ||
			c.MiddleName != "Ann" || c.Sex == nil || *c.Sex != 0 {
			t.Errorf("kept after the merge: %+v", c)
		}
		if c.FirstName != "Rosalind" || *c.VeteranStatus != hud.NoYesReasonsForMissingDataYes {
			t.Errorf("a value of the kept record was overwritten: %q %v", c.FirstName, *c.VeteranStatus)
		}
		es, err := s.FindAudit(ctx, store.AuditFilter{Action: "merge", EntityID: "k1"})
		if err != nil || len(es) != 1 {
			t.Fatalf("merge audit %+v %v", es, err)
		}
		if !strings.Contains(es[0].Detail, "filled from the merged record: middle_name, ssn, dob, sex") ||
			strings.Contains(es[0].Detail, "345678912") || strings.Contains(es[0].Detail, "1979") {
			t.Errorf("merge audit detail %q", es[0].Detail)
		}
		if err := s.UndoMerge(admin, m.ID); err != nil {
			t.Fatal(err)
		}
		c, err = store.FindRecordByID[hmis.Client](ctx, s, "k1")
		if err != nil {
			t.Fatal(err)
		}
		if c.SSN != "" || *c.SSNDataQuality != 99 || !c.DOB.IsZero() || *c.DOBDataQuality != 8 || c.MiddleName != "" || c.Sex != nil ||
			c.FirstName != "Rosalind" {
			t.Errorf("kept after the undo: %+v", c)
		}
		es, err = s.FindAudit(ctx, store.AuditFilter{Action: "merge.undo", EntityID: "m1"})
		if err != nil || len(es) != 1 || !strings.Contains(es[0].Detail, "emptied on k1: dob, middle_name, sex, ssn") {
			t.Errorf("undo audit %+v %v", es, err)
		}
	})
}
