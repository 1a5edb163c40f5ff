package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

// setupSecuritySite makes a data folder whose live site has an
// organization, a client and a case manager "cm", and returns its vars
// and the client's PersonalID.
func setupSecuritySite(t *testing.T) (map[string]string, string) {
	t.Helper()
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	if _, _, code := hearth(t, vars, "", "migrate"); code != 0 {
		t.Fatal("migrate failed")
	}
	st, err := store.Open(t.Context(), store.Options{Path: filepath.Join(data, "live.db"), Key: siteKey(t, data)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := storeCtx(t)
	org := hmis.Organization{OrganizationName: "Harbor House"}
	if err := store.CreateRecord(ctx, st, &org); err != nil {
		t.Fatal(err)
	}
	c := hmis.Client{}
	if err := store.CreateRecord(ctx, st, &c); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword("a long enough password")
	a, err := st.CreateAccount(ctx, hmis.Account{Username: "cm", Role: hmis.RoleCaseManager, OrganizationID: org.OrganizationID}, hash)
	if err != nil {
		t.Fatal(err)
	}
	cm := hmis.NewContext(context.Background(), a.Actor("web"))
	if err := st.Audit(cm, "read", "client", c.PersonalID, ""); err != nil {
		t.Fatal(err)
	}
	c.FirstName = "Changed"
	if err := store.UpdateRecord(cm, st, &c); err != nil {
		t.Fatal(err)
	}
	return vars, c.PersonalID
}

func TestAuditCommands(t *testing.T) {
	vars, pid := setupSecuritySite(t)
	out, stderr, code := hearth(t, vars, "", "audit", "verify", "--site", "live")
	if code != 0 || !regexp.MustCompile(`^\d+ entries, chain intact\n`).MatchString(out) {
		t.Fatalf("verify: %d %q %q", code, out, stderr)
	}

	out, _, code = hearth(t, vars, "", "audit", "client", "--site", "live", pid)
	if code != 0 || !regexp.MustCompile(`cm\(web\)\s+read\s+client`).MatchString(out) || !strings.Contains(out, "FirstName changed") || strings.Contains(out, " Changed") {
		t.Fatalf("client access report: %d\n%s", code, out)
	}
	if strings.Count(out, "cm(web)") != 2 {
		t.Errorf("access report lists %d entries by cm, want a view and an update:\n%s", strings.Count(out, "cm(web)"), out)
	}

	out, _, code = hearth(t, vars, "", "audit", "list", "--site", "live", "--user", "cm", "--action", "update")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, "update") {
		t.Fatalf("list --user cm --action update: %d\n%s", code, out)
	}
	out, _, _ = hearth(t, vars, "", "audit", "list", "--site", "live", "--entity", "client", "--id", pid, "--since", "2000-01-01", "--until", "2999-12-31")
	if strings.Count(out, "\n") < 4 {
		t.Errorf("list by client and dates:\n%s", out)
	}
	if _, stderr, code := hearth(t, vars, "", "audit", "list", "--site", "live", "--since", "yesterday"); code != 2 || !strings.Contains(stderr, "want a date") {
		t.Errorf("bad date: %d %q", code, stderr)
	}
	if _, stderr, code := hearth(t, vars, "", "audit", "list", "--site", "live", "--as", "cm"); code != 1 || !strings.Contains(stderr, "only HMIS administrators") {
		t.Errorf("case manager reading the log: %d %q", code, stderr)
	}

	// Tamper with a middle entry: verify fails with exit 1 and says where.
	st, err := store.Open(t.Context(), store.Options{Path: filepath.Join(vars["HEARTH_DATA"], "live.db"), Key: siteKey(t, vars["HEARTH_DATA"])})
	if err != nil {
		t.Fatal(err)
	}
	store.ExecForTest(st, `UPDATE audit_log SET actor = 'someone else' WHERE id = 3`)
	st.Close()
	out, stderr, code = hearth(t, vars, "", "audit", "verify", "--site", "live")
	if code != 1 || !strings.Contains(out, "BROKEN at entry 3") || !strings.Contains(stderr, "entry 3 was changed") {
		t.Fatalf("verify after tampering: %d %q %q", code, out, stderr)
	}
}

func TestUserSecurityCommands(t *testing.T) {
	vars, _ := setupSecuritySite(t)
	open := func() *store.Store {
		st, err := store.Open(t.Context(), store.Options{Path: filepath.Join(vars["HEARTH_DATA"], "live.db"), Key: siteKey(t, vars["HEARTH_DATA"])})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}

	// reset-password: a temporary password that must be changed.
	if _, stderr, code := hearth(t, vars, "password1234\n", "user", "reset-password", "--site", "live", "--username", "cm"); code != 1 || !strings.Contains(stderr, "common") {
		t.Fatalf("common temporary password: %d %q", code, stderr)
	}
	out, stderr, code := hearth(t, vars, "temporary river 2468\n", "user", "reset-password", "--site", "live", "--username", "cm")
	if code != 0 || !strings.Contains(out, "must choose a new one") {
		t.Fatalf("reset-password: %d %q %q", code, out, stderr)
	}
	st := open()
	a, err := auth.SignIn(storeCtx(t), st, "cm", "temporary river 2468")
	if err != nil || !a.MustChangePassword {
		t.Fatalf("after reset: %+v %v", a, err)
	}

	// revoke-sessions.
	if _, err := st.CreateSession(storeCtx(t), "tok", a.ID, "", "", 3600e9); err != nil {
		t.Fatal(err)
	}
	out, _, code = hearth(t, vars, "", "user", "revoke-sessions", "--site", "live", "--username", "cm")
	if code != 0 || !strings.Contains(out, "1 session(s)") {
		t.Fatalf("revoke-sessions: %d %q", code, out)
	}

	// require-2fa.
	out, _, code = hearth(t, vars, "", "user", "require-2fa", "--site", "live", "--role", "case_manager", "on")
	if code != 0 || !strings.Contains(out, "required for case_manager") {
		t.Fatalf("require-2fa: %d %q", code, out)
	}
	out, _, _ = hearth(t, vars, "", "user", "require-2fa", "--site", "live", "--role", "all", "on")
	if !strings.Contains(out, "required for everyone") {
		t.Fatalf("require-2fa all: %q", out)
	}
	out, _, _ = hearth(t, vars, "", "user", "require-2fa", "--site", "live", "--role", "all", "off")
	if !strings.Contains(out, "optional for everyone") {
		t.Fatalf("require-2fa all off: %q", out)
	}
	if _, _, code := hearth(t, vars, "", "user", "require-2fa", "--site", "live", "--role", "boss", "on"); code != 2 {
		t.Errorf("unknown role: %d", code)
	}
	if _, stderr, code := hearth(t, vars, "", "user", "revoke-sessions", "--site", "live", "--username", "cm", "--as", "cm"); code != 1 || !strings.Contains(stderr, "only HMIS administrators") {
		t.Errorf("--as case manager: %d %q", code, stderr)
	}
}
