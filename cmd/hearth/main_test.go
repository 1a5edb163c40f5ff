package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// hearth runs the command line in-process with its own environment.
func hearth(t *testing.T, vars map[string]string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(k string) string { return vars[k] }
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, getenv)
	code = exitCode(err, &errb)
	return out.String(), errb.String(), code
}

func TestUsageErrors(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no subcommand"},
		{[]string{"frobnicate"}, `unknown subcommand "frobnicate"`},
		{[]string{"serve", "--bogus"}, "flag provided but not defined"},
		{[]string{"seed", "--site", "training"}, "--clients must be a positive number"},
		{[]string{"seed", "--clients", "5"}, "--site is required"},
		{[]string{"seed", "--site", "nowhere", "--clients", "5"}, `no site "nowhere"`},
		{[]string{"user", "add", "--site", "live", "--username", "x", "--role", "boss", "--org", "o"}, "unknown role"},
		{[]string{"org"}, "want 'hearth org list"},
	} {
		_, stderr, code := hearth(t, vars, "", tc.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", tc.args, code, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if len(lines) != 1 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: stderr %q, want one line containing %q", tc.args, stderr, tc.want)
		}
	}
}

func TestHelp(t *testing.T) {
	vars := map[string]string{"HEARTH_DATA": t.TempDir()}
	for _, args := range [][]string{{"-h"}, {"serve", "-h"}, {"migrate", "-h"}, {"site", "-h"}, {"site", "list", "-h"},
		{"org", "list", "-h"}, {"user", "add", "-h"}, {"seed", "-h"}, {"import", "-h"}, {"export", "-h"}} {
		out, stderr, code := hearth(t, vars, "", args...)
		if code != 0 || !strings.Contains(out, "Usage: hearth") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, stderr)
		}
	}
}

func TestFailures(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o600)
	for _, tc := range []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"data folder is a file", map[string]string{"HEARTH_DATA": filepath.Join(file, "sub")}, []string{"migrate"}, "cannot create data folder"},
		{"unreachable postgres", map[string]string{"HEARTH_DATA": t.TempDir(), "HEARTH_DATABASE_URL": "postgres://x@127.0.0.1:1/db?connect_timeout=2"}, []string{"migrate"}, "cannot connect to PostgreSQL"},
		{"bad postgres url", map[string]string{"HEARTH_DATA": t.TempDir(), "HEARTH_DATABASE_URL": "postgres://x@[bad"}, []string{"migrate"}, "not a valid PostgreSQL URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := hearth(t, tc.vars, "", tc.args...)
			if code != 1 || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "goroutine") {
				t.Errorf("exit %d, stderr %q; want 1 and one line with %q", code, stderr, tc.want)
			}
		})
	}
}

func TestSiteOrgUserSeed(t *testing.T) {
	vars := map[string]string{"HEARTH_DATA": t.TempDir()}
	out, _, code := hearth(t, vars, "", "site", "list")
	if code != 0 || !regexp.MustCompile(`(?m)^live\s+.+\s+live$`).MatchString(out) || !regexp.MustCompile(`(?m)^training\s+.+\s+training$`).MatchString(out) {
		t.Fatalf("site list: %d %q", code, out)
	}

	out, stderr, code := hearth(t, vars, "", "seed", "--site", "training", "--clients", "30", "--seed", "7")
	if code != 0 || !strings.Contains(out, "30 clients") {
		t.Fatalf("seed: %d %q %q", code, out, stderr)
	}

	out, _, code = hearth(t, vars, "", "org", "list", "--site", "training")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) < 3 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("org list: %d %q", code, out)
	}
	orgID := strings.Fields(lines[1])[0]

	out, stderr, code = hearth(t, vars, "a long enough password\n", "user", "add", "--site", "training", "--username", "cm1", "--role", "case_manager", "--org", orgID)
	if code != 0 || !strings.Contains(out, "added user cm1") {
		t.Fatalf("user add: %d %q %q", code, out, stderr)
	}
	_, stderr, code = hearth(t, vars, "short\n", "user", "add", "--site", "training", "--username", "cm2", "--role", "case_manager", "--org", orgID)
	if code != 1 || !strings.Contains(stderr, "too short") {
		t.Fatalf("short password: %d %q", code, stderr)
	}
	// A case manager may not add users.
	_, stderr, code = hearth(t, vars, "a long enough password\n", "user", "add", "--site", "training", "--as", "cm1", "--username", "cm3", "--role", "admin", "--org", orgID)
	if code != 1 || !strings.Contains(stderr, "may not add") {
		t.Fatalf("--as case manager adding admin: %d %q", code, stderr)
	}
	_, stderr, code = hearth(t, vars, "", "org", "list", "--site", "training", "--as", "ghost")
	if code != 1 || !strings.Contains(stderr, `no user "ghost"`) {
		t.Fatalf("--as unknown: %d %q", code, stderr)
	}
	// The live site is untouched by training's seed.
	out, _, _ = hearth(t, vars, "", "org", "list", "--site", "live")
	if strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Fatalf("live site has organizations after seeding training: %q", out)
	}
}

func TestServeDemoCredentials(t *testing.T) {
	data := t.TempDir()
	vars := map[string]string{"HEARTH_DATA": data}
	cfg, err := loadConfig(env{getenv: func(k string) string { return vars[k] }}, commonFlags{})
	if err != nil {
		t.Fatal(err)
	}
	e := env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(k string) string { return vars[k] }}
	reg, err := openSitesFor(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	first, err := prepareDemo(t.Context(), cfg, reg, 20, e)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || len(first["live"].Password) < 16 || first["live"].Password == first["training"].Password {
		t.Fatalf("credentials %+v", first)
	}
	fi, err := os.Stat(filepath.Join(data, demoCredFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v %v", fi, err)
	}
	again, err := prepareDemo(t.Context(), cfg, reg, 20, e)
	if err != nil || again["live"] != first["live"] {
		t.Fatalf("second start: %+v %v", again, err)
	}
	counts, _ := reg.All()[0].Store.DashboardCounts(storeCtx(t))
	if counts.Clients != 20 {
		t.Fatalf("second --demo start changed a filled site: %d clients", counts.Clients)
	}
}
