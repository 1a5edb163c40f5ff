package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// hearth user add --site S --username U --role R --org ORGID; the password
// is read from the first line of standard input.
func runUser(ctx context.Context, e env, args []string) error {
	if len(args) > 0 {
		if run, ok := userSecurityCommands[args[0]]; ok {
			return run(ctx, e, args[1:])
		}
	}
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stdout, "Usage: hearth user add --site SITE --username U --role ROLE --org ORGID  (password on stdin)")
			fmt.Fprintln(e.stdout, userSecurityUsage)
			return nil
		}
		return usagef("user: want 'hearth user add|reset-password|revoke-sessions|require-2fa|reset-2fa|full-ssn|pii ...'")
	}
	var c commonFlags
	var username, role, org, first, last, email string
	fs := newFlagSet("user add", "--site SITE --username U --role ROLE --org ORGID [--first F --last L --email E] < password")
	c.register(fs, true, true)
	fs.StringVar(&username, "username", "", "sign-in name (required)")
	fs.StringVar(&role, "role", "", "admin, org_admin, case_manager or read_only (required)")
	fs.StringVar(&org, "org", "", "organization ID (see hearth org list) (required)")
	fs.StringVar(&first, "first", "", "first name")
	fs.StringVar(&last, "last", "", "last name")
	fs.StringVar(&email, "email", "", "email address")
	rest, err := parse(fs, args[1:], e.stdout)
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		return usagef("user add: unexpected argument %q", rest[0])
	case username == "":
		return usagef("user add: --username is required")
	case role == "":
		return usagef("user add: --role is required")
	case org == "":
		return usagef("user add: --org is required")
	}
	r, err := hmis.ParseRole(role)
	if err != nil {
		return usagef("user add: %v", hmis.ErrorMessage(err))
	}
	password, err := bufio.NewReader(e.stdin).ReadString('\n')
	password = strings.TrimRight(password, "\r\n")
	if password == "" {
		return fmt.Errorf("user add: no password on standard input")
	}
	if err := auth.CheckPasswordPolicy(password); err != nil {
		return fmt.Errorf("user add: %v", err)
	}
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return err
	}
	defer reg.Close()
	// Administrators add anyone; an organization administrator adds
	// non-administrators to their own organization only.
	if a, _ := hmis.ActorFrom(ctx); !a.System && a.Role != hmis.RoleAdmin &&
		!(a.Role == hmis.RoleOrgAdmin && a.OrganizationID == org && r != hmis.RoleAdmin) {
		return fmt.Errorf("user add: %s may not add a %s to this organization", c.as, r)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	acct, err := site.Store.CreateAccount(ctx, hmis.Account{Username: username, Role: r, OrganizationID: org,
		FirstName: first, LastName: last, Email: email, MustChangePassword: true}, hash)
	if err != nil {
		return fmt.Errorf("user add: %v", err)
	}
	fmt.Fprintf(e.stdout, "added user %s (%s) to site %s, organization %s\n", acct.Username, acct.Role, site.Slug, acct.OrganizationID)
	return nil
}
