package access

import (
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// The SQL form of Decide. Each function returns a condition on the row
// alias it is given and its arguments ("?" placeholders, in order), or ""
// when the actor sees every row. today is passed as an argument (the
// transaction's date), never the database's CURRENT_DATE, so that the
// rule is the same in both dialects and under a test clock: an expired
// release stops sharing on its own, with no job to run.
//
// Tables it reads (migration 0007_sharing): clients.organization_id and
// clients.restriction; releases (personal_id, coverage, begin_date,
// end_date, revoked_at); release_organizations (release_id,
// organization_id); release_mous (release_id, mou_id) and mou_grants
// (mou_id, from_org, to_org).

// releaseInForce is the condition that a release in force on today names
// the actor's organization, for the client aliased c; coverage, when not
// empty, is the coverage the release must have.
func releaseInForce(c string, coverage Coverage) string {
	q := `EXISTS (SELECT 1 FROM releases r WHERE r.personal_id = ` + c + `.personal_id
		AND r.revoked_at IS NULL AND r.begin_date <= ? AND r.end_date >= ?`
	if coverage != "" {
		q += ` AND r.coverage = '` + string(coverage) + `'`
	}
	q += ` AND (EXISTS (SELECT 1 FROM release_organizations ro WHERE ro.release_id = r.id AND ro.organization_id = ?)
		OR EXISTS (SELECT 1 FROM release_mous rm, mou_grants g WHERE rm.release_id = r.id AND g.mou_id = rm.mou_id
			AND g.from_org = ` + c + `.organization_id AND g.to_org = ?)))`
	return q
}

func clientCondition(a hmis.Actor, c string, today hmis.Date, coverage Coverage) (string, []any) {
	if SeesAll(a) {
		return "", nil
	}
	if seesNoClient(a) {
		return "1 = 0", nil
	}
	day := today.String()
	org := a.OrganizationID
	q := "(" + c + ".organization_id = ? OR " + c + ".restriction = '" + string(ShareGlobally) + "' OR (" +
		c + ".restriction = '" + string(ShareByRelease) + "' AND " + releaseInForce(c, coverage) + ")"
	args := []any{org, day, day, org, org}
	if coverage == "" {
		// An organization sees the clients it serves (Decide).
		sq, sargs := servesCondition(a, c)
		q += ` OR ` + sq
		args = append(args, sargs...)
	}
	return q + ")", args
}

func servesCondition(a hmis.Actor, c string) (string, []any) {
	return `EXISTS (SELECT 1 FROM enrollments se JOIN projects sp ON sp.project_id = se.project_id
			WHERE se.personal_id = ` + c + `.personal_id AND se.date_deleted IS NULL AND sp.date_deleted IS NULL AND sp.organization_id = ?)`,
		[]any{a.OrganizationID}
}

// ServesCondition limits clients (alias c) to those the actor's
// organization serves: a live enrollment in a live program of it (Serves
// in SQL). "" when the actor sees every client; never true for a role
// that sees no client.
func ServesCondition(a hmis.Actor, c string) (string, []any) {
	if SeesAll(a) {
		return "", nil
	}
	if seesNoClient(a) {
		return "1 = 0", nil
	}
	return servesCondition(a, c)
}

// ClientCondition limits clients (alias c, a row of clients) to those the
// actor may see at least the intake of on today: Decide(...) >= Intake,
// including the clients the actor's organization serves (a live
// enrollment in a live program of it: Client.ServedBy).
func ClientCondition(a hmis.Actor, c string, today hmis.Date) (string, []any) {
	return clientCondition(a, c, today, "")
}

// RecordCondition limits clients (alias c) to those whose whole record
// (enrollments and everything under them) the actor may see on today:
// Decide(...) >= Visible. Intake-only releases do not count.
func RecordCondition(a hmis.Actor, c string, today hmis.Date) (string, []any) {
	return clientCondition(a, c, today, CoverRecord)
}

// ServedCondition limits enrollments (alias e) to those of a live
// program of the actor's organization: the transactions an organization
// sees of the clients it serves (DecideTransaction). "" when the actor
// sees every row; never true for a role that sees no client.
func ServedCondition(a hmis.Actor, e string) (string, []any) {
	if SeesAll(a) {
		return "", nil
	}
	if seesNoClient(a) {
		return "1 = 0", nil
	}
	return `EXISTS (SELECT 1 FROM projects sp WHERE sp.project_id = ` + e + `.project_id AND sp.date_deleted IS NULL AND sp.organization_id = ?)`,
		[]any{a.OrganizationID}
}

// EnrollmentCondition limits enrollments (alias e) of clients (alias c)
// to those the actor may see on today: not restricted to another
// organization, and either the client's whole record is visible
// (RecordCondition) or the enrollment is of the actor's organization's
// program (ServedCondition). DecideTransaction in SQL; records under an
// enrollment add their own TransactionCondition. "" when the actor sees
// every row.
func EnrollmentCondition(a hmis.Actor, c, e string, today hmis.Date) (string, []any) {
	if SeesAll(a) {
		return "", nil
	}
	rec, rargs := RecordCondition(a, c, today)
	served, sargs := ServedCondition(a, e)
	tc, targs := TransactionCondition(a, e)
	return tc + " AND (" + rec + " OR " + served + ")", append(append(targs, rargs...), sargs...)
}

// TransactionCondition limits transactions (alias t: a row of enrollments
// or services, with restricted_to_org) to those not restricted to another
// organization than the actor's. It is added to RecordCondition on the
// transaction's client, never used alone.
func TransactionCondition(a hmis.Actor, t string) (string, []any) {
	if SeesAll(a) {
		return "", nil
	}
	return "(" + t + ".restricted_to_org IS NULL OR " + t + ".restricted_to_org = ?)", []any{a.OrganizationID}
}
