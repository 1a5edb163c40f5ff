package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// supportFixture is an organization with two case managers and two
// administrators, real accounts so that names and assignment resolve.
type supportFixture struct {
	cm1, cm2, admin1, admin2 hmis.Account
}

func newSupportFixture(t *testing.T, s *store.Store) supportFixture {
	t.Helper()
	sys := storetest.Context(t)
	org := storetest.MustOrganization(t, s, "Hope Shelter")
	mk := func(username string, role hmis.Role, first string) hmis.Account {
		a, err := s.CreateAccount(sys, hmis.Account{Username: username, OrganizationID: org, Role: role,
			FirstName: first, LastName: "Tester"}, "x")
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	return supportFixture{cm1: mk("casey", hmis.RoleCaseManager, "Casey"), cm2: mk("olive", hmis.RoleCaseManager, "Olive"),
		admin1: mk("avery", hmis.RoleAdmin, "Avery"), admin2: mk("blair", hmis.RoleAdmin, "Blair")}
}

// fieldsOf returns the field messages of an invalid-input error.
func fieldsOf(err error) map[string]string {
	var e *hmis.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

func TestStore_SupportTickets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newSupportFixture(t, s)
		sys := storetest.Context(t)
		cm1 := hmis.NewContext(t.Context(), f.cm1.Actor("test"))
		cm2 := hmis.NewContext(t.Context(), f.cm2.Actor("test"))
		ad1 := hmis.NewContext(t.Context(), f.admin1.Actor("test"))
		ad2 := hmis.NewContext(t.Context(), f.admin2.Actor("test"))

		// Bad input: each field named.
		_, err := s.FileTicket(cm1, store.NewTicket{Category: "nope", Priority: "soon", PagePath: "javascript:alert(1)",
			RecordID: "John Smith"})
		for _, field := range []string{"subject", "description", "category", "priority", "page_path", "record_id"} {
			if e := fieldsOf(err); e[field] == "" {
				t.Errorf("missing message for %s: %v", field, err)
			}
		}
		if _, err := s.FileTicket(cm1, store.NewTicket{Subject: "x", Description: "y", Category: store.TicketBug, PagePath: "//evil.example/x"}); fieldsOf(err)["page_path"] == "" {
			t.Errorf("protocol-relative page path accepted: %v", err)
		}

		// Text that looks like client PII needs confirmation.
		pii := store.NewTicket{Subject: "Wrong SSN", Category: store.TicketDataCorrection, Priority: store.PriorityHigh,
			Description: "Client's SSN is 123-45-6789, please fix", PagePath: "/live/clients/c1", RecordID: "c1"}
		_, err = s.FileTicket(cm1, pii)
		if msg := fieldsOf(err)["confirm_pii"]; !strings.Contains(msg, "Social Security") || strings.Contains(msg, "6789") {
			t.Fatalf("PII warning: %v", err)
		}
		pii.ConfirmNoPII = true
		t1, err := s.FileTicket(cm1, pii)
		if err != nil {
			t.Fatal(err)
		}
		if !t1.PIIConfirmed || t1.Status != store.TicketOpen {
			t.Errorf("ticket %+v", t1)
		}
		t2, err := s.FileTicket(cm2, store.NewTicket{Subject: "How do I exit a client?", Category: store.TicketQuestion,
			Description: "The exit button is missing."})
		if err != nil {
			t.Fatal(err)
		}
		if t2.Priority != store.PriorityNormal {
			t.Errorf("default priority %q", t2.Priority)
		}

		// Scope: own tickets only; an administrator sees all.
		ids := func(a hmis.Actor, f store.TicketFilter) []string {
			t.Helper()
			list, err := s.FindTickets(hmis.NewContext(t.Context(), a), f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, x := range list {
				out = append(out, x.ID)
			}
			slices.Sort(out)
			return out
		}
		if got := ids(f.cm1.Actor("test"), store.TicketFilter{}); !slices.Equal(got, []string{t1.ID}) {
			t.Errorf("case manager 1 sees %v", got)
		}
		want := []string{t1.ID, t2.ID}
		slices.Sort(want)
		if got := ids(f.admin1.Actor("test"), store.TicketFilter{}); !slices.Equal(got, want) {
			t.Errorf("admin sees %v", got)
		}
		if got := ids(f.admin1.Actor("test"), store.TicketFilter{Priority: store.PriorityHigh}); !slices.Equal(got, []string{t1.ID}) {
			t.Errorf("admin, high priority: %v", got)
		}
		if _, err := s.OpenTicket(cm2, t1.ID); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("another user's ticket: %v", err)
		}
		if _, err := s.ReplyToTicket(cm2, store.TicketReply{TicketID: t1.ID, Body: "me too"}); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("reply to another user's ticket: %v", err)
		}
		if err := s.SetTicketStatus(cm1, t1.ID, store.TicketResolved, ""); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("filer sets status: %v", err)
		}
		if _, err := s.ReplyToTicket(cm1, store.TicketReply{TicketID: t1.ID, Body: "x", Internal: true}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("filer adds internal note: %v", err)
		}

		// The queue: assign, note, reply with an article, escalate.
		if err := s.AssignTicket(ad1, t1.ID, f.cm2.ID); fieldsOf(err)["assignee"] == "" {
			t.Errorf("assigned to a case manager: %v", err)
		}
		if err := s.AssignTicket(ad1, t1.ID, f.admin2.ID); err != nil {
			t.Fatal(err)
		}
		if got := ids(f.admin1.Actor("test"), store.TicketFilter{Assignee: f.admin2.ID}); !slices.Equal(got, []string{t1.ID}) {
			t.Errorf("assigned to admin2: %v", got)
		}
		if got := ids(f.admin1.Actor("test"), store.TicketFilter{Assignee: "none"}); !slices.Equal(got, []string{t2.ID}) {
			t.Errorf("unassigned: %v", got)
		}
		art, err := s.SaveArticle(ad1, store.Article{Title: "Correcting an SSN", Body: "Open Edit Client Information.\n\nSave."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveArticle(cm1, store.Article{Title: "x", Body: "y"}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager writes an article: %v", err)
		}
		if _, err := s.ReplyToTicket(ad2, store.TicketReply{TicketID: t1.ID, Body: "Checked the history: imported wrong.", Internal: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReplyToTicket(ad2, store.TicketReply{TicketID: t1.ID, Body: "See the article.", ArticleID: "nope"}); fieldsOf(err)["article_id"] == "" {
			t.Errorf("unknown article: %v", err)
		}
		if n, _ := s.CountUnreadNotifications(cm1); n != 0 {
			t.Errorf("unread before any reply: %d", n)
		}
		if _, err := s.ReplyToTicket(ad2, store.TicketReply{TicketID: t1.ID, Body: "See the article.", ArticleID: art.ID}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetTicketStatus(ad2, t1.ID, store.TicketEscalated, ""); fieldsOf(err)["vendor_reference"] == "" {
			t.Errorf("escalated without a reference: %v", err)
		}
		if err := s.SetTicketStatus(ad2, t1.ID, store.TicketEscalated, "DSI-4471"); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountUnreadNotifications(cm1); n != 2 {
			t.Errorf("unread after a reply and a status change: %d", n)
		}
		if n, _ := s.CountUnreadNotifications(cm2); n != 0 {
			t.Errorf("other user's unread: %d", n)
		}
		notes, err := s.FindUnreadNotifications(cm1)
		if err != nil || len(notes) != 2 || notes[0].Subject != "Wrong SSN" {
			t.Errorf("notifications %+v, %v", notes, err)
		}

		// The filer's view: no internal note, no assignment; reading marks read.
		th, err := s.OpenTicket(cm1, t1.ID)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, m := range th.Messages {
			kinds = append(kinds, m.Kind)
			if m.Internal {
				t.Errorf("filer sees internal %q", m.Body)
			}
		}
		if !slices.Equal(kinds, []string{"reply", "event"}) {
			t.Errorf("filer's thread %v", kinds)
		}
		if th.Messages[0].ArticleTitle != "Correcting an SSN" || !th.Messages[0].AuthorIsAdmin || th.Messages[0].AuthorName != "Blair Tester" {
			t.Errorf("reply %+v", th.Messages[0])
		}
		if th.Status != store.TicketEscalated || th.VendorReference != "DSI-4471" || th.AssignedTo != "Blair Tester" {
			t.Errorf("ticket %+v", th.Ticket)
		}
		if n, _ := s.CountUnreadNotifications(cm1); n != 0 {
			t.Errorf("unread after opening: %d", n)
		}
		adm, err := s.OpenTicket(ad1, t1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(adm.Messages) != 4 { // assignment, note, reply, status
			t.Errorf("admin's thread: %d messages", len(adm.Messages))
		}

		// The filer answers: the assignee hears of it; waiting -> open.
		if err := s.SetTicketStatus(ad2, t1.ID, store.TicketWaiting, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReplyToTicket(cm1, store.TicketReply{TicketID: t1.ID, Body: "Done, thanks."}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountUnreadNotifications(ad2); n != 2 { // assigned to them by admin1; the filer's reply
			t.Errorf("assignee's unread: %d", n)
		}
		th, _ = s.OpenTicket(cm1, t1.ID)
		if th.Status != store.TicketOpen || th.VendorReference != "DSI-4471" {
			t.Errorf("after the filer's reply: %s %q", th.Status, th.VendorReference)
		}
		if err := s.SetTicketStatus(ad2, t1.ID, store.TicketResolved, ""); err != nil {
			t.Fatal(err)
		}
		th, _ = s.OpenTicket(ad2, t1.ID)
		if th.DateResolved.IsZero() {
			t.Error("no resolved date")
		}
		if got := ids(f.admin1.Actor("test"), store.TicketFilter{Active: true}); !slices.Equal(got, []string{t2.ID}) {
			t.Errorf("active: %v", got)
		}

		// Everything audited, without the ticket's text.
		es, err := s.FindAudit(sys, store.AuditFilter{Entity: "ticket", EntityID: t1.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for _, e := range es {
			seen[e.Action]++
			if strings.Contains(e.Detail, "6789") || strings.Contains(e.Detail, "thanks") {
				t.Errorf("audit detail holds ticket text: %q", e.Detail)
			}
		}
		listed, _ := s.FindAudit(sys, store.AuditFilter{Entity: "ticket", Action: "list", Limit: 100})
		if len(listed) == 0 {
			t.Error("listing tickets is not audited")
		}
		for _, a := range []string{"create", "read", "assign", "note", "reply", "status"} {
			if seen[a] == 0 {
				t.Errorf("no %q audit row (have %v)", a, seen)
			}
		}
	})
}

func TestSuspectedPII(t *testing.T) {
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	for text, want := range map[string]int{
		"SSN 123-45-6789":                      1,
		"ssn 123456789 on file":                1,
		"123 45 6789":                          1,
		"Call me at 209-555-0147":              0,
		"phone 2095550147":                     0,
		"Client ID 1a2b3c4d123456789e":         0,
		"the exit date 11/02/2026 is wrong":    0,
		"Entry 2026-03-01 should be 03/02/26":  0,
		"born 03/04/1985":                      1,
		"date 1985-03-04":                      1,
		"DOB is missing":                       1,
		"SSN 123-45-6789, DOB 4/5/1990":        2,
		"Export ID 2024-12345-678":             0,
		"The APR for 10/01/2024 to 09/30/2025": 1,
	} {
		if got := store.SuspectedPII(text, today); len(got) != want {
			t.Errorf("%q: %v, want %d reasons", text, got, want)
		}
	}
}

func TestStore_Profile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := newSupportFixture(t, s)
		sys := storetest.Context(t)
		ctx := hmis.NewContext(t.Context(), f.cm1.Actor("test"))
		_, err := s.UpdateProfile(ctx, store.Profile{FirstName: " ", Email: "nope", Phone: "555-1234", Extension: "12a"})
		for _, field := range []string{"first_name", "email", "phone", "extension"} {
			if fieldsOf(err)[field] == "" {
				t.Errorf("no message for %s: %v", field, err)
			}
		}
		p, err := s.UpdateProfile(ctx, store.Profile{FirstName: "Casey ", LastName: "Rivera", Email: "casey@hope.org",
			Phone: "(209) 555-0147", Extension: "12"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Phone != "2095550147" {
			t.Errorf("phone %q", p.Phone)
		}
		got, err := s.FindProfile(ctx)
		if err != nil || got != (store.Profile{FirstName: "Casey", LastName: "Rivera", Email: "casey@hope.org", Phone: "2095550147", Extension: "12"}) {
			t.Errorf("profile %+v, %v", got, err)
		}
		a, _ := s.FindAccountByID(sys, f.cm1.ID)
		if a.DisplayName() != "Casey Rivera" || a.Email != "casey@hope.org" {
			t.Errorf("account %+v", a)
		}
		u, err := store.FindRecordByID[hmis.User](sys, s, f.cm1.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if u.UserLastName != "Rivera" || u.UserPhone != "2095550147" || u.UserExtension != "12" || u.UserEmail != "casey@hope.org" {
			t.Errorf("HUD user %+v", u)
		}
		es, _ := s.FindAudit(sys, store.AuditFilter{Entity: "account", EntityID: f.cm1.ID, Action: "update"})
		if len(es) != 1 || es[0].Detail != "profile: last_name, email, phone, extension" {
			t.Errorf("audit %+v", es)
		}
	})
}
