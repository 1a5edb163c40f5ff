package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
)

// This file is the store side of sharing (issue 6): information releases,
// MOU agreements, client restrictions, and the access decision for one
// client. The rule itself is in internal/access.

// Release is an information release as stored.
type Release struct {
	ID             string
	Number         string
	PersonalID     string
	OrganizationID string   // the organization that recorded it
	Organizations  []string // the organizations it names
	MOUs           []string // the MOU agreements it names
	Coverage       access.Coverage
	Begin, End     hmis.Date
	Witness        string // verbal consent, witnessed by; "" when signed
	HasSignature   bool   // the signature image: ReleaseSignature
	CreatedAt      time.Time
	CreatedBy      string
	RevokedAt      time.Time // zero while not revoked
	RevokedBy      string
	RevokeReason   string
}

// Status is the release's status on today (access.Status*).
func (r Release) Status(today hmis.Date) string {
	return access.Status(r.Begin, r.End, !r.RevokedAt.IsZero(), today)
}

// Consent describes how the client consented, without the image.
func (r Release) Consent() string {
	if r.HasSignature {
		return "signed"
	}
	return "verbal consent, witnessed by " + r.Witness
}

// NewRelease is what AddRelease records.
type NewRelease struct {
	PersonalID    string
	Number        string   // "" numbers it R-<n>, n counting the client's releases
	Organizations []string // organizations it names
	MOUs          []string // MOU agreements it names
	Coverage      access.Coverage
	Begin, End    hmis.Date
	Witness       string // verbal consent, witnessed by (exactly one of Witness and Signature)
	Signature     []byte // the client's signature, a PNG image
}

// MaxSignatureBytes is the largest signature image a release accepts.
const MaxSignatureBytes = 512 << 10

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

func invalid(format string, args ...any) error { return hmis.Errorf(hmis.EINVALID, format, args...) }

// sharingClient loads a live client the actor may see and checks that the
// actor may change its sharing: "client not found" when it is hidden,
// EFORBIDDEN when it is visible but owned by another organization.
func sharingClient(tx *Tx, personalID string) (owner string, restriction access.Restriction, err error) {
	q := `SELECT c.organization_id, c.restriction FROM clients c WHERE c.personal_id = ? AND c.date_deleted IS NULL`
	args := []any{personalID}
	if vis, vargs := clientVisibility(tx.actor, "c", txToday(tx)); vis != "" {
		q += " AND " + vis
		args = append(args, vargs...)
	}
	var org sql.NullString
	var r string
	if err := one(tx.queryRow(q, args...).Scan(&org, &r), "Client"); err != nil {
		return "", "", err
	}
	if !access.MayManageSharing(tx.actor, org.String) {
		return "", "", &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only the client's own organization, or an administrator, may change who the record is shared with."}
	}
	return org.String, access.Restriction(r), nil
}

// AddRelease records an information release for a client the actor's
// organization owns (or any client, for administrators). The release
// shares only while the client's restriction is "release": Restrict to
// Organization overrides it. Audited ("release.add" on the client).
func (s *Store) AddRelease(ctx context.Context, nr NewRelease) (Release, error) {
	var rel Release
	cov, err := access.ParseCoverage(string(nr.Coverage))
	if err != nil {
		return rel, err
	}
	nr.Number = strings.TrimSpace(nr.Number)
	nr.Witness = strings.TrimSpace(nr.Witness)
	switch {
	case nr.Begin.IsZero() || nr.End.IsZero():
		return rel, invalid("A release needs a begin date and an end date.")
	case nr.End.Before(nr.Begin):
		return rel, invalid("The release ends (%s) before it begins (%s): the end date must be on or after the begin date.", nr.End, nr.Begin)
	case len(nr.Organizations) == 0 && len(nr.MOUs) == 0:
		return rel, invalid("A release must name at least one organization or MOU agreement to share with.")
	case nr.Witness == "" && len(nr.Signature) == 0:
		return rel, invalid("A release needs the client's consent: a signature, or a verbal consent with the witness's name.")
	case nr.Witness != "" && len(nr.Signature) > 0:
		return rel, invalid("Record either a signature or a witnessed verbal consent, not both.")
	case len(nr.Signature) > MaxSignatureBytes:
		return rel, invalid("The signature image is too large (%d bytes; at most %d).", len(nr.Signature), MaxSignatureBytes)
	case len(nr.Signature) > 0 && !bytes.HasPrefix(nr.Signature, pngMagic):
		return rel, invalid("The signature must be a PNG image.")
	case len(nr.Witness) > 200 || len(nr.Number) > 50:
		return rel, invalid("The witness's name (200 characters) or the release number (50) is too long.")
	}
	err = s.write(ctx, func(tx *Tx) error {
		owner, _, err := sharingClient(tx, nr.PersonalID)
		if err != nil {
			return err
		}
		orgs := dedupe(nr.Organizations)
		for _, o := range orgs {
			var n int
			if err := tx.queryRow(`SELECT COUNT(*) FROM organizations WHERE organization_id = ? AND date_deleted IS NULL`, o).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return invalid("No organization %q.", o)
			}
			if o == owner {
				return invalid("The release names the client's own organization, which sees the record anyway.")
			}
		}
		mous := dedupe(nr.MOUs)
		for _, m := range mous {
			var n int
			if err := tx.queryRow(`SELECT COUNT(*) FROM mous WHERE id = ?`, m).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return invalid("No MOU agreement %q.", m)
			}
		}
		if nr.Number == "" {
			var n int
			if err := tx.queryRow(`SELECT COUNT(*) FROM releases WHERE personal_id = ?`, nr.PersonalID).Scan(&n); err != nil {
				return err
			}
			nr.Number = "R-" + strconv.Itoa(n+1)
		}
		rel = Release{ID: NewID(), Number: nr.Number, PersonalID: nr.PersonalID, OrganizationID: owner,
			Organizations: orgs, MOUs: mous, Coverage: cov, Begin: nr.Begin, End: nr.End,
			Witness: nr.Witness, HasSignature: len(nr.Signature) > 0, CreatedAt: tx.now, CreatedBy: tx.actor.String()}
		var sig any
		if rel.HasSignature {
			sig = nr.Signature
		}
		if _, err := tx.exec(`INSERT INTO releases (id, number, personal_id, organization_id, coverage, begin_date, end_date, witness, signature, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			rel.ID, rel.Number, rel.PersonalID, owner, string(cov), nr.Begin.String(), nr.End.String(), rel.Witness, sig, tx.ts(tx.now), rel.CreatedBy); err != nil {
			return err
		}
		for _, o := range orgs {
			if _, err := tx.exec(`INSERT INTO release_organizations (release_id, organization_id) VALUES (?, ?)`, rel.ID, o); err != nil {
				return err
			}
		}
		for _, m := range mous {
			if _, err := tx.exec(`INSERT INTO release_mous (release_id, mou_id) VALUES (?, ?)`, rel.ID, m); err != nil {
				return err
			}
		}
		consent := "signed"
		if !rel.HasSignature {
			consent = "verbal, witnessed"
		}
		return tx.audit("release.add", "client", rel.PersonalID, fmt.Sprintf("release %s (%s): %d organizations, %d MOUs, %s, %s to %s, %s",
			rel.ID, rel.Number, len(orgs), len(mous), cov, rel.Begin, rel.End, consent))
	})
	return rel, err
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

const releaseColumns = `id, number, personal_id, organization_id, coverage, begin_date, end_date, witness,
	signature IS NOT NULL, created_at, created_by, revoked_at, revoked_by, revoke_reason`

// loadReleases reads the releases that where selects (on releases, no
// alias), with their organizations and MOUs, oldest first.
func loadReleases(tx *Tx, where string, args ...any) ([]Release, error) {
	rows, err := tx.query(`SELECT `+releaseColumns+` FROM releases WHERE `+where+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, err
	}
	var out []Release
	for rows.Next() {
		var r Release
		var cov string
		var created, revoked sql.NullTime
		var createdS, revokedS sql.NullString
		dest := []any{&r.ID, &r.Number, &r.PersonalID, &r.OrganizationID, &cov, &r.Begin, &r.End, &r.Witness, &r.HasSignature}
		if tx.d.name == dialectSQLite {
			dest = append(dest, &createdS, &r.CreatedBy, &revokedS, &r.RevokedBy, &r.RevokeReason)
		} else {
			dest = append(dest, &created, &r.CreatedBy, &revoked, &r.RevokedBy, &r.RevokeReason)
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return nil, err
		}
		r.Coverage = access.Coverage(cov)
		if tx.d.name == dialectSQLite {
			r.CreatedAt = parseTS(createdS)
			r.RevokedAt = parseTS(revokedS)
		} else {
			r.CreatedAt, r.RevokedAt = created.Time, revoked.Time
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		r := &out[i]
		if r.Organizations, err = strings1(tx, `SELECT organization_id FROM release_organizations WHERE release_id = ? ORDER BY organization_id`, r.ID); err != nil {
			return nil, err
		}
		if r.MOUs, err = strings1(tx, `SELECT mou_id FROM release_mous WHERE release_id = ? ORDER BY mou_id`, r.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func parseTS(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(timestampLayout, s.String)
	return t
}

// strings1 returns the one string column a query selects.
func strings1(tx *Tx, q string, args ...any) ([]string, error) {
	rows, err := tx.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ClientReleases lists a client's releases, oldest first, when the actor
// may see the client ("client not found" otherwise).
func (s *Store) ClientReleases(ctx context.Context, personalID string) ([]Release, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var out []Release
	err := s.read(ctx, func(tx *Tx) error {
		if _, err := tx.visibleClient(personalID); err != nil {
			return err
		}
		var err error
		out, err = loadReleases(tx, `personal_id = ?`, personalID)
		return err
	})
	return out, err
}

// ReleaseSignature returns a release's signature image (nil for a verbal
// consent), when the actor may see its client.
func (s *Store) ReleaseSignature(ctx context.Context, id string) ([]byte, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return nil, errNoActor
	}
	var sig []byte
	err := s.read(ctx, func(tx *Tx) error {
		var pid string
		if err := one(tx.queryRow(`SELECT personal_id, signature FROM releases WHERE id = ?`, id).Scan(&pid, &sig), "Release"); err != nil {
			return err
		}
		if _, err := tx.visibleClient(pid); err != nil {
			return notFound("Release")
		}
		return nil
	})
	return sig, err
}

// RevokeRelease revokes a release with a reason: it stops sharing at
// once. Audited ("release.revoke" on the client).
func (s *Store) RevokeRelease(ctx context.Context, id, reason string) (Release, error) {
	var rel Release
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return rel, invalid("Give a reason for revoking the release.")
	}
	if len(reason) > 500 {
		return rel, invalid("The reason is too long (at most 500 characters).")
	}
	err := s.write(ctx, func(tx *Tx) error {
		rs, err := loadReleases(tx, `id = ?`, id)
		if err != nil {
			return err
		}
		if len(rs) == 0 {
			return notFound("Release")
		}
		if _, _, err := sharingClient(tx, rs[0].PersonalID); err != nil {
			if hmis.ErrorCode(err) == hmis.ENOTFOUND {
				return notFound("Release")
			}
			return err
		}
		rel = rs[0]
		if !rel.RevokedAt.IsZero() {
			return invalid("Release %s was already revoked on %s.", rel.Number, rel.RevokedAt.Local().Format("2006-01-02"))
		}
		rel.RevokedAt, rel.RevokedBy, rel.RevokeReason = tx.now, tx.actor.String(), reason
		if _, err := tx.exec(`UPDATE releases SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ?`,
			tx.ts(tx.now), rel.RevokedBy, reason, id); err != nil {
			return err
		}
		return tx.audit("release.revoke", "client", rel.PersonalID, fmt.Sprintf("release %s (%s) revoked", rel.ID, rel.Number))
	})
	return rel, err
}

// SetClientRestriction sets a client's restriction (organization,
// release, global). Audited ("client.restrict", old -> new).
func (s *Store) SetClientRestriction(ctx context.Context, personalID string, r access.Restriction) error {
	if _, err := access.ParseRestriction(string(r)); err != nil {
		return err
	}
	return s.write(ctx, func(tx *Tx) error {
		_, old, err := sharingClient(tx, personalID)
		if err != nil {
			return err
		}
		if old == r {
			return nil
		}
		if _, err := tx.exec(`UPDATE clients SET restriction = ? WHERE personal_id = ?`, string(r), personalID); err != nil {
			return err
		}
		return tx.audit("client.restrict", "client", personalID, fmt.Sprintf("restriction: %s -> %s", old, r))
	})
}

// MOUGrant is one direction of an MOU agreement: releases of From's
// clients that name the agreement share with To.
type MOUGrant struct{ From, To string }

// AddMOU records an MOU agreement between organizations (administrators
// only); a two-way agreement lists both directions. Audited.
func (s *Store) AddMOU(ctx context.Context, name string, grants []MOUGrant) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(grants) == 0 {
		return "", invalid("An MOU agreement needs a name and at least one organization it shares with.")
	}
	if len(name) > 200 {
		return "", invalid("The agreement's name is too long (at most 200 characters).")
	}
	id := NewID()
	err := s.write(ctx, func(tx *Tx) error {
		if !access.SeesAll(tx.actor) {
			return &hmis.Error{Code: hmis.EFORBIDDEN, Message: "Only administrators define MOU agreements."}
		}
		if _, err := tx.exec(`INSERT INTO mous (id, name, created_at, created_by) VALUES (?, ?, ?, ?)`, id, name, tx.ts(tx.now), tx.actor.String()); err != nil {
			return err
		}
		for _, g := range grants {
			if g.From == "" || g.To == "" || g.From == g.To {
				return invalid("An MOU grant needs two different organizations.")
			}
			for _, o := range []string{g.From, g.To} {
				var n int
				if err := tx.queryRow(`SELECT COUNT(*) FROM organizations WHERE organization_id = ? AND date_deleted IS NULL`, o).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return invalid("No organization %q.", o)
				}
			}
			if _, err := tx.exec(`INSERT INTO mou_grants (mou_id, from_org, to_org) VALUES (?, ?, ?)`, id, g.From, g.To); err != nil {
				return err
			}
		}
		return tx.audit("mou.add", "mou", id, fmt.Sprintf("%d grants", len(grants)))
	})
	return id, err
}

// ClientAccess is the access decision (access.Decide) for one client, on
// the transaction's date: what the actor in ctx may do with it. A client
// that does not exist is access.NotFound, like one the actor may not see.
func (s *Store) ClientAccess(ctx context.Context, personalID string) (access.Level, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return access.NotFound, errNoActor
	}
	level := access.NotFound
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		level, err = tx.clientAccess(personalID)
		return err
	})
	return level, err
}

// EnrollmentAccess is the access decision (access.DecideTransaction) for
// one of a client's enrollments, and so for what is recorded under it
// (services, notes, assessments, an exit): the client's decision, the
// enrollment's restriction, and its program's organization (an
// organization may change its own programs' transactions of the clients
// it serves). An enrollment that does not exist, is deleted or is not the
// client's is access.NotFound.
func (s *Store) EnrollmentAccess(ctx context.Context, personalID, enrollmentID string) (access.Level, error) {
	if _, ok := hmis.ActorFrom(ctx); !ok {
		return access.NotFound, errNoActor
	}
	level := access.NotFound
	err := s.read(ctx, func(tx *Tx) error {
		var err error
		level, err = tx.enrollmentAccess(personalID, enrollmentID)
		return err
	})
	return level, err
}

// MayRecordServed reports whether the actor may record, for a client
// whose record it may not change, what goes under its own organization's
// programs' enrollments (services, notes, the organization's assessments):
// the role writes and the client has such an enrollment the actor sees.
// Pages use it to offer the form; each write still decides by
// EnrollmentAccess.
func (s *Store) MayRecordServed(ctx context.Context, personalID string) (bool, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return false, errNoActor
	}
	if !actor.Role.CanWrite() {
		return false, nil
	}
	return s.servesClient(ctx, personalID)
}

func (tx *Tx) enrollmentAccess(personalID, enrollmentID string) (access.Level, error) {
	client, err := tx.clientAccess(personalID)
	if err != nil || client == access.NotFound {
		return access.NotFound, err
	}
	var restricted, org sql.NullString
	err = tx.queryRow(`SELECT e.restricted_to_org, p.organization_id FROM enrollments e
		LEFT JOIN projects p ON p.project_id = e.project_id AND p.date_deleted IS NULL
		WHERE e.enrollment_id = ? AND e.personal_id = ? AND e.date_deleted IS NULL`, enrollmentID, personalID).Scan(&restricted, &org)
	if err == sql.ErrNoRows {
		return access.NotFound, nil
	}
	if err != nil {
		return access.NotFound, err
	}
	return access.DecideTransaction(tx.actor, client, access.Transaction{RestrictedToOrg: restricted.String, ProgramOrganizationID: org.String}), nil
}

// clientAccess is ClientAccess inside a transaction (a write that must
// decide and change in one transaction).
func (tx *Tx) clientAccess(personalID string) (access.Level, error) {
	c, ok, err := tx.accessClient(personalID)
	if err != nil || !ok {
		return access.NotFound, err
	}
	return access.Decide(tx.actor, c, txToday(tx)), nil
}

// mayServe is access.MayServe for one client: the actor's organization
// serves it and the actor's role writes (false when there is no such
// client).
func (tx *Tx) mayServe(personalID string) (bool, error) {
	c, ok, err := tx.accessClient(personalID)
	return ok && access.MayServe(tx.actor, c), err
}

// accessClient reads what the access decision needs of a client; ok is
// false when there is no such client.
func (tx *Tx) accessClient(personalID string) (c access.Client, ok bool, err error) {
	var org sql.NullString
	var r string
	err = tx.queryRow(`SELECT organization_id, restriction FROM clients WHERE personal_id = ? AND date_deleted IS NULL`, personalID).Scan(&org, &r)
	if err == sql.ErrNoRows {
		return c, false, nil
	}
	if err != nil {
		return c, false, err
	}
	c = access.Client{OrganizationID: org.String, Restriction: access.Restriction(r)}
	// The organizations serving the client: a live enrollment in one of
	// their live programs (access.ClientCondition's EXISTS, in Go).
	c.ServedBy, err = strings1(tx, `SELECT DISTINCT p.organization_id FROM enrollments e JOIN projects p ON p.project_id = e.project_id
		WHERE e.personal_id = ? AND e.date_deleted IS NULL AND p.date_deleted IS NULL AND p.organization_id IS NOT NULL`, personalID)
	if err != nil {
		return c, false, err
	}
	rs, err := loadReleases(tx, `personal_id = ?`, personalID)
	if err != nil {
		return c, false, err
	}
	for _, rel := range rs {
		orgs := slices.Clone(rel.Organizations)
		for _, m := range rel.MOUs {
			to, err := strings1(tx, `SELECT to_org FROM mou_grants WHERE mou_id = ? AND from_org = ?`, m, c.OrganizationID)
			if err != nil {
				return c, false, err
			}
			orgs = append(orgs, to...)
		}
		c.Releases = append(c.Releases, access.Release{Organizations: orgs, Coverage: rel.Coverage,
			Begin: rel.Begin, End: rel.End, Revoked: !rel.RevokedAt.IsZero()})
	}
	return c, true, nil
}
