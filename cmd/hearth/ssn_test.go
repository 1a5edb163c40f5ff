package main

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/hmiscsv"
	"github.com/hearth-hmis/hearth/internal/secret"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// siteKey is the data folder's site key, as the commands read it.
func siteKey(t *testing.T, data string) *secret.Key {
	t.Helper()
	k, err := secret.Load("", data)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestSSNAtRestThroughCommands: hearth seed stores every SSN sealed;
// hearth export writes them in clear (HUD's CSV), the same as the store
// reads them with the key, and never the key; without the key the site
// does not open.
func TestSSNAtRestThroughCommands(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	if _, stderr, code := hearth(t, vars, "", "seed", "--site", "training", "--clients", "60"); code != 0 {
		t.Fatalf("seed: %s", stderr)
	}
	st, err := store.Open(t.Context(), store.Options{Path: filepath.Join(data, "training.db"), Key: siteKey(t, data)})
	if err != nil {
		t.Fatal(err)
	}
	clear, err := storetest.QueryString(st, `SELECT CAST(COUNT(*) AS TEXT) FROM clients WHERE ssn IS NOT NULL AND ssn NOT LIKE 's1:%'`)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := storetest.QueryString(st, `SELECT CAST(COUNT(*) AS TEXT) FROM clients WHERE ssn LIKE 's1:%'`)
	if err != nil {
		t.Fatal(err)
	}
	if clear != "0" || sealed == "0" {
		t.Errorf("seeded clients: %s SSNs in clear, %s sealed", clear, sealed)
	}
	cs, err := store.FindRecords[hmis.Client](storeCtx(t), st, store.RecordFilter{})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, c := range cs {
		if c.SSN != "" {
			want[c.PersonalID] = c.SSN
		}
	}

	out := filepath.Join(t.TempDir(), "export.zip")
	if _, stderr, code := hearth(t, vars, "", "export", "--site", "training", "--out", out); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	ds, _, err := hmiscsv.ReadDataset(out)
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, c := range ds.Clients {
		if w, ok := want[c.PersonalID]; ok {
			got++
			if c.SSN != w || strings.HasPrefix(c.SSN, "s1:") {
				t.Errorf("exported SSN of %s is not the one stored", c.PersonalID)
			}
		}
	}
	if got != len(want) || got == 0 {
		t.Errorf("%d exported clients with an SSN, want %d", got, len(want))
	}
	// Neither the key nor a sealed value is in the export.
	key, err := os.ReadFile(filepath.Join(data, secret.FileName))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if strings.Contains(string(b), strings.TrimSpace(string(key))) || strings.Contains(string(b), "s1:") {
			t.Errorf("%s holds the key or a sealed SSN", f.Name)
		}
	}
	zr.Close()

	// The key file gone, a new key is made: the site refuses to start
	// rather than leave every SSN unreadable.
	if err := os.Remove(filepath.Join(data, secret.FileName)); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := hearth(t, vars, "", "search", "--site", "training", "Smith"); code != 1 || !strings.Contains(stderr, "sealed with another site key") {
		t.Errorf("with another key: exit %d, %s", code, stderr)
	}
}

func TestUserFullSSNCommand(t *testing.T) {
	vars := map[string]string{"HEARTH_DATA": t.TempDir()}
	out, stderr, code := hearth(t, vars, "", "user", "full-ssn", "--site", "live", "--role", "case_manager", "off")
	if code != 0 || !strings.Contains(out, "by: HMIS administrators, Organization administrator") || strings.Contains(out, "Case manager") {
		t.Fatalf("off: exit %d %q %s", code, out, stderr)
	}
	out, _, code = hearth(t, vars, "", "user", "full-ssn", "--site", "live", "--role", "read_only", "on")
	if code != 0 || !strings.Contains(out, "Read-only") {
		t.Fatalf("read_only on: exit %d %q", code, out)
	}
	if _, _, code := hearth(t, vars, "", "user", "full-ssn", "--site", "live", "--role", "admin", "off"); code != 2 {
		t.Errorf("admin off: exit %d, want 2", code)
	}
	if _, _, code := hearth(t, vars, "", "user", "full-ssn", "--site", "live", "--role", "boss", "on"); code != 2 {
		t.Errorf("unknown role: exit %d, want 2", code)
	}
}

// TestUserPIICommand: hearth user pii changes a role's rule and one
// account's own setting (allow, deny, inherit), and refuses bad input.
func TestUserPIICommand(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	if _, stderr, code := hearth(t, vars, "", "org", "list", "--site", "live"); code != 0 {
		t.Fatalf("org list: %s", stderr)
	}
	st, err := store.Open(t.Context(), store.Options{Path: filepath.Join(data, "live.db"), Key: siteKey(t, data)})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.CreateRecord(storeCtx(t), st, &hmis.Organization{OrganizationID: "A", OrganizationName: "A"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if out, stderr, code := hearth(t, vars, "A-long-passw0rd-for-ro\n", "user", "add", "--site", "live", "--username", "ro",
		"--role", "read_only", "--org", "A"); code != 0 {
		t.Fatalf("user add: exit %d\n%s%s", code, out, stderr)
	}
	out, stderr, code := hearth(t, vars, "", "user", "pii", "--site", "live", "--permission", "dob", "--role", "read_only", "off")
	if code != 0 || !strings.Contains(out, "Date of birth: granted by role to HMIS administrators, Organization administrator, Case manager") {
		t.Fatalf("role off: exit %d %q %s", code, out, stderr)
	}
	out, stderr, code = hearth(t, vars, "", "user", "pii", "--site", "live", "--permission", "dob", "--username", "ro", "allow")
	if code != 0 || !strings.Contains(out, "granted to ro whatever their role") {
		t.Fatalf("allow: exit %d %q %s", code, out, stderr)
	}
	st, err = store.Open(t.Context(), store.Options{Path: filepath.Join(data, "live.db"), Key: siteKey(t, data)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, _, err := st.FindAccountByUsername(storeCtx(t), "ro")
	if err != nil {
		t.Fatal(err)
	}
	g, err := st.MyPIIGrants(hmis.NewContext(t.Context(), hmis.Actor{AccountID: a.ID, Username: "ro", OrganizationID: "A", Role: hmis.RoleReadOnly}))
	if err != nil || !g[access.PIIDOB] || g[access.PIIFullSSN] {
		t.Errorf("grants after the commands: %v %v", g, err)
	}
	for _, args := range [][]string{
		{"--permission", "eyes", "--role", "read_only", "on"},
		{"--permission", "dob", "--role", "admin", "off"},
		{"--permission", "dob", "--role", "read_only", "allow"},
		{"--permission", "dob", "--username", "ro", "on"},
		{"--permission", "dob", "--username", "ro", "--role", "read_only", "on"},
		{"--permission", "dob", "on"},
	} {
		if _, _, code := hearth(t, vars, "", append([]string{"user", "pii", "--site", "live"}, args...)...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if _, stderr, code := hearth(t, vars, "", "user", "pii", "--site", "live", "--permission", "dob", "--username", "ghost", "deny"); code == 0 || !strings.Contains(stderr, "no user") {
		t.Errorf("unknown user: exit %d %s", code, stderr)
	}
}

// TestKeyRotateCommand: hearth key rotate seals a site's SSNs again under
// a new key written to secret.key (0600; the staged file is gone); the
// search still finds the client by SSN and the export writes it; the old
// key no longer opens the site. With HEARTH_SECRET_KEY the new key must
// be given as a file.
func TestKeyRotateCommand(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	if _, stderr, code := hearth(t, vars, "", "org", "list", "--site", "live"); code != 0 {
		t.Fatalf("org list: %s", stderr)
	}
	oldKey := siteKey(t, data)
	oldFile, _ := os.ReadFile(filepath.Join(data, secret.FileName))
	st, err := store.Open(t.Context(), store.Options{Path: filepath.Join(data, "live.db"), Key: oldKey})
	if err != nil {
		t.Fatal(err)
	}
	c := hmis.Client{PersonalID: "k1", FirstName: "Rosalind", LastName: "Franklin", SSN: "301447219", DOB: hmis.MustDate("1920-07-25")}
	if err := store.CreateRecord(storeCtx(t), st, &c); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, stderr, code := hearth(t, vars, "", "key", "rotate")
	if code != 0 || !strings.Contains(out, "site live: sealed again under the new key: 1 SSNs") || !strings.Contains(out, "The old key is no longer needed") {
		t.Fatalf("rotate: exit %d\n%s%s", code, out, stderr)
	}
	newFile, _ := os.ReadFile(filepath.Join(data, secret.FileName))
	if string(newFile) == string(oldFile) {
		t.Fatal("secret.key did not change")
	}
	if fi, err := os.Stat(filepath.Join(data, secret.FileName)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("secret.key mode %v %v", fi.Mode().Perm(), err)
	}
	if _, err := os.Stat(filepath.Join(data, secret.FileName+".new")); !os.IsNotExist(err) {
		t.Errorf("the staged key is still there: %v", err)
	}
	out, stderr, code = hearth(t, vars, "", "search", "--site", "live", "301-44-7219")
	if code != 0 || !strings.Contains(out, "k1") {
		t.Errorf("search after rotation: exit %d %q %s", code, out, stderr)
	}
	// The old key: a start with it is refused.
	old, err := store.Open(t.Context(), store.Options{Path: filepath.Join(data, "live.db"), Key: oldKey})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.SealSSNs(t.Context()); err == nil || !strings.Contains(err.Error(), "another site key") {
		t.Errorf("a start with the old key: %v", err)
	}
	if _, err := store.FindRecordByID[hmis.Client](storeCtx(t), old, "k1"); err == nil {
		t.Error("the old key opened the SSN")
	}
	old.Close()
	// With HEARTH_SECRET_KEY: --new-key-file is required; then it works.
	envVars := map[string]string{"HEARTH_DATA": data, "HEARTH_SECRET_KEY": strings.TrimSpace(string(newFile))}
	if _, _, code := hearth(t, envVars, "", "key", "rotate"); code != 2 {
		t.Errorf("env key without --new-key-file: exit %d, want 2", code)
	}
	_, b64, err := secret.Generate()
	if err != nil {
		t.Fatal(err)
	}
	nf := filepath.Join(t.TempDir(), "new.key")
	if err := secret.WriteFile(nf, b64); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = hearth(t, envVars, "", "key", "rotate", "--new-key-file", nf)
	if code != 0 || !strings.Contains(out, "Set HEARTH_SECRET_KEY to the new key") {
		t.Fatalf("env rotate: exit %d\n%s%s", code, out, stderr)
	}
	envVars["HEARTH_SECRET_KEY"] = b64
	if out, stderr, code := hearth(t, envVars, "", "search", "--site", "live", "301-44-7219"); code != 0 || !strings.Contains(out, "k1") {
		t.Errorf("search under the env key: exit %d %q %s", code, out, stderr)
	}
}
