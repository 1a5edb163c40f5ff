package store_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

var cmpDate = cmp.Comparer(func(a, b hmis.Date) bool { return a.Equal(b) })

// fixture holds the parent records every other record refers to.
type fixture struct {
	org, user, project, client, enrollment, assessment string
}

func newFixture(t *testing.T, s *store.Store) fixture {
	t.Helper()
	ctx := storetest.Context(t)
	f := fixture{org: "org-1", user: "user-1", project: "proj-1", client: "client-1", enrollment: "enr-1", assessment: "asmt-1"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(store.CreateRecord(ctx, s, &hmis.Organization{OrganizationID: f.org, OrganizationName: "Org"}))
	must(store.CreateRecord(ctx, s, &hmis.User{UserID: f.user}))
	must(store.CreateRecord(ctx, s, &hmis.Project{ProjectID: f.project, OrganizationID: f.org, ProjectName: "Shelter"}))
	must(store.CreateRecord(ctx, s, &hmis.Client{PersonalID: f.client}))
	must(store.CreateRecord(ctx, s, &hmis.Enrollment{EnrollmentID: f.enrollment, PersonalID: f.client, ProjectID: f.project}))
	must(store.CreateRecord(ctx, s, &hmis.Assessment{AssessmentID: f.assessment, EnrollmentID: f.enrollment, PersonalID: f.client}))
	return f
}

// fill sets every field of *r: strings, codes, dates, date-times and money,
// then the key to id and the references to the fixture. With full false it
// leaves every optional field empty (nil codes, empty strings, zero dates).
func fill(r any, id string, fx fixture, full bool) {
	v := reflect.ValueOf(r).Elem()
	ty := v.Type()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		name := ty.Field(i).Name
		if !full {
			continue
		}
		switch {
		case f.Kind() == reflect.String:
			f.SetString("v-" + name)
		case f.Kind() == reflect.Pointer && f.Type().Elem() == reflect.TypeFor[hmis.Money]():
			m := hmis.Money(123456 + i)
			f.Set(reflect.ValueOf(&m))
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Int:
			p := reflect.New(f.Type().Elem())
			p.Elem().SetInt(int64(i % 5))
			f.Set(p)
		case f.Type() == reflect.TypeFor[hmis.Date]():
			f.Set(reflect.ValueOf(hmis.NewDate(2024, 2, 29).AddDays(i)))
		case f.Type() == reflect.TypeFor[time.Time]():
			if name != "DateDeleted" {
				f.Set(reflect.ValueOf(time.Date(2024, 3, 1, 12, 34, 56, 789000*1000, time.UTC).Add(time.Duration(i) * time.Hour)))
			}
		default:
			panic(fmt.Sprintf("fill: field %s of type %s", name, f.Type()))
		}
	}
	refs := map[string]string{"OrganizationID": fx.org, "ProjectID": fx.project, "ResProjectID": fx.project,
		"PersonalID": fx.client, "EnrollmentID": fx.enrollment, "AssessmentID": fx.assessment, "UserID": fx.user, "ExportID": ""}
	for name, val := range refs {
		if f := v.FieldByName(name); f.IsValid() {
			f.SetString(val)
		}
	}
	v.Field(0).SetString(id)
}

// roundTrip stores a full and a sparse record of type T and reads them back.
func roundTrip[T store.Record](t *testing.T, s *store.Store, fx fixture) {
	var z T
	t.Run(reflect.TypeOf(z).Name(), func(t *testing.T) {
		ctx := storetest.Context(t)
		for _, full := range []bool{true, false} {
			var want T
			id := fmt.Sprintf("rt-%v-%T", full, z)
			id = id[:min(len(id), 32)]
			fill(&want, id, fx, full)
			if err := store.CreateRecord(ctx, s, &want); err != nil {
				t.Fatalf("create (full=%v): %v", full, err)
			}
			got, err := store.FindRecordByID[T](ctx, s, id)
			if err != nil {
				t.Fatalf("find (full=%v): %v", full, err)
			}
			if diff := cmp.Diff(want, got, cmpDate); diff != "" {
				t.Errorf("round trip (full=%v) -want +got:\n%s", full, diff)
			}
		}
	})
}

func TestStore_RecordsRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fx := newFixture(t, s)
		roundTrip[hmis.Organization](t, s, fx)
		roundTrip[hmis.User](t, s, fx)
		roundTrip[hmis.Project](t, s, fx)
		roundTrip[hmis.Funder](t, s, fx)
		roundTrip[hmis.ProjectCoC](t, s, fx)
		roundTrip[hmis.Inventory](t, s, fx)
		roundTrip[hmis.Affiliation](t, s, fx)
		roundTrip[hmis.HMISParticipation](t, s, fx)
		roundTrip[hmis.CEParticipation](t, s, fx)
		roundTrip[hmis.Client](t, s, fx)
		roundTrip[hmis.Enrollment](t, s, fx)
		roundTrip[hmis.Exit](t, s, fx)
		roundTrip[hmis.IncomeBenefits](t, s, fx)
		roundTrip[hmis.HealthAndDV](t, s, fx)
		roundTrip[hmis.EmploymentEducation](t, s, fx)
		roundTrip[hmis.Disability](t, s, fx)
		roundTrip[hmis.Service](t, s, fx)
		roundTrip[hmis.CurrentLivingSituation](t, s, fx)
		roundTrip[hmis.Assessment](t, s, fx)
		roundTrip[hmis.AssessmentQuestion](t, s, fx)
		roundTrip[hmis.AssessmentResult](t, s, fx)
		roundTrip[hmis.Event](t, s, fx)
		roundTrip[hmis.YouthEducationStatus](t, s, fx)
	})
}

func TestStore_Records(t *testing.T) {
	now := time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC)
	storetest.EachAt(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		fx := newFixture(t, s)

		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := store.FindRecordByID[hmis.Client](ctx, s, "nobody"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
				t.Errorf("find: %v", err)
			}
			if err := store.UpdateRecord(ctx, s, &hmis.Exit{ExitID: "nobody"}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
				t.Errorf("update: %v", err)
			}
			if err := store.DeleteRecord[hmis.Service](ctx, s, "nobody"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
				t.Errorf("delete: %v", err)
			}
		})

		t.Run("Stamps", func(t *testing.T) {
			c := hmis.Client{FirstName: "Ada"}
			if err := store.CreateRecord(ctx, s, &c); err != nil {
				t.Fatal(err)
			}
			if len(c.PersonalID) != 32 || !c.DateCreated.Equal(now) || !c.DateUpdated.Equal(now) || c.UserID != hmis.SystemUserID {
				t.Errorf("stamped client = %+v", c)
			}
		})

		t.Run("Update", func(t *testing.T) {
			c := hmis.Client{PersonalID: "upd", FirstName: "Ada", DateCreated: now.Add(-48 * time.Hour), DateUpdated: now.Add(-48 * time.Hour), UserID: "old"}
			if err := store.CreateRecord(ctx, s, &c); err != nil {
				t.Fatal(err)
			}
			c.FirstName = "Grace"
			c.VeteranStatus = new(hud.NoYesReasonsForMissingDataYes)
			c.DateCreated = time.Time{} // keeps the stored one
			if err := store.UpdateRecord(ctx, s, &c); err != nil {
				t.Fatal(err)
			}
			got, err := store.FindRecordByID[hmis.Client](ctx, s, "upd")
			if err != nil {
				t.Fatal(err)
			}
			if got.FirstName != "Grace" || got.VeteranStatus == nil || *got.VeteranStatus != 1 ||
				!got.DateCreated.Equal(now.Add(-48*time.Hour)) || !got.DateUpdated.Equal(now) || got.UserID != hmis.SystemUserID {
				t.Errorf("updated client = %+v", got)
			}
		})

		t.Run("SoftDelete", func(t *testing.T) {
			sv := hmis.Service{ServicesID: "svc-del", EnrollmentID: fx.enrollment, PersonalID: fx.client, DateProvided: hmis.MustDate("2025-09-30")}
			if err := store.CreateRecord(ctx, s, &sv); err != nil {
				t.Fatal(err)
			}
			f := store.RecordFilter{EnrollmentID: fx.enrollment}
			n0, _ := store.CountRecords[hmis.Service](ctx, s, f)
			if err := store.DeleteRecord[hmis.Service](ctx, s, "svc-del"); err != nil {
				t.Fatal(err)
			}
			if _, err := store.FindRecordByID[hmis.Service](ctx, s, "svc-del"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
				t.Errorf("find deleted: %v", err)
			}
			if n, _ := store.CountRecords[hmis.Service](ctx, s, f); n != n0-1 {
				t.Errorf("count after delete = %d, want %d", n, n0-1)
			}
			f.IncludeDeleted = true
			all, err := store.FindRecords[hmis.Service](ctx, s, f)
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, r := range all {
				if r.ServicesID == "svc-del" {
					found = r.DateDeleted.Equal(now)
				}
			}
			if !found {
				t.Error("deleted service not listed with IncludeDeleted and DateDeleted = now")
			}
			if err := store.DeleteRecord[hmis.Service](ctx, s, "svc-del"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
				t.Errorf("delete twice: %v", err)
			}
		})

		t.Run("ErrFilter", func(t *testing.T) {
			if _, err := store.FindRecords[hmis.Client](ctx, s, store.RecordFilter{ProjectID: "x"}); hmis.ErrorCode(err) != hmis.EINVALID {
				t.Errorf("client by project: %v", err)
			}
		})

		t.Run("ErrForeignKey", func(t *testing.T) {
			e := hmis.Enrollment{PersonalID: "nobody", ProjectID: fx.project}
			if err := store.CreateRecord(ctx, s, &e); hmis.ErrorCode(err) != hmis.EINVALID {
				t.Errorf("enrollment of unknown client: %v", err)
			}
			if err := store.CreateRecord(ctx, s, &hmis.Client{PersonalID: fx.client}); hmis.ErrorCode(err) != hmis.ECONFLICT {
				t.Errorf("duplicate client: %v", err)
			}
		})

		t.Run("Batch", func(t *testing.T) {
			const n = 500
			err := s.Batch(ctx, func(b *store.Batch) error {
				for i := range n {
					c := hmis.Client{PersonalID: fmt.Sprintf("b-%04d", i), LastName: "Batch"}
					if err := store.Add(b, &c); err != nil {
						return err
					}
					e := hmis.Enrollment{PersonalID: c.PersonalID, ProjectID: fx.project, HouseholdID: c.PersonalID,
						EntryDate: hmis.MustDate("2025-01-01"), RelationshipToHoH: new(hud.RelationshipToHoHSelf)}
					if err := store.Add(b, &e); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got, err := store.CountRecords[hmis.Enrollment](ctx, s, store.RecordFilter{ProjectID: fx.project})
			if err != nil || got != n+1 {
				t.Errorf("enrollments = %d, %v; want %d", got, err, n+1)
			}
			es, err := store.FindRecords[hmis.Enrollment](ctx, s, store.RecordFilter{PersonalID: "b-0042"})
			if err != nil || len(es) != 1 || *es[0].RelationshipToHoH != hud.RelationshipToHoHSelf {
				t.Errorf("enrollments of b-0042 = %+v, %v", es, err)
			}
			page, err := store.FindRecords[hmis.Client](ctx, s, store.RecordFilter{Limit: 10, Offset: 5})
			if err != nil || len(page) != 10 {
				t.Errorf("page = %d, %v", len(page), err)
			}
			// A failing batch writes nothing.
			err = s.Batch(ctx, func(b *store.Batch) error {
				if err := store.Add(b, &hmis.Client{PersonalID: "rolled-back"}); err != nil {
					return err
				}
				return store.Add(b, &hmis.Client{PersonalID: "b-0001"})
			})
			if hmis.ErrorCode(err) != hmis.ECONFLICT {
				t.Errorf("duplicate in batch: %v", err)
			}
			if _, err := store.FindRecordByID[hmis.Client](ctx, s, "rolled-back"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
				t.Errorf("rolled-back client: %v", err)
			}
		})
	})
}

// BenchmarkStore_BatchClients measures the demo generator's path: many
// clients in one transaction on one prepared statement.
func BenchmarkStore_BatchClients(b *testing.B) {
	s := storetest.OpenSQLite(b)
	ctx := storetest.Context(b)
	b.ResetTimer()
	err := s.Batch(ctx, func(bt *store.Batch) error {
		for i := range b.N {
			c := hmis.Client{PersonalID: fmt.Sprintf("c%d", i), FirstName: "A", LastName: "B", DOB: hmis.MustDate("1980-01-02"),
				NameDataQuality: new(hud.NameDataQualityFullNameReported), VeteranStatus: new(hud.NoYesReasonsForMissingDataNo)}
			if err := store.Add(bt, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
