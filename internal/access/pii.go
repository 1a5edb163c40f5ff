package access

import (
	"slices"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// Per-field PII permissions (issue 6 items 4 and 7). Every page shows a
// client's SSN as its last four, their date of birth as the year and age,
// a placeholder instead of their photo, and the fields an administrator
// marked sensitive as hidden; a user sees more when MayPII says so: the
// site's rule lists the roles that may (one setting per field), and an
// account override (allow or deny) wins over its role's rule.

// PIIField names one permission.
type PIIField string

// The permissions.
const (
	PIIFullSSN   PIIField = "full_ssn"  // reveal the full SSN (audited)
	PIIDOB       PIIField = "dob"       // see the full date of birth
	PIIPhoto     PIIField = "photo"     // see the client's photo
	PIISensitive PIIField = "sensitive" // reveal fields marked sensitive (audited)
)

// PIIFields lists the permissions in the order pages show them.
var PIIFields = []PIIField{PIIFullSSN, PIIDOB, PIIPhoto, PIISensitive}

// ParsePIIField checks a permission's name.
func ParsePIIField(s string) (PIIField, bool) {
	f := PIIField(s)
	return f, slices.Contains(PIIFields, f)
}

// Label names the permission for people.
func (f PIIField) Label() string {
	switch f {
	case PIIFullSSN:
		return "Full SSN"
	case PIIDOB:
		return "Date of birth"
	case PIIPhoto:
		return "Photo"
	case PIISensitive:
		return "Sensitive client fields"
	}
	return string(f)
}

// DefaultPIIRoles are the roles a permission is granted to until an
// administrator changes the site's rule. Full SSNs and sensitive fields:
// organization administrators and case managers (read-only users see the
// last four); the date of birth and the photo: every role that sees
// clients (as before these permissions existed).
func DefaultPIIRoles(f PIIField) []hmis.Role {
	switch f {
	case PIIDOB, PIIPhoto:
		return []hmis.Role{hmis.RoleOrgAdmin, hmis.RoleCaseManager, hmis.RoleReadOnly}
	}
	return []hmis.Role{hmis.RoleOrgAdmin, hmis.RoleCaseManager}
}

// DefaultFullSSNRoles are the roles that may reveal a full SSN until an
// administrator changes the site's rule (hearth user full-ssn).
var DefaultFullSSNRoles = DefaultPIIRoles(PIIFullSSN)

// PIIOverride is an account's own setting for one permission.
type PIIOverride string

// Account overrides: inherit the role's rule, or allow or deny whatever
// the role's rule says.
const (
	PIIInherit PIIOverride = ""
	PIIAllow   PIIOverride = "allow"
	PIIDeny    PIIOverride = "deny"
)

// ParsePIIOverride reads "inherit" (or ""), "allow" or "deny".
func ParsePIIOverride(s string) (PIIOverride, bool) {
	switch s {
	case "", "inherit":
		return PIIInherit, true
	case "allow", "deny":
		return PIIOverride(s), true
	}
	return "", false
}

// HasPII reports whether a holds a permission, whatever the client: HMIS
// administrators (and the system) always; otherwise the account's
// override, else whether the site's rule lists the role. The support role
// sees no client at all (Decide), whatever this says.
func HasPII(a hmis.Actor, roles []hmis.Role, o PIIOverride) bool {
	switch {
	case SeesAll(a):
		return true
	case o == PIIAllow:
		return true
	case o == PIIDeny:
		return false
	}
	return slices.Contains(roles, a.Role)
}

// MayPII reports whether a may use a permission on a client it sees at
// level; nobody may for a client they cannot see.
func MayPII(a hmis.Actor, level Level, roles []hmis.Role, o PIIOverride) bool {
	return level != NotFound && HasPII(a, roles, o)
}

// MayRevealSSN reports whether a may reveal the full SSN of a client it
// sees at level, when the site lets roles do so (no account override).
func MayRevealSSN(a hmis.Actor, level Level, roles []hmis.Role) bool {
	return MayPII(a, level, roles, PIIInherit)
}
