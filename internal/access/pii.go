package access

import (
	"slices"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Per-field PII permissions (issue 6 items 4 and 7): the full SSN. Every
// page shows an SSN as its last four; a user may reveal the full number
// (an audited act, store.RevealSSN) when MayRevealSSN says so.

// DefaultFullSSNRoles are the roles that may reveal a full SSN until an
// administrator changes the site's rule (hearth user ssn-permission).
// Read-only users and report viewers see the last four only.
var DefaultFullSSNRoles = []hmis.Role{hmis.RoleOrgAdmin, hmis.RoleCaseManager}

// MayRevealSSN reports whether a may reveal the full SSN of a client it
// sees at level, when the site lets roles do so. HMIS administrators
// (and the system) always may; nobody may for a client they cannot see.
func MayRevealSSN(a hmis.Actor, level Level, roles []hmis.Role) bool {
	if level == NotFound {
		return false
	}
	return SeesAll(a) || slices.Contains(roles, a.Role)
}
