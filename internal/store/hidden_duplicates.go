package store

import (
	"context"
	"fmt"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/search"
)

// The hidden-duplicate notice (issue 4 item 2; issue 6 item 1's one
// deliberate exception to "a record the user may not see is not found").
//
// When what was typed on Add New Client matches strongly a client of
// another organization that the user may not see, the page says only "A
// possible match exists in another organization — ask your HMIS
// administrator". Nothing about that client (name, ID, organization,
// score, how many) leaves the store: HiddenDuplicateExists answers one
// boolean. To answer it, it reads the search index of ALL live clients,
// bypassing clientVisibility ON PURPOSE: this is the only store read that
// does (docs/security.md, "Sharing"). Strong means the duplicate
// check's score (search.DuplicateThreshold) AND either the full SSN
// digest equal, or a name with a date of birth that matches (exact,
// day/month swapped, one digit or the year off). A last four, a name
// alone or a DOB alone never tells.
//
// DuplicateHint is what the page calls: HiddenDuplicateExists behind a
// per-account rate limit, audited.

// Hidden-duplicate notice limits: at most DuplicateHintLimit notices per
// account in DuplicateHintWindow; then the notice stops (the page shows
// nothing, as if there were no match) and one audit row says so.
const (
	DuplicateHintLimit  = 10
	DuplicateHintWindow = time.Hour
)

// strongQuery reports whether q carries the evidence a hidden match needs
// at all: a full SSN, or a name with a date of birth.
func strongQuery(q search.Query) bool {
	name := q.First != "" || q.Last != "" || len(q.Names) > 0
	return q.SSN != "" || (name && !q.DOB.IsZero())
}

// strongMatch reports whether record r (scored score against q) is strong
// evidence of the same person: name with DOB, or the full SSN.
func strongMatch(q search.Query, dig search.Digester, r search.Record, score float64) bool {
	if score < search.DuplicateThreshold {
		return false
	}
	if q.SSN != "" && r.SSNDigest != "" {
		if full, _ := dig.Digests(q.SSN); full != "" && full == r.SSNDigest {
			return true
		}
	}
	if q.DOB.IsZero() || (r.First == "" && r.Last == "") {
		return false
	}
	switch search.CompareDOB(q.DOB, r.DOB) {
	case search.DOBExact, search.DOBSwapped, search.DOBDigit, search.DOBYearOff:
		return true
	}
	return false
}

// HiddenDuplicateExists reports whether a live client that the actor in
// ctx may NOT see matches q strongly (see above). It needs an actor; an
// administrator (who sees every client) always gets false. It returns
// nothing else about the client, and writes no audit row (DuplicateHint
// does).
func (s *Store) HiddenDuplicateExists(ctx context.Context, q search.Query) (bool, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return false, errNoActor
	}
	if access.SeesAll(actor) || !strongQuery(q) {
		return false, nil
	}
	if _, err := s.RefreshClientSearch(ctx); err != nil {
		return false, fmt.Errorf("client search index: %w", err)
	}
	key, err := s.clientSearchKey(ctx)
	if err != nil {
		return false, err
	}
	dig := search.NewDigester(key)
	m := search.NewMatcher(q, key)
	selective, names := m.Keys()
	found := false
	err = s.read(ctx, func(tx *Tx) error {
		// Deliberately not clientVisibility on the candidates: the
		// opposite. Only clients the actor may not see count; the
		// condition is on the client h, the visibility rule on its own
		// copy c, so that a NULL organization counts as hidden.
		vis, vargs := clientVisibility(tx.actor, "c", txToday(tx))
		seen := map[int64]bool{}
		lookup := func(keys []int64) error {
			ids, err := tx.lookupKeys(keys, candidatesCap*3)
			if err != nil {
				return err
			}
			var todo []any
			for _, id := range ids {
				if !seen[id] {
					seen[id] = true
					todo = append(todo, id)
				}
			}
			if len(todo) == 0 {
				return nil
			}
			args := append(todo, vargs...)
			rows, err := tx.query(`SELECT h.personal_id, h.first_name, h.middle_name, h.last_name, h.dob, cs.ssn_digest, cs.ssn4_digest
				FROM client_search cs CROSS JOIN clients h
				WHERE h.personal_id = cs.personal_id AND cs.id IN (`+placeholders(len(todo))+`) AND h.date_deleted IS NULL
				AND NOT EXISTS (SELECT 1 FROM clients c WHERE c.personal_id = h.personal_id AND `+vis+`)`, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var pid string
				var r search.Record
				if err := rows.Scan(&pid, scanString(&r.First), scanString(&r.Middle), scanString(&r.Last),
					&r.DOB, scanString(&r.SSNDigest), scanString(&r.SSN4Digest)); err != nil {
					return err
				}
				score, _ := m.Score(r, pid)
				if strongMatch(q, dig, r, score) {
					found = true
				}
			}
			return rows.Err()
		}
		if len(selective) > 0 {
			if err := lookup(selective); err != nil || found {
				return err
			}
		}
		if len(names) > 0 {
			return lookup(names)
		}
		return nil
	})
	return found, err
}

// DuplicateHint is the Add New Client notice: it reports whether to say
// "a possible match exists in another organization". It is
// HiddenDuplicateExists, rate-limited per account (DuplicateHintLimit per
// DuplicateHintWindow) and audited: each notice is one row (action
// "duplicate_hint", entity "client", EMPTY entity id, no PII: the hidden
// client's ID is not stored, so that no audit view, access report or
// recent-clients list can ever lead back to it); the first refusal over
// the limit is one row "duplicate_hint.limited", after which the notice
// stays silent until the window has passed.
func (s *Store) DuplicateHint(ctx context.Context, q search.Query) (bool, error) {
	actor, ok := hmis.ActorFrom(ctx)
	if !ok {
		return false, errNoActor
	}
	if access.SeesAll(actor) || !strongQuery(q) {
		return false, nil
	}
	who, whoArg := "actor = ?", any(actor.String())
	if actor.AccountID != "" {
		who, whoArg = "account_id = ?", actor.AccountID
	}
	var hints, limited int
	if err := s.read(ctx, func(tx *Tx) error {
		since := tx.ts(tx.now.Add(-DuplicateHintWindow))
		return tx.queryRow(`SELECT
				(SELECT COUNT(*) FROM audit_log WHERE `+who+` AND action = 'duplicate_hint' AND at >= ?),
				(SELECT COUNT(*) FROM audit_log WHERE `+who+` AND action = 'duplicate_hint.limited' AND at >= ?)`,
			whoArg, since, whoArg, since).Scan(&hints, &limited)
	}); err != nil {
		return false, err
	}
	if hints >= DuplicateHintLimit {
		if limited == 0 {
			detail := fmt.Sprintf("hidden-duplicate notice stopped: %d notices in %s", hints, DuplicateHintWindow)
			if err := s.Audit(ctx, "duplicate_hint.limited", "client", "", detail); err != nil {
				return false, err
			}
		}
		return false, nil
	}
	exists, err := s.HiddenDuplicateExists(ctx, q)
	if err != nil || !exists {
		return false, err
	}
	if err := s.Audit(ctx, "duplicate_hint", "client", "", "possible match in another organization shown (existence only)"); err != nil {
		return false, err
	}
	return true, nil
}
