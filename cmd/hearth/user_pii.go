package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// hearth user full-ssn --site S --role ROLE on|off: which roles may
// reveal a client's full SSN (issue 6 items 4 and 7). Pages show the last
// four; a user whose role may clicks "Show the full SSN", which is
// audited. HMIS administrators always may.
func runUserFullSSN(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var role string
	fs := newFlagSet("user full-ssn", "--site SITE --role ROLE on|off")
	c.register(fs, true, true)
	fs.StringVar(&role, "role", "", "org_admin, case_manager or read_only (required)")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) != 1 || (rest[0] != "on" && rest[0] != "off") {
		return usagef("user full-ssn: say on or off")
	}
	r, err := hmis.ParseRole(role)
	if err != nil {
		return usagef("user full-ssn: --role: %v", hmis.ErrorMessage(err))
	}
	if r == hmis.RoleAdmin {
		return usagef("user full-ssn: HMIS administrators always may see full SSNs")
	}
	ctx, done, st, err := openAsAdmin(ctx, e, c, "full-ssn")
	if err != nil {
		return err
	}
	defer done()
	roles, err := st.SetFullSSNRole(ctx, r, rest[0] == "on")
	if err != nil {
		return err
	}
	names := []string{"HMIS administrators"}
	for _, x := range roles {
		names = append(names, x.Label())
	}
	fmt.Fprintf(e.stdout, "full SSNs may now be revealed (and each reveal is audited) by: %s\n", strings.Join(names, ", "))
	return nil
}

// hearth user pii --site S --permission P (--role ROLE on|off | --username U inherit|allow|deny):
// per-field PII permissions (issue 6 item 4): full_ssn, dob, photo,
// sensitive. With --role it changes the site's rule for a role; with
// --username it sets one account's own setting on top of its role's rule
// (allow or deny; inherit removes it). Both audited.
func runUserPII(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var role, username, perm string
	fs := newFlagSet("user pii", "--site SITE --permission full_ssn|dob|photo|sensitive (--role ROLE on|off | --username U inherit|allow|deny)")
	c.register(fs, true, true)
	fs.StringVar(&perm, "permission", "", "full_ssn, dob, photo or sensitive (required)")
	fs.StringVar(&role, "role", "", "change the rule of this role: org_admin, case_manager or read_only")
	fs.StringVar(&username, "username", "", "change this one account's own setting")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	f, ok := access.ParsePIIField(perm)
	if !ok {
		return usagef("user pii: --permission: choose full_ssn, dob, photo or sensitive")
	}
	if (role == "") == (username == "") {
		return usagef("user pii: give either --role or --username")
	}
	if len(rest) != 1 {
		return usagef("user pii: say on|off (with --role) or inherit|allow|deny (with --username)")
	}
	if role != "" {
		if rest[0] != "on" && rest[0] != "off" {
			return usagef("user pii: with --role, say on or off")
		}
		r, err := hmis.ParseRole(role)
		if err != nil {
			return usagef("user pii: --role: %v", hmis.ErrorMessage(err))
		}
		if r == hmis.RoleAdmin {
			return usagef("user pii: HMIS administrators always hold every permission")
		}
		ctx, done, st, err := openAsAdmin(ctx, e, c, "pii")
		if err != nil {
			return err
		}
		defer done()
		roles, err := st.SetPIIRole(ctx, f, r, rest[0] == "on")
		if err != nil {
			return err
		}
		names := []string{"HMIS administrators"}
		for _, x := range roles {
			names = append(names, x.Label())
		}
		fmt.Fprintf(e.stdout, "%s: granted by role to %s (account settings still apply)\n", f.Label(), strings.Join(names, ", "))
		return nil
	}
	o, ok := access.ParsePIIOverride(rest[0])
	if !ok || rest[0] == "" {
		return usagef("user pii: with --username, say inherit, allow or deny")
	}
	ctx, done, st, err := openAsAdmin(ctx, e, c, "pii")
	if err != nil {
		return err
	}
	defer done()
	a, err := findUser(ctx, st, "pii", username)
	if err != nil {
		return err
	}
	if err := st.SetAccountPIIOverride(ctx, a.ID, f, o); err != nil {
		return err
	}
	switch o {
	case access.PIIInherit:
		fmt.Fprintf(e.stdout, "%s: %s now follows the rule of their role (%s)\n", f.Label(), a.Username, a.Role.Label())
	case access.PIIAllow:
		fmt.Fprintf(e.stdout, "%s: granted to %s whatever their role\n", f.Label(), a.Username)
	default:
		fmt.Fprintf(e.stdout, "%s: withdrawn from %s whatever their role\n", f.Label(), a.Username)
	}
	return nil
}
