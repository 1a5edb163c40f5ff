// Package access is the one access decision (issue 6): given who is acting
// and a client record's ownership, restriction and releases, may the actor
// see it, change it, or is it "not found"?
//
// The decision exists in two forms that must agree: the pure Go function
// Decide, for one record in hand, and the SQL conditions ClientCondition,
// RecordCondition and TransactionCondition, which the store adds to every
// query that reads client data so that hidden rows never leave the
// database. The package imports only hmis: store calls it, never the
// other way round.
package access

import (
	"slices"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Restriction is how far a client record is shared (clients.restriction).
type Restriction string

// The three restrictions of the seed system.
const (
	// RestrictOrganization (the default) hides the record from every other
	// organization and overrides any information release.
	RestrictOrganization Restriction = "organization"
	// ShareByRelease shares the record with the organizations an
	// information release in force today names.
	ShareByRelease Restriction = "release"
	// ShareGlobally lets every organization of the site see the record and
	// record transactions for the client.
	ShareGlobally Restriction = "global"
)

// ParseRestriction returns the restriction named s.
func ParseRestriction(s string) (Restriction, error) {
	switch r := Restriction(s); r {
	case RestrictOrganization, ShareByRelease, ShareGlobally:
		return r, nil
	}
	return "", hmis.Errorf(hmis.EINVALID, "Unknown restriction %q (want organization, release or global).", s)
}

// Label is the restriction as users read it.
func (r Restriction) Label() string {
	switch r {
	case RestrictOrganization:
		return "Restrict to Organization"
	case ShareByRelease:
		return "Share Intake to MOU / Information Release"
	case ShareGlobally:
		return "Share Intake Globally"
	}
	return string(r)
}

// Coverage is what a release shares.
type Coverage string

// Coverages.
const (
	CoverIntake Coverage = "intake" // the client record (intake) only
	CoverRecord Coverage = "record" // the whole record: enrollments, services, assessments, ...
)

// ParseCoverage returns the coverage named s ("" is CoverRecord).
func ParseCoverage(s string) (Coverage, error) {
	switch c := Coverage(s); c {
	case "":
		return CoverRecord, nil
	case CoverIntake, CoverRecord:
		return c, nil
	}
	return "", hmis.Errorf(hmis.EINVALID, "Unknown coverage %q (want intake or record).", s)
}

// Release is what the decision needs of an information release.
type Release struct {
	// Organizations are the organizations the release shares with: those
	// it names plus those its MOU groups grant from the client's
	// organization (the store resolves the groups).
	Organizations []string
	Coverage      Coverage
	Begin, End    hmis.Date
	Revoked       bool
}

// Status values of a release.
const (
	StatusActive  = "active"
	StatusPending = "not yet begun"
	StatusExpired = "expired"
	StatusRevoked = "revoked"
)

// Status is the release's status on today: revoked, not yet begun,
// expired, or active (begin <= today <= end).
func Status(begin, end hmis.Date, revoked bool, today hmis.Date) string {
	switch {
	case revoked:
		return StatusRevoked
	case today.Before(begin):
		return StatusPending
	case today.After(end):
		return StatusExpired
	}
	return StatusActive
}

// InForce reports whether the release shares anything on today.
func (r Release) InForce(today hmis.Date) bool {
	return Status(r.Begin, r.End, r.Revoked, today) == StatusActive
}

// Client is a client record's ownership, as the decision needs it.
type Client struct {
	OrganizationID string // the owning organization ("" when none)
	Restriction    Restriction
	Releases       []Release
	// ServedBy are the organizations that serve the client: those owning
	// a live program in which the client has a live enrollment (the store
	// reads them; order and duplicates do not matter).
	ServedBy []string
}

// Level is what the actor may do with a record. Levels are ordered.
type Level int

// Levels.
const (
	NotFound Level = iota // not visible: the answer is "not found", never "forbidden"
	Intake                // the client record (intake) only, not its transactions
	Visible               // the whole record, read only
	Editable              // the whole record; may record and change transactions
)

func (l Level) String() string {
	return [...]string{"not found", "intake only", "visible", "editable"}[l]
}

// SeesAll reports whether the actor sees every record (administrators and
// the system).
func SeesAll(a hmis.Actor) bool { return a.System || a.Role == hmis.RoleAdmin }

// Decide is the access decision for one client record on today.
// Administrators and the system see and change everything. Others: their
// own organization's clients (editable unless read-only); globally shared
// clients (likewise: everyone may record services for them); clients
// shared by release when a release in force today names their
// organization (read only; intake-only releases show the client record
// but none of its transactions). Restrict to Organization overrides any
// release.
//
// An organization sees the clients it serves: a client with a live
// enrollment in a program of the actor's organization (Client.ServedBy)
// is at least Intake, whatever its restriction; the transactions of that
// organization's programs are decided by DecideTransaction. (An imported
// client belongs to the organization of its earliest enrollment; the
// organizations of its later programs see it this way.)
func Decide(a hmis.Actor, c Client, today hmis.Date) Level {
	l := decideShared(a, c, today)
	if l < Intake && Serves(a, c) {
		return Intake
	}
	return l
}

// Serves reports whether the actor's organization serves the client
// (Client.ServedBy holds it) and the actor's role sees clients; false for
// administrators and the system, who see everything anyway. In SQL:
// ServesCondition.
func Serves(a hmis.Actor, c Client) bool {
	return !SeesAll(a) && !seesNoClient(a) && slices.Contains(c.ServedBy, a.OrganizationID)
}

// seesNoClient reports whether an actor that does not see everything sees
// no client at all: no organization, or a role that sees no client
// (support). Decide and every condition in sql.go start from it.
func seesNoClient(a hmis.Actor) bool {
	return a.OrganizationID == "" || !a.Role.SeesClients()
}

// MayServe reports whether the actor may record, for a client the
// actor's organization serves, what belongs to the organization's own
// work rather than to the client's record: the serving organization's own
// calendar events with the client (issue 6/7). Serves, and a role that
// writes.
func MayServe(a hmis.Actor, c Client) bool {
	return Serves(a, c) && a.Role.CanWrite()
}

// decideShared is Decide without the serving organizations: ownership,
// restriction and releases.
func decideShared(a hmis.Actor, c Client, today hmis.Date) Level {
	write := func(l Level) Level {
		if l == Editable && !a.Role.CanWrite() {
			return Visible
		}
		return l
	}
	switch {
	case SeesAll(a):
		return Editable
	case seesNoClient(a):
		return NotFound
	case c.OrganizationID == a.OrganizationID:
		return write(Editable)
	case c.Restriction == ShareGlobally:
		return write(Editable)
	case c.Restriction != ShareByRelease:
		return NotFound
	}
	best := NotFound
	for _, r := range c.Releases {
		if !r.InForce(today) || !slices.Contains(r.Organizations, a.OrganizationID) {
			continue
		}
		if r.Coverage == CoverIntake {
			best = max(best, Intake)
		} else {
			best = Visible
		}
	}
	return best
}

// Transaction is what the decision needs of a transaction (enrollment,
// and everything under one: exit, income, service, assessment, case
// note, ...).
type Transaction struct {
	// RestrictedToOrg is the organization it is restricted to ("" when
	// it follows the client's sharing). For a record under an enrollment,
	// both the record's and the enrollment's restriction apply: decide
	// each.
	RestrictedToOrg string
	// ProgramOrganizationID is the organization owning the program of
	// its (live) enrollment; "" when it is not tied to a live program.
	ProgramOrganizationID string
}

// DecideTransaction is the decision for a transaction of a client whose
// decision is client. A transaction restricted to an organization is
// seen only by that organization (and administrators). Otherwise it is
// seen when the client's whole record is (client >= Visible), and when
// it belongs to a program of the actor's organization (the organization
// serves the client: Editable unless the role is read-only), whatever the
// client's own sharing.
func DecideTransaction(a hmis.Actor, client Level, t Transaction) Level {
	if SeesAll(a) {
		return client
	}
	if t.RestrictedToOrg != "" && t.RestrictedToOrg != a.OrganizationID {
		return NotFound
	}
	l := NotFound
	if client >= Visible {
		l = client
	}
	if client >= Intake && !seesNoClient(a) && t.ProgramOrganizationID == a.OrganizationID {
		l = Editable
		if !a.Role.CanWrite() {
			l = Visible
		}
	}
	return l
}

// MayManageSharing reports whether the actor may change a client's
// restriction and releases: administrators, and users who may write of
// the organization that owns the client.
func MayManageSharing(a hmis.Actor, ownerOrganizationID string) bool {
	if SeesAll(a) {
		return true
	}
	return a.Role.CanWrite() && a.OrganizationID != "" && a.OrganizationID == ownerOrganizationID
}
