package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/calendar"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hud"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// nextMonday is the Monday after now at 10:00 in the server's zone.
func nextMonday(now time.Time) time.Time {
	d := now.Local().AddDate(0, 0, 1)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, 1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, time.Local)
}

func TestStore_Calendar(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	storetest.EachAt(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		f := newNotesFixture(t, s)
		sys := storetest.Context(t)
		staff, err := s.CreateAccount(sys, hmis.Account{Username: "sam", FirstName: "Sam", LastName: "Staff", Role: hmis.RoleCaseManager,
			OrganizationID: f.org1}, "x")
		if err != nil {
			t.Fatal(err)
		}
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		sam := hmis.NewContext(t.Context(), staff.Actor("test"))
		mon := nextMonday(now)

		// Bad input: an end before the start, on the end field.
		_, err = s.CreateEvent(cm1, store.EventInput{Title: "Intake", Start: mon, End: mon.Add(-time.Hour)})
		if e, ok := err.(*hmis.Error); !ok || e.Code != hmis.EINVALID || !strings.Contains(e.Fields["end"], "end after it starts") {
			t.Fatalf("end before start: %v", err)
		}
		_, err = s.CreateEvent(cm1, store.EventInput{Title: "x", AllDay: true, Start: mon, End: mon.AddDate(0, 0, -1)})
		if e, ok := err.(*hmis.Error); !ok || e.Fields["end"] == "" {
			t.Fatalf("all-day end before start: %v", err)
		}
		_, err = s.CreateEvent(cm1, store.EventInput{Title: "x", Start: mon, End: mon.Add(time.Hour),
			Rule: calendar.Rule{Freq: "YEARLY"}})
		if e, ok := err.(*hmis.Error); !ok || e.Fields["repeat"] == "" {
			t.Fatalf("yearly: %v", err)
		}
		// A client the user may not see is not found; one seen read only
		// (by release) cannot get appointments.
		if _, err := s.CreateEvent(cm1, store.EventInput{Title: "x", Start: mon, End: mon.Add(time.Hour), ClientIDs: []string{"c3"}}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Fatalf("hidden client: %v", err)
		}
		_, err = s.CreateEvent(cm2, store.EventInput{Title: "x", Start: mon, End: mon.Add(time.Hour), ClientIDs: []string{"c1"}})
		if e, ok := err.(*hmis.Error); !ok || e.Fields["clients"] == "" {
			t.Fatalf("read-only client: %v", err)
		}

		// A weekly appointment with c1 on Mondays and Wednesdays, six times.
		appt, err := s.CreateEvent(cm1, store.EventInput{Title: "Housing plan", Location: "Room 2", Start: mon, End: mon.Add(time.Hour),
			Rule:      calendar.Rule{Freq: calendar.Weekly, ByDay: []time.Weekday{time.Wednesday, time.Monday}, Count: 6},
			ClientIDs: []string{"c1"}, StaffIDs: []string{staff.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if appt.Rule.ByDayString() != "MO,WE" || len(appt.Clients) != 1 || appt.Clients[0].Initials() != "F.L." || len(appt.Staff) != 1 {
			t.Fatalf("saved = %+v", appt)
		}
		from, to := mon.AddDate(0, 0, -1), mon.AddDate(0, 0, 28)
		evs, err := s.FindEvents(cm1, store.EventQuery{From: from, To: to})
		if err != nil || len(evs) != 1 {
			t.Fatalf("own events = %+v, %v", evs, err)
		}
		occ := store.Occurrences(evs, from, to)
		if len(occ) != 6 || !occ[1].Start.Equal(mon.AddDate(0, 0, 2)) || !occ[5].Start.Equal(mon.AddDate(0, 0, 16)) {
			t.Fatalf("occurrences = %d: %v", len(occ), occ)
		}
		// The staff attendee sees it at home; the other organization sees
		// it on the client's calendar (the release shares c1's record), not
		// at home.
		if got, err := s.FindEvents(sam, store.EventQuery{From: from, To: to}); err != nil || len(got) != 1 {
			t.Errorf("attendee home = %d, %v", len(got), err)
		}
		if got, err := s.FindEvents(cm2, store.EventQuery{From: from, To: to}); err != nil || len(got) != 0 {
			t.Errorf("release org home = %d, %v", len(got), err)
		}
		if got, err := s.FindEvents(cm2, store.EventQuery{From: from, To: to, PersonalID: "c1"}); err != nil || len(got) != 1 {
			t.Errorf("release org, client calendar = %d, %v", len(got), err)
		}
		if _, err := s.FindEvents(cm1, store.EventQuery{From: from, To: to, PersonalID: "c3"}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("hidden client's calendar: %v", err)
		}
		// Only the owner changes it.
		if _, err := s.UpdateEvent(sam, appt.ID, store.EventInput{Title: "Mine now", Start: mon, End: mon.Add(time.Hour)}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("attendee update: %v", err)
		}
		if _, err := s.UpdateEvent(cm2, appt.ID, store.EventInput{Title: "x", Start: mon, End: mon.Add(time.Hour)}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("release org update: %v", err)
		}

		// A staff-only event: the owner and attendees only.
		meeting, err := s.CreateEvent(cm1, store.EventInput{Title: "Team meeting", Start: mon.Add(4 * time.Hour), End: mon.Add(5 * time.Hour),
			StaffIDs: []string{staff.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindEvent(sam, meeting.ID); err != nil {
			t.Errorf("attendee: %v", err)
		}
		if _, err := s.FindEvent(cm2, meeting.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("staff event, another user: %v", err)
		}

		// Cancel the second occurrence.
		if err := s.CancelOccurrence(cm1, appt.ID, occ[1].Start); err != nil {
			t.Fatal(err)
		}
		if err := s.CancelOccurrence(cm1, appt.ID, occ[1].Start.Add(time.Minute)); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("cancel a time that is no occurrence: %v", err)
		}
		if evs, err = s.FindEvents(cm1, store.EventQuery{From: from, To: to}); err != nil {
			t.Fatal(err)
		}
		// The appointment and the meeting: 5 + 1 occurrences.
		if occ := store.Occurrences(evs, from, to); len(evs) != 2 || len(occ) != 6 || len(evs[0].Cancelled) != 1 {
			t.Errorf("after cancelling one: %d events, %d occurrences", len(evs), len(occ))
		}

		// Restricting c1 to its organization hides its events from the
		// release's organization: not found.
		if err := s.SetClientRestriction(sys, "c1", access.RestrictOrganization); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindEvent(cm2, appt.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("restricted client's event: %v", err)
		}
		if _, err := s.FindEvents(cm2, store.EventQuery{From: from, To: to, PersonalID: "c1"}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("restricted client's calendar: %v", err)
		}

		// Reading client events is audited on the client.
		entries, err := s.FindAudit(sys, store.AuditFilter{Entity: "client", EntityID: "c1", Action: "read"})
		if err != nil || len(entries) == 0 || !strings.Contains(entries[0].Detail, "calendar") {
			t.Errorf("audit = %+v, %v", entries, err)
		}

		// Follow-ups: yesterday's, not marked done, is overdue.
		y := now.Local().AddDate(0, 0, -1)
		fu, err := s.CreateEvent(cm1, store.EventInput{Title: "Call landlord", Start: y, End: y.Add(30 * time.Minute), FollowUp: true,
			ClientIDs: []string{"c2"}})
		if err != nil {
			t.Fatal(err)
		}
		if od, err := s.OverdueFollowUps(cm1, now); err != nil || len(od) != 1 || od[0].Event.ID != fu.ID {
			t.Fatalf("overdue = %+v, %v", od, err)
		}
		if err := s.SetFollowUpDone(cm2, fu.ID, true); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("other org marks done: %v", err)
		}
		if err := s.SetFollowUpDone(cm1, fu.ID, true); err != nil {
			t.Fatal(err)
		}
		if od, err := s.OverdueFollowUps(cm1, now.Add(time.Second)); err != nil || len(od) != 0 {
			t.Errorf("after done = %+v, %v", od, err)
		}
		// A merge moves the merged client's appointments to the kept one.
		if _, err := s.MergeClients(sys, "c1", "c2", "same person"); err != nil {
			t.Fatal(err)
		}
		if got, err := s.FindEvent(cm1, fu.ID); err != nil || len(got.Clients) != 1 || got.Clients[0].PersonalID != "c1" {
			t.Errorf("after the merge = %+v, %v", got.Clients, err)
		}
		if err := s.DeleteEvent(sam, meeting.ID); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("attendee delete: %v", err)
		}
		if err := s.DeleteEvent(cm1, meeting.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindEvent(sam, meeting.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("deleted event: %v", err)
		}
	})
}

func TestStore_CalendarFeedTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		sys := storetest.Context(t)
		org := storetest.MustOrganization(t, s, "Hope Shelter")
		a, err := s.CreateAccount(sys, hmis.Account{Username: "casey", Role: hmis.RoleCaseManager, OrganizationID: org}, "x")
		if err != nil {
			t.Fatal(err)
		}
		ctx := hmis.NewContext(t.Context(), a.Actor("test"))
		if cs, err := s.FindCalendarSettings(ctx); err != nil || cs.FeedActive || cs.ShowClientNames {
			t.Fatalf("initial settings = %+v, %v", cs, err)
		}
		tok, err := s.NewCalendarFeedToken(ctx)
		if err != nil || len(tok) < 40 {
			t.Fatalf("token %q, %v", tok, err)
		}
		if err := s.SetCalendarShowClientNames(ctx, true); err != nil {
			t.Fatal(err)
		}
		got, cs, err := s.CalendarFeedAccount(t.Context(), tok)
		if err != nil || got.ID != a.ID || !cs.ShowClientNames {
			t.Fatalf("feed account = %+v %+v, %v", got, cs, err)
		}
		// A new token revokes the old one; a revoked one says so.
		tok2, err := s.NewCalendarFeedToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.CalendarFeedAccount(t.Context(), tok); err != store.ErrFeedRevoked {
			t.Errorf("old token: %v", err)
		}
		if err := s.RevokeCalendarFeed(ctx); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.CalendarFeedAccount(t.Context(), tok2)
		if err != store.ErrFeedRevoked || !strings.Contains(hmis.ErrorMessage(err), "revoked") {
			t.Errorf("revoked token: %v", err)
		}
		if _, _, err := s.CalendarFeedAccount(t.Context(), "nope"); hmis.ErrorCode(err) != hmis.ENOTFOUND || err == store.ErrFeedRevoked {
			t.Errorf("unknown token: %v", err)
		}
		if cs, err := s.FindCalendarSettings(ctx); err != nil || cs.FeedActive {
			t.Errorf("after revoking = %+v, %v", cs, err)
		}
	})
}

func TestStore_DueAnnualAssessments(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	today := hmis.DateOf(now)
	storetest.EachAt(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		f := newNotesFixture(t, s)
		sys := storetest.Context(t)
		cm1 := hmis.NewContext(t.Context(), f.cm1)
		cm2 := hmis.NewContext(t.Context(), f.cm2)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		c4 := hmis.Client{PersonalID: "c4", FirstName: "Dana", LastName: "Four", NameDataQuality: new(hud.NameDataQuality(1))}
		must(store.CreateRecord(sys, s, &c4))
		must(storetest.Exec(s, `UPDATE clients SET organization_id = ? WHERE personal_id = 'c4'`, f.org1))
		pt := hud.ProjectType(1)
		must(store.CreateRecord(sys, s, &hmis.Project{ProjectID: "P2", OrganizationID: f.org2, ProjectName: "Harbor House",
			OperatingStartDate: hmis.MustDate("2020-01-01"), ProjectType: &pt}))
		enroll := func(id, pid, project, household string, rel int, entry hmis.Date) {
			r := hud.RelationshipToHoH(rel)
			must(store.CreateRecord(sys, s, &hmis.Enrollment{EnrollmentID: id, PersonalID: pid, ProjectID: project,
				EntryDate: entry, HouseholdID: household, RelationshipToHoH: &r}))
		}
		yearAgo := today.AddDate(-1, 0, 0)
		enroll("E1", "c1", "P1", "H1", 1, yearAgo.AddDays(10))  // anniversary in 10 days: due
		enroll("E2", "c2", "P1", "H1", 2, yearAgo.AddDays(20))  // joined later: the head's anniversary
		enroll("E3", "c4", "P1", "H2", 1, yearAgo.AddDays(-60)) // window closed 30 days ago: overdue
		enroll("E4", "c2", "P1", "H3", 1, yearAgo.AddDays(-5))  // done: a stage-5 record in the window
		enroll("E5", "c3", "P2", "H5", 1, yearAgo)              // the other organization's
		enroll("E6", "c4", "P1", "H6", 1, yearAgo.AddDays(-2))  // exited: none owed
		enroll("E7", "c4", "P1", "H7", 1, yearAgo.AddDays(90))  // anniversary in 90 days: outside the range
		annual := hud.DataCollectionStage(5)
		must(store.CreateRecord(sys, s, &hmis.IncomeBenefits{IncomeBenefitsID: "I4", EnrollmentID: "E4", PersonalID: "c2",
			InformationDate: today.AddDays(-3), DataCollectionStage: &annual}))
		dest := hud.LivingSituation(101)
		must(store.CreateRecord(sys, s, &hmis.Exit{ExitID: "X6", EnrollmentID: "E6", PersonalID: "c4", ExitDate: today.AddDays(-1),
			Destination: &dest}))

		from, to := today.AddDays(-395), today.AddDays(30)
		got, err := s.DueAnnualAssessments(cm1, from, to)
		if err != nil {
			t.Fatal(err)
		}
		var summary []string
		for _, a := range got {
			summary = append(summary, a.EnrollmentID+":"+a.Status+":"+a.Anniversary.String())
		}
		want := []string{
			"E3:overdue:" + anniversaryOf(yearAgo.AddDays(-60)),
			"E1:due:" + anniversaryOf(yearAgo.AddDays(10)),
			"E2:due:" + anniversaryOf(yearAgo.AddDays(10)),
		}
		if strings.Join(summary, " ") != strings.Join(want, " ") {
			t.Fatalf("cm1 due = %v, want %v", summary, want)
		}
		if a := got[1]; !a.HeadOfHousehold || a.Year != 1 || a.WindowEnd != a.Anniversary.AddDays(30) || a.FirstName != "Firstc1" || a.ProjectName != "Hope Emergency Shelter" {
			t.Errorf("E1 = %+v", a)
		}
		// The other organization: its own client, and c1 through the
		// release (whole record); not c2 or c4.
		got, err = s.DueAnnualAssessments(cm2, from, to)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range got {
			ids = append(ids, a.EnrollmentID+":"+a.Status)
		}
		if strings.Join(ids, " ") != "E5:due E1:due" && strings.Join(ids, " ") != "E1:due E5:due" {
			t.Errorf("cm2 due = %v", ids)
		}
		// A range that ends before the window: upcoming.
		if got, err := s.DueAnnualAssessments(cm1, today.AddDays(80), today.AddDays(100)); err != nil || len(got) != 1 ||
			got[0].EnrollmentID != "E7" || got[0].Status != store.AnnualUpcoming {
			t.Errorf("upcoming = %+v, %v", got, err)
		}
		if _, err := s.DueAnnualAssessments(cm1, to, from); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("reversed range: %v", err)
		}
		if entries, err := s.FindAudit(sys, store.AuditFilter{Entity: "annual_assessment"}); err != nil || len(entries) < 3 {
			t.Errorf("audit = %d, %v", len(entries), err)
		}
		// Narrowed: the programs of the actor's organization (cm2 sees E1
		// through a release, but P1 is not org2's), and one client's.
		if got, err := s.DueAnnualAssessmentsFor(cm2, from, to, store.AnnualFilter{OwnPrograms: true}); err != nil || len(got) != 1 || got[0].EnrollmentID != "E5" {
			t.Errorf("cm2's own programs = %+v, %v", got, err)
		}
		if got, err := s.DueAnnualAssessmentsFor(cm1, from, to, store.AnnualFilter{PersonalID: "c4"}); err != nil || len(got) != 1 || got[0].EnrollmentID != "E3" {
			t.Errorf("c4's = %+v, %v", got, err)
		}
		if _, err := s.DueAnnualAssessmentsFor(cm1, from, to, store.AnnualFilter{PersonalID: "c3"}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("a hidden client's: %v", err)
		}
		// One client's (the Assessments page): due and overdue now, the
		// same rule; a client the user may not see is not found.
		if got, err := s.ClientAnnualAssessments(cm1, "c4"); err != nil || len(got) != 1 || got[0].EnrollmentID != "E3" || got[0].Status != store.AnnualOverdue {
			t.Errorf("c4's = %+v, %v", got, err)
		}
		if got, err := s.ClientAnnualAssessments(cm1, "c2"); err != nil || len(got) != 1 || got[0].EnrollmentID != "E2" {
			t.Errorf("c2's = %+v, %v", got, err)
		}
		if _, err := s.ClientAnnualAssessments(cm1, "c3"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("hidden client's: %v", err)
		}
	})
}

// anniversaryOf is the first anniversary of d (d has no 29 February here
// unless today is one; the store test of that case is internal).
func anniversaryOf(d hmis.Date) string {
	a := d.AddDate(1, 0, 0)
	if d.Time().Month() == time.February && d.Time().Day() == 29 && a.Time().Month() == time.March {
		a = a.AddDays(-1)
	}
	return a.String()
}
