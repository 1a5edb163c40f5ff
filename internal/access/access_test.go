package access

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

func TestDecide(t *testing.T) {
	today := hmis.MustDate("2026-05-20")
	rel := func(org string, begin, end string, revoked bool, cov Coverage) Release {
		return Release{Organizations: []string{org}, Begin: hmis.MustDate(begin), End: hmis.MustDate(end), Revoked: revoked, Coverage: cov}
	}
	cm := func(org string) hmis.Actor { return hmis.Actor{OrganizationID: org, Role: hmis.RoleCaseManager} }
	ro := hmis.Actor{OrganizationID: "B", Role: hmis.RoleReadOnly}
	active := rel("B", "2026-05-20", "2026-05-20", false, CoverRecord) // begin = end = today: in force
	for _, tc := range []struct {
		name string
		a    hmis.Actor
		c    Client
		want Level
	}{
		{"admin", hmis.Actor{Role: hmis.RoleAdmin}, Client{OrganizationID: "A"}, Editable},
		{"system", hmis.SystemActor("cli"), Client{OrganizationID: "A"}, Editable},
		{"owner", cm("A"), Client{OrganizationID: "A", Restriction: RestrictOrganization}, Editable},
		{"owner read-only", hmis.Actor{OrganizationID: "A", Role: hmis.RoleReadOnly}, Client{OrganizationID: "A"}, Visible},
		{"other org", cm("B"), Client{OrganizationID: "A", Restriction: RestrictOrganization}, NotFound},
		{"no org", cm(""), Client{OrganizationID: "", Restriction: ShareGlobally}, NotFound},
		{"global", cm("B"), Client{OrganizationID: "A", Restriction: ShareGlobally}, Editable},
		{"global read-only", ro, Client{OrganizationID: "A", Restriction: ShareGlobally}, Visible},
		{"restricted overrides release", cm("B"), Client{OrganizationID: "A", Restriction: RestrictOrganization, Releases: []Release{active}}, NotFound},
		{"release active", cm("B"), Client{OrganizationID: "A", Restriction: ShareByRelease, Releases: []Release{active}}, Visible},
		{"release intake", cm("B"), Client{OrganizationID: "A", Restriction: ShareByRelease, Releases: []Release{rel("B", "2026-01-01", "2026-12-31", false, CoverIntake)}}, Intake},
		{"release pending", cm("B"), Client{OrganizationID: "A", Restriction: ShareByRelease, Releases: []Release{rel("B", "2026-05-21", "2026-12-31", false, CoverRecord)}}, NotFound},
		{"release expired", cm("B"), Client{OrganizationID: "A", Restriction: ShareByRelease, Releases: []Release{rel("B", "2026-01-01", "2026-05-19", false, CoverRecord)}}, NotFound},
		{"release revoked", cm("B"), Client{OrganizationID: "A", Restriction: ShareByRelease, Releases: []Release{rel("B", "2026-01-01", "2026-12-31", true, CoverRecord)}}, NotFound},
		{"release other org", cm("C"), Client{OrganizationID: "A", Restriction: ShareByRelease, Releases: []Release{active}}, NotFound},
		{"support desk, own org", hmis.Actor{OrganizationID: "A", Role: hmis.RoleSupport}, Client{OrganizationID: "A"}, NotFound},
		{"support desk, global", hmis.Actor{OrganizationID: "B", Role: hmis.RoleSupport}, Client{OrganizationID: "A", Restriction: ShareGlobally}, NotFound},
		{"served, restricted to another org", cm("B"), Client{OrganizationID: "A", Restriction: RestrictOrganization, ServedBy: []string{"A", "B"}}, Intake},
		{"served read-only", ro, Client{OrganizationID: "A", Restriction: RestrictOrganization, ServedBy: []string{"B"}}, Intake},
		{"served by another org only", cm("C"), Client{OrganizationID: "A", Restriction: RestrictOrganization, ServedBy: []string{"B"}}, NotFound},
		{"served and release in force", cm("B"), Client{OrganizationID: "A", Restriction: ShareByRelease, ServedBy: []string{"B"}, Releases: []Release{active}}, Visible},
		{"served, global", cm("B"), Client{OrganizationID: "A", Restriction: ShareGlobally, ServedBy: []string{"B"}}, Editable},
		{"support desk, served", hmis.Actor{OrganizationID: "B", Role: hmis.RoleSupport}, Client{OrganizationID: "A", ServedBy: []string{"B"}}, NotFound},
	} {
		if got := Decide(tc.a, tc.c, today); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := DecideTransaction(cm("B"), Visible, Transaction{RestrictedToOrg: "A"}); got != NotFound {
		t.Errorf("restricted transaction: %v", got)
	}
	if got := DecideTransaction(cm("B"), Intake, Transaction{}); got != NotFound {
		t.Errorf("intake-only client's transaction: %v", got)
	}
	if got := DecideTransaction(cm("A"), Editable, Transaction{RestrictedToOrg: "A"}); got != Editable {
		t.Errorf("own restricted transaction: %v", got)
	}
	// An organization sees (and changes) its own programs' transactions
	// of a client it serves, not the others'.
	for _, tc := range []struct {
		name   string
		a      hmis.Actor
		client Level
		t      Transaction
		want   Level
	}{
		{"served: own program", cm("B"), Intake, Transaction{ProgramOrganizationID: "B"}, Editable},
		{"served: own program, read-only", ro, Intake, Transaction{ProgramOrganizationID: "B"}, Visible},
		{"served: other program", cm("B"), Intake, Transaction{ProgramOrganizationID: "A"}, NotFound},
		{"served: own program restricted to another org", cm("B"), Intake, Transaction{ProgramOrganizationID: "B", RestrictedToOrg: "A"}, NotFound},
		{"served: own program, release read only", cm("B"), Visible, Transaction{ProgramOrganizationID: "B"}, Editable},
		{"served: other program, release", cm("B"), Visible, Transaction{ProgramOrganizationID: "A"}, Visible},
		{"hidden client", cm("B"), NotFound, Transaction{ProgramOrganizationID: "B"}, NotFound},
		{"support desk", hmis.Actor{OrganizationID: "B", Role: hmis.RoleSupport}, Intake, Transaction{ProgramOrganizationID: "B"}, NotFound},
		{"admin", hmis.Actor{Role: hmis.RoleAdmin}, Editable, Transaction{ProgramOrganizationID: "B", RestrictedToOrg: "A"}, Editable},
	} {
		if got := DecideTransaction(tc.a, tc.client, tc.t); got != tc.want {
			t.Errorf("DecideTransaction %s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Serves and MayServe: the serving organization's users, a writing role
// for MayServe; never an administrator (who sees all), another
// organization, or the support desk.
func TestServes(t *testing.T) {
	c := Client{OrganizationID: "A", Restriction: RestrictOrganization, ServedBy: []string{"B"}}
	for _, tc := range []struct {
		name        string
		a           hmis.Actor
		serves, may bool
	}{
		{"serving case manager", hmis.Actor{OrganizationID: "B", Role: hmis.RoleCaseManager}, true, true},
		{"serving read-only", hmis.Actor{OrganizationID: "B", Role: hmis.RoleReadOnly}, true, false},
		{"owner", hmis.Actor{OrganizationID: "A", Role: hmis.RoleCaseManager}, false, false},
		{"unrelated", hmis.Actor{OrganizationID: "C", Role: hmis.RoleCaseManager}, false, false},
		{"support desk", hmis.Actor{OrganizationID: "B", Role: hmis.RoleSupport}, false, false},
		{"admin", hmis.Actor{OrganizationID: "B", Role: hmis.RoleAdmin}, false, false},
		{"no organization", hmis.Actor{Role: hmis.RoleCaseManager}, false, false},
	} {
		if got := Serves(tc.a, c); got != tc.serves {
			t.Errorf("Serves %s: %v", tc.name, got)
		}
		if got := MayServe(tc.a, c); got != tc.may {
			t.Errorf("MayServe %s: %v", tc.name, got)
		}
	}
	if q, _ := ServesCondition(hmis.Actor{Role: hmis.RoleAdmin}, "c"); q != "" {
		t.Errorf("admin serves condition %q", q)
	}
	if q, _ := ServesCondition(hmis.Actor{OrganizationID: "B", Role: hmis.RoleSupport}, "c"); q != "1 = 0" {
		t.Errorf("support serves condition %q", q)
	}
	q, args := ServesCondition(hmis.Actor{OrganizationID: "B", Role: hmis.RoleCaseManager}, "c")
	if len(args) != 1 || countQ(q) != 1 || args[0] != "B" {
		t.Errorf("serves condition %q %v", q, args)
	}
}

func TestSQL_AdminUnfiltered(t *testing.T) {
	if q, _ := ClientCondition(hmis.Actor{Role: hmis.RoleAdmin}, "c", hmis.MustDate("2026-01-01")); q != "" {
		t.Errorf("admin condition %q", q)
	}
	q, args := ClientCondition(hmis.Actor{OrganizationID: "B", Role: hmis.RoleCaseManager}, "c", hmis.MustDate("2026-01-01"))
	if n := len(args); n != 6 || countQ(q) != n {
		t.Errorf("%d args for %d placeholders: %s", n, countQ(q), q)
	}
	cm := hmis.Actor{OrganizationID: "B", Role: hmis.RoleCaseManager}
	q, args = RecordCondition(cm, "c", hmis.MustDate("2026-01-01"))
	if n := len(args); n != 5 || countQ(q) != n {
		t.Errorf("record: %d args for %d placeholders: %s", n, countQ(q), q)
	}
	q, args = EnrollmentCondition(cm, "c", "e", hmis.MustDate("2026-01-01"))
	if n := len(args); n != 7 || countQ(q) != n {
		t.Errorf("enrollment: %d args for %d placeholders: %s", n, countQ(q), q)
	}
	if q, _ := EnrollmentCondition(hmis.Actor{Role: hmis.RoleAdmin}, "c", "e", hmis.MustDate("2026-01-01")); q != "" {
		t.Errorf("admin enrollment condition %q", q)
	}
}

func countQ(s string) (n int) {
	for _, r := range s {
		if r == '?' {
			n++
		}
	}
	return
}

func TestMayRevealSSN(t *testing.T) {
	roles := []hmis.Role{hmis.RoleCaseManager}
	for _, tc := range []struct {
		name  string
		a     hmis.Actor
		level Level
		want  bool
	}{
		{"admin", hmis.Actor{Role: hmis.RoleAdmin}, Editable, true},
		{"system", hmis.SystemActor("cli"), Editable, true},
		{"case manager", hmis.Actor{OrganizationID: "A", Role: hmis.RoleCaseManager}, Editable, true},
		{"case manager, intake through a release", hmis.Actor{OrganizationID: "B", Role: hmis.RoleCaseManager}, Intake, true},
		{"case manager, hidden client", hmis.Actor{OrganizationID: "B", Role: hmis.RoleCaseManager}, NotFound, false},
		{"admin, no client", hmis.Actor{Role: hmis.RoleAdmin}, NotFound, false},
		{"read-only", hmis.Actor{OrganizationID: "A", Role: hmis.RoleReadOnly}, Visible, false},
		{"org admin not in the rule", hmis.Actor{OrganizationID: "A", Role: hmis.RoleOrgAdmin}, Editable, false},
	} {
		if got := MayRevealSSN(tc.a, tc.level, roles); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
