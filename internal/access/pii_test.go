package access

import (
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
)

// TestHasPII: administrators always hold a permission; an account's
// allow or deny wins over its role's rule; inherit follows the rule; a
// client the user cannot see gives nothing.
func TestHasPII(t *testing.T) {
	cm := hmis.Actor{Username: "cm", Role: hmis.RoleCaseManager, OrganizationID: "A"}
	ro := hmis.Actor{Username: "ro", Role: hmis.RoleReadOnly, OrganizationID: "A"}
	admin := hmis.Actor{Username: "ad", Role: hmis.RoleAdmin}
	roles := []hmis.Role{hmis.RoleCaseManager}
	for _, tc := range []struct {
		name  string
		a     hmis.Actor
		level Level
		o     PIIOverride
		want  bool
	}{
		{"case manager by role", cm, Editable, PIIInherit, true},
		{"read-only by role", ro, Visible, PIIInherit, false},
		{"read-only allowed", ro, Visible, PIIAllow, true},
		{"case manager denied", cm, Editable, PIIDeny, false},
		{"administrator denied anyway", admin, Editable, PIIDeny, true},
		{"allowed but client hidden", ro, NotFound, PIIAllow, false},
		{"administrator, client hidden", admin, NotFound, PIIInherit, false},
	} {
		if got := MayPII(tc.a, tc.level, roles, tc.o); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, f := range PIIFields {
		if g, ok := ParsePIIField(string(f)); !ok || g != f || f.Label() == string(f) {
			t.Errorf("field %q: parse %v, label %q", f, ok, f.Label())
		}
		if len(DefaultPIIRoles(f)) == 0 {
			t.Errorf("field %q has no default role", f)
		}
	}
	if _, ok := ParsePIIField("eyes"); ok {
		t.Error("unknown field parsed")
	}
	for in, want := range map[string]PIIOverride{"": PIIInherit, "inherit": PIIInherit, "allow": PIIAllow, "deny": PIIDeny} {
		if got, ok := ParsePIIOverride(in); !ok || got != want {
			t.Errorf("override %q: %q %v", in, got, ok)
		}
	}
	if _, ok := ParsePIIOverride("sometimes"); ok {
		t.Error("unknown override parsed")
	}
}
