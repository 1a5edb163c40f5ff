package main

import (
	"context"
	"fmt"
	"strings"

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
