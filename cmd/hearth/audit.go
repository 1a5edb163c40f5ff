package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
)

const auditUsage = `Usage:
  hearth audit verify --site SITE
  hearth audit list   --site SITE [--user U] [--entity E [--id ID]] [--action A] [--since DATE] [--until DATE] [--limit N]
  hearth audit client --site SITE PERSONALID

verify walks the tamper-evident chain and reports the first broken link
(exit 1); list shows entries newest first; client is a client's access
report: who viewed or changed their record, and when. Dates are
YYYY-MM-DD, local time; --until includes the day. Administrators only.`

// hearth audit verify|list|client
func runAudit(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usagef("audit: want verify, list or client (see hearth audit -h)")
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprintln(e.stdout, auditUsage)
		return nil
	case "verify":
		return runAuditVerify(ctx, e, args[1:])
	case "list":
		return runAuditList(ctx, e, args[1:])
	case "client":
		return runAuditClient(ctx, e, args[1:])
	}
	return usagef("audit: unknown command %q (want verify, list or client)", args[0])
}

// openAuditSite opens the site for an audit command, which only the
// system and administrators may run.
func openAuditSite(ctx context.Context, e env, c commonFlags, name string) (context.Context, func(), *store.Store, error) {
	ctx, reg, site, err := openSite(ctx, e, c)
	if err != nil {
		return ctx, nil, nil, err
	}
	if a, _ := hmis.ActorFrom(ctx); !a.System && a.Role != hmis.RoleAdmin {
		reg.Close()
		return ctx, nil, nil, fmt.Errorf("audit %s: only HMIS administrators may read the audit log", name)
	}
	return ctx, reg.Close, site.Store, nil
}

func runAuditVerify(ctx context.Context, e env, args []string) error {
	var c commonFlags
	fs := newFlagSet("audit verify", "--site SITE")
	c.register(fs, true, true)
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("audit verify: unexpected argument %q", rest[0])
	}
	ctx, done, st, err := openAuditSite(ctx, e, c, "verify")
	if err != nil {
		return err
	}
	defer done()
	rep, err := st.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	switch {
	case rep.Unsealed:
		fmt.Fprintf(e.stdout, "%d entries written before the chain existed; the next write chains them\n", rep.Entries)
	case !rep.Intact():
		fmt.Fprintf(e.stdout, "%d entries checked; chain BROKEN at entry %d\n", rep.Entries, rep.BrokenAt)
		return fmt.Errorf("audit log tampered with: %s", rep.Problem)
	default:
		fmt.Fprintf(e.stdout, "%d entries, chain intact\nhead: entry %d, hash %s\n", rep.Entries, rep.HeadID, rep.HeadHash)
	}
	return nil
}

func runAuditList(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var f store.AuditFilter
	var since, until string
	fs := newFlagSet("audit list", "--site SITE [--user U] [--entity E [--id ID]] [--action A] [--since DATE] [--until DATE] [--limit N]")
	c.register(fs, true, true)
	fs.StringVar(&f.User, "user", "", "who acted: a username, or system(cli), system(seed), ...")
	fs.StringVar(&f.Entity, "entity", "", "what was acted on: client, enrollment, account, session, ...")
	fs.StringVar(&f.EntityID, "id", "", "the record's ID (with --entity)")
	fs.StringVar(&f.Action, "action", "", "read, search, create, update, delete, sign_in, sign_in_failed, export, import, ...")
	fs.StringVar(&since, "since", "", "from this day (YYYY-MM-DD)")
	fs.StringVar(&until, "until", "", "to this day, inclusive (YYYY-MM-DD)")
	fs.IntVar(&f.Limit, "limit", 100, "at most this many entries")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("audit list: unexpected argument %q", rest[0])
	}
	if f.EntityID != "" && f.Entity == "" {
		return usagef("audit list: --id needs --entity")
	}
	if f.Since, err = parseDay(since, false); err != nil {
		return usagef("audit list: --since: %v", err)
	}
	if f.Until, err = parseDay(until, true); err != nil {
		return usagef("audit list: --until: %v", err)
	}
	ctx, done, st, err := openAuditSite(ctx, e, c, "list")
	if err != nil {
		return err
	}
	defer done()
	list, err := st.FindAudit(ctx, f)
	if err != nil {
		return err
	}
	if err := st.Audit(ctx, "read", "audit_log", "", fmt.Sprintf("%d entries listed", len(list))); err != nil {
		return err
	}
	return printAudit(e.stdout, list)
}

func runAuditClient(ctx context.Context, e env, args []string) error {
	var c commonFlags
	fs := newFlagSet("audit client", "--site SITE PERSONALID")
	c.register(fs, true, true)
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("audit client: give one PersonalID")
	}
	ctx, done, st, err := openAuditSite(ctx, e, c, "client")
	if err != nil {
		return err
	}
	defer done()
	list, err := st.ClientAccessReport(ctx, rest[0])
	if err != nil {
		return fmt.Errorf("audit client: %v", hmis.ErrorMessage(err))
	}
	// Running the report is itself an access to the client's record.
	if err := st.Audit(ctx, "read", "client", rest[0], "access report"); err != nil {
		return err
	}
	return printAudit(e.stdout, list)
}

// printAudit writes entries as an aligned table.
func printAudit(w io.Writer, list []store.AuditEntry) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHEN\tWHO\tACTION\tENTITY\tRECORD\tDETAIL")
	for _, a := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.At.Local().Format("2006-01-02 15:04:05"),
			a.Actor, a.Action, a.Entity, a.EntityID, oneLine(a.Detail))
	}
	if len(list) == 0 {
		fmt.Fprintln(tw, "(no entries)")
	}
	return tw.Flush()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// parseDay reads YYYY-MM-DD as the start of that day in local time, or
// with end, the start of the next day (an inclusive --until).
func parseDay(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.ParseInLocation("2006-01-02", s, time.Local)
	if err != nil {
		return time.Time{}, errors.New("want a date like 2026-03-01")
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}
