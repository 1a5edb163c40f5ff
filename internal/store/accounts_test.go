package store_test

import (
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_CreateAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		org := storetest.MustOrganization(t, s, "Harbor House")
		a, err := s.CreateAccount(ctx, hmis.Account{Username: " JSmith ", Role: hmis.RoleCaseManager, OrganizationID: org, FirstName: "Jo"}, "hash")
		if err != nil {
			t.Fatal(err)
		}
		if a.Username != "jsmith" || a.ID == "" || a.UserID == "" {
			t.Fatalf("account = %+v", a)
		}
		got, hash, err := s.FindAccountByUsername(ctx, "JSMITH")
		if err != nil || got.ID != a.ID || hash != "hash" || got.Role != hmis.RoleCaseManager || got.DateCreated.IsZero() {
			t.Fatalf("FindAccountByUsername = %+v %q %v", got, hash, err)
		}

		t.Run("ErrDuplicateUsername", func(t *testing.T) {
			_, err := s.CreateAccount(ctx, hmis.Account{Username: "jsmith", Role: hmis.RoleReadOnly, OrganizationID: org}, "h")
			if hmis.ErrorCode(err) != hmis.ECONFLICT {
				t.Fatalf("duplicate: %v", err)
			}
		})
		t.Run("ErrInvalid", func(t *testing.T) {
			_, err := s.CreateAccount(ctx, hmis.Account{Username: "a b", Role: "boss", OrganizationID: ""}, "")
			var e *hmis.Error
			if hmis.ErrorCode(err) != hmis.EINVALID || !asError(err, &e) || len(e.Fields) != 4 {
				t.Fatalf("invalid account: %v", err)
			}
		})
		t.Run("ErrUnknownOrganization", func(t *testing.T) {
			_, err := s.CreateAccount(ctx, hmis.Account{Username: "x", Role: hmis.RoleReadOnly, OrganizationID: "nope"}, "h")
			if hmis.ErrorCode(err) != hmis.EINVALID {
				t.Fatalf("unknown org: %v", err)
			}
		})
		t.Run("NotFound", func(t *testing.T) {
			if _, err := s.FindAccountByID(ctx, "nope"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
				t.Fatalf("FindAccountByID: %v", err)
			}
		})
	})
}

func asError(err error, target **hmis.Error) bool {
	e, ok := err.(*hmis.Error)
	*target = e
	return ok
}

func TestStore_Sessions(t *testing.T) {
	var now time.Time
	clock := func() time.Time { return now }
	storetest.EachAt(t, clock, func(t *testing.T, s *store.Store) {
		now = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		ctx := storetest.Context(t)
		org := storetest.MustOrganization(t, s, "Harbor House")
		a, err := s.CreateAccount(ctx, hmis.Account{Username: "cm", Role: hmis.RoleCaseManager, OrganizationID: org}, "h")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateSession(ctx, "tok1", a.ID, "127.0.0.1", "test", 12*time.Hour); err != nil {
			t.Fatal(err)
		}
		sess, acct, err := s.TouchSession(ctx, "tok1", 30*time.Minute)
		if err != nil || acct.ID != a.ID || sess.ID == "tok1" {
			t.Fatalf("TouchSession = %+v %+v %v (the token itself must not be the stored ID)", sess, acct, err)
		}
		// 20 minutes later: still in; it moves last-seen.
		now = now.Add(20 * time.Minute)
		if _, _, err := s.TouchSession(ctx, "tok1", 30*time.Minute); err != nil {
			t.Fatalf("after 20m: %v", err)
		}
		// 31 minutes idle: out.
		now = now.Add(31 * time.Minute)
		if _, _, err := s.TouchSession(ctx, "tok1", 30*time.Minute); hmis.ErrorCode(err) != hmis.EUNAUTHENTICATED {
			t.Fatalf("after idle: %v", err)
		}
		// Revocation.
		if _, err := s.CreateSession(ctx, "tok2", a.ID, "", "", 12*time.Hour); err != nil {
			t.Fatal(err)
		}
		list, err := s.FindSessions(ctx, a.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("FindSessions = %d, %v", len(list), err)
		}
		if err := s.RevokeSession(ctx, "tok2"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.TouchSession(ctx, "tok2", time.Hour); hmis.ErrorCode(err) != hmis.EUNAUTHENTICATED {
			t.Fatalf("revoked: %v", err)
		}
		if _, _, err := s.TouchSession(ctx, "unknown", time.Hour); hmis.ErrorCode(err) != hmis.EUNAUTHENTICATED {
			t.Fatalf("unknown: %v", err)
		}
		if err := s.RevokeSessionByID(ctx, "other-account", store.SessionID("tok1")); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Fatalf("revoking another's session: %v", err)
		}
	})
}
