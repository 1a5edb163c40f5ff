// Command hearth runs the Hearth HMIS: the web server, migrations,
// administration and the demo data generator. Run `hearth -h` for the list
// of subcommands and `hearth SUBCOMMAND -h` for each one's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// exitCode prints err as one line and returns the exit status: 0 for
// success and -h, 2 for usage errors, 1 for any other failure.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	// One line, whatever the error holds.
	fmt.Fprintf(stderr, "hearth: %s\n", strings.Join(strings.Fields(err.Error()), " "))
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// env is what a subcommand may use from the outside world. Tests pass
// their own.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server for every site", runServe},
		{"migrate", "bring every site's database to the current schema", runMigrate},
		{"site", "list the sites (site list)", runSite},
		{"org", "list a site's organizations (org list)", runOrg},
		{"user", "manage users: add, reset-password, revoke-sessions, require-2fa, reset-2fa, full-ssn, pii", runUser},
		{"seed", "add generated demo clients to a site", runSeed},
		{"import", "import an HMIS CSV export (zip or folder) into a site", runImport},
		{"export", "write a site's data as an HMIS CSV zip", runExport},
		{"search", "find clients by name, date of birth or SSN, as the Find Client box does", runSearch},
		{"release", "a client's information releases (release add|list|revoke)", runRelease},
		{"client", "set a client's sharing restriction (client restrict)", runClient},
		{"workflow", "print the workflow derived for a program and stage (workflow --project ID --stage intake --json)", runWorkflow},
		{"key", "seal every sealed value (SSNs, sensitive fields, two-factor secrets) again under a new site key (key rotate)", runKey},
		{"audit", "verify the audit chain, list entries, a client's access report (audit verify|list|client)", runAudit},
		{"bench", "benchmarks: bench search, bench import, bench export", runBench},
		{"report", "HUD reports: report apr|caper|dq|ce-apr (Sage zip), report verify-kit DIR", runReport},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return usagef("no subcommand given (see hearth -h)")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	return usagef("unknown subcommand %q (see hearth -h)", args[0])
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: hearth SUBCOMMAND [flags]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Every subcommand takes -h. Data: --data DIR or HEARTH_DATA (default ./hearth-data);")
	fmt.Fprintln(w, "PostgreSQL instead of SQLite: HEARTH_DATABASE_URL.")
}
