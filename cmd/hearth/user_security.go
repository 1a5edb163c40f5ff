package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// Account security from the command line (issue 6): an administrator's
// password reset, signing a user out everywhere, two-factor policy and a
// lost phone.

const userSecurityUsage = `       hearth user reset-password  --site SITE --username U   (temporary password on stdin; must be changed at next sign-in)
       hearth user revoke-sessions --site SITE --username U   (sign the user out everywhere)
       hearth user require-2fa     --site SITE --role ROLE|all on|off
       hearth user reset-2fa       --site SITE --username U   (turn two-factor off, e.g. a lost phone)
       hearth user full-ssn        --site SITE --role ROLE on|off   (may the role reveal full SSNs; administrators always may)
       hearth user pii             --site SITE --permission full_ssn|dob|photo|sensitive --role ROLE on|off
       hearth user pii             --site SITE --permission full_ssn|dob|photo|sensitive --username U inherit|allow|deny`

var userSecurityCommands = map[string]func(context.Context, env, []string) error{
	"reset-password":  runUserResetPassword,
	"revoke-sessions": runUserRevokeSessions,
	"require-2fa":     runUserRequire2FA,
	"reset-2fa":       runUserReset2FA,
	"full-ssn":        runUserFullSSN,
	"pii":             runUserPII,
}

// openAsAdmin opens the site for an account administration command: the
// system, or --as an HMIS administrator.
func openAsAdmin(ctx context.Context, e env, c commonFlags, name string) (context.Context, func(), *store.Store, error) {
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return ctx, nil, nil, err
	}
	if a, _ := hmis.ActorFrom(ctx); !a.System && a.Role != hmis.RoleAdmin {
		reg.Close()
		return ctx, nil, nil, fmt.Errorf("user %s: only HMIS administrators may do this", name)
	}
	return ctx, reg.Close, site.Store, nil
}

// userFlags parses --site, --as and --username for a one-user command.
func userFlags(name string, args []string, e env) (commonFlags, string, error) {
	var c commonFlags
	var username string
	fs := newFlagSet("user "+name, "--site SITE --username U")
	c.register(fs, true, true)
	fs.StringVar(&username, "username", "", "the user (required)")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return c, "", err
	}
	if len(rest) > 0 {
		return c, "", usagef("user %s: unexpected argument %q", name, rest[0])
	}
	if username == "" {
		return c, "", usagef("user %s: --username is required", name)
	}
	return c, username, nil
}

func findUser(ctx context.Context, st *store.Store, name, username string) (hmis.Account, error) {
	a, _, err := st.FindAccountByUsername(ctx, username)
	if hmis.ErrorCode(err) == hmis.ENOTFOUND {
		return a, fmt.Errorf("user %s: no user %q", name, username)
	}
	return a, err
}

// hearth user reset-password: a temporary password from stdin; the user
// must choose their own at the next sign-in, and is signed out now.
func runUserResetPassword(ctx context.Context, e env, args []string) error {
	c, username, err := userFlags("reset-password", args, e)
	if err != nil {
		return err
	}
	password, _ := bufio.NewReader(e.stdin).ReadString('\n')
	password = strings.TrimRight(password, "\r\n")
	if password == "" {
		return fmt.Errorf("user reset-password: no temporary password on standard input")
	}
	if err := auth.CheckPasswordFor(password, username); err != nil {
		return fmt.Errorf("user reset-password: %v", fieldMessage(err))
	}
	ctx, done, st, err := openAsAdmin(ctx, e, c, "reset-password")
	if err != nil {
		return err
	}
	defer done()
	a, err := findUser(ctx, st, "reset-password", username)
	if err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if err := st.SetPassword(ctx, a.ID, hash, true); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "password of %s reset; they must choose a new one at their next sign-in, and were signed out\n", a.Username)
	return nil
}

// hearth user revoke-sessions: sign a user out of every browser.
func runUserRevokeSessions(ctx context.Context, e env, args []string) error {
	c, username, err := userFlags("revoke-sessions", args, e)
	if err != nil {
		return err
	}
	ctx, done, st, err := openAsAdmin(ctx, e, c, "revoke-sessions")
	if err != nil {
		return err
	}
	defer done()
	a, err := findUser(ctx, st, "revoke-sessions", username)
	if err != nil {
		return err
	}
	n, err := st.RevokeAccountSessions(ctx, a.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s signed out of %d session(s)\n", a.Username, n)
	return nil
}

// hearth user reset-2fa: turn a user's two-factor sign-in off (a lost
// phone); if the site requires it, they enrol again at the next sign-in.
func runUserReset2FA(ctx context.Context, e env, args []string) error {
	c, username, err := userFlags("reset-2fa", args, e)
	if err != nil {
		return err
	}
	ctx, done, st, err := openAsAdmin(ctx, e, c, "reset-2fa")
	if err != nil {
		return err
	}
	defer done()
	a, err := findUser(ctx, st, "reset-2fa", username)
	if err != nil {
		return err
	}
	if err := st.DisableTOTP(ctx, a.ID); err != nil {
		return err
	}
	if _, err := st.RevokeAccountSessions(ctx, a.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "two-factor sign-in of %s turned off, and they were signed out\n", a.Username)
	return nil
}

// hearth user require-2fa --role ROLE|all on|off
func runUserRequire2FA(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var role string
	fs := newFlagSet("user require-2fa", "--site SITE --role ROLE|all on|off")
	c.register(fs, true, true)
	fs.StringVar(&role, "role", "", "admin, org_admin, case_manager, read_only, or all (required)")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) != 1 || (rest[0] != "on" && rest[0] != "off") {
		return usagef("user require-2fa: say on or off")
	}
	if role == "" {
		return usagef("user require-2fa: --role is required (a role, or all)")
	}
	if role != "all" {
		if _, err := hmis.ParseRole(role); err != nil {
			return usagef("user require-2fa: %v", hmis.ErrorMessage(err))
		}
	}
	ctx, done, st, err := openAsAdmin(ctx, e, c, "require-2fa")
	if err != nil {
		return err
	}
	defer done()
	pol, err := st.SetTwoFactorRequired(ctx, role, rest[0] == "on")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "two-factor sign-in is now %s (demo accounts exempt); users without it set it up at their next sign-in\n", pol)
	return nil
}

// fieldMessage is an *hmis.Error's field message when it has one.
func fieldMessage(err error) string {
	if e, ok := err.(*hmis.Error); ok {
		for _, m := range e.Fields {
			return e.Message + " " + m
		}
	}
	return hmis.ErrorMessage(err)
}
