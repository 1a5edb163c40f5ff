package hmis

import (
	"context"
	"fmt"
)

// Role is a Hearth user's role. Issue "Security and sharing" adds finer
// permissions; the role stays the coarse grant.
type Role string

// Roles by the names the command line and the database use.
const (
	RoleAdmin       Role = "admin"        // HMIS administrator: setup, users, all reports, support desk
	RoleOrgAdmin    Role = "org_admin"    // administers one organization's users and programs
	RoleCaseManager Role = "case_manager" // intake, enrollments, services, case notes
	RoleReadOnly    Role = "read_only"    // sees, never writes
	RoleSupport     Role = "support"      // HMIS support desk: tickets, help articles, the audit log; no client records
)

// Roles lists every role, most privileged first.
var Roles = []Role{RoleAdmin, RoleOrgAdmin, RoleCaseManager, RoleReadOnly, RoleSupport}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", Errorf(EINVALID, "unknown role %q (want admin, org_admin, case_manager, read_only or support)", s)
}

// Label is the role as users read it.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "HMIS administrator"
	case RoleOrgAdmin:
		return "Organization administrator"
	case RoleCaseManager:
		return "Case manager"
	case RoleReadOnly:
		return "Read-only"
	case RoleSupport:
		return "HMIS support"
	}
	return string(r)
}

// CanWrite reports whether the role may create or change client data.
func (r Role) CanWrite() bool { return r != RoleReadOnly && r != RoleSupport }

// SeesClients reports whether the role may see any client record at all.
// The HMIS support desk answers tickets and reads the audit log without
// access to client records: least privilege (issue 6 item 4).
func (r Role) SeesClients() bool { return r != RoleSupport }

// WorksSupportDesk reports whether the role answers support tickets and
// writes help articles.
func (r Role) WorksSupportDesk() bool { return r == RoleAdmin || r == RoleSupport }

// Actor is who is acting: a signed-in account, or the system (the command
// line without --as, migrations, the demo generator). Every store write
// records it and every audit row names it.
type Actor struct {
	AccountID      string // accounts.id; empty for the system
	UserID         string // HUD User.UserID written on records this actor creates
	Username       string
	OrganizationID string
	Role           Role
	System         bool   // full access, audited as Via
	Via            string // "cli", "web", "api", "seed", ...
}

// SystemUserID is the HUD UserID that records created by the system carry.
const SystemUserID = "SYSTEM"

// SystemActor returns the full-access actor for work done via the given channel.
func SystemActor(via string) Actor {
	return Actor{UserID: SystemUserID, Username: "system", Role: RoleAdmin, System: true, Via: via}
}

// String names the actor for audit rows and logs (no PII: usernames only).
func (a Actor) String() string {
	if a.System {
		return fmt.Sprintf("system(%s)", a.Via)
	}
	return fmt.Sprintf("%s(%s)", a.Username, a.Via)
}

type actorKey struct{}

// NewContext returns ctx carrying the actor.
func NewContext(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx; ok is false when there is none.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}
