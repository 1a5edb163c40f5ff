package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hearth-hmis/hearth/internal/access"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestStore_Releases(t *testing.T) {
	now := time.Date(2026, 5, 20, 12, 0, 0, 0, time.Local)
	today := hmis.DateOf(now)
	storetest.EachAt(t, func() time.Time { return now }, func(t *testing.T, s *store.Store) {
		ctx := storetest.Context(t)
		for _, o := range []string{"A", "B", "C"} {
			if err := store.CreateRecord(ctx, s, &hmis.Organization{OrganizationID: o, OrganizationName: o}); err != nil {
				t.Fatal(err)
			}
		}
		c := searchClient("c1", "Ada", "Byron", "1990-01-02", "")
		if err := store.CreateRecord(ctx, s, &c); err != nil {
			t.Fatal(err)
		}
		if err := storetest.Exec(s, `UPDATE clients SET organization_id = 'A' WHERE personal_id = 'c1'`); err != nil {
			t.Fatal(err)
		}
		cmA := hmis.NewContext(t.Context(), hmis.Actor{Username: "a", OrganizationID: "A", Role: hmis.RoleCaseManager, Via: "test"})
		cmB := hmis.NewContext(t.Context(), hmis.Actor{Username: "b", OrganizationID: "B", Role: hmis.RoleCaseManager, Via: "test"})
		png := []byte("\x89PNG\r\n\x1a\nrest-of-image")
		good := store.NewRelease{PersonalID: "c1", Organizations: []string{"B"}, Begin: today, End: today.AddDays(30), Signature: png}
		for _, tc := range []struct {
			name string
			mod  func(*store.NewRelease)
			want string
		}{
			{"EndBeforeBegin", func(r *store.NewRelease) { r.End = today.AddDays(-1) }, "before it begins"},
			{"NoOrg", func(r *store.NewRelease) { r.Organizations = nil }, "at least one organization"},
			{"UnknownOrg", func(r *store.NewRelease) { r.Organizations = []string{"Z"} }, `No organization "Z"`},
			{"NoConsent", func(r *store.NewRelease) { r.Signature = nil }, "consent"},
			{"Both", func(r *store.NewRelease) { r.Witness = "W" }, "not both"},
			{"NotPNG", func(r *store.NewRelease) { r.Signature = []byte("GIF89a") }, "PNG"},
			{"OwnOrg", func(r *store.NewRelease) { r.Organizations = []string{"A"} }, "own organization"},
		} {
			r := good
			tc.mod(&r)
			if _, err := s.AddRelease(cmA, r); hmis.ErrorCode(err) != hmis.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: %v, want EINVALID %q", tc.name, err, tc.want)
			}
		}
		// B cannot see the client: not found, not forbidden.
		if _, err := s.AddRelease(cmB, good); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("B adds a release: %v", err)
		}
		rel, err := s.AddRelease(cmA, good)
		if err != nil {
			t.Fatal(err)
		}
		if rel.Number != "R-1" || rel.Status(today) != access.StatusActive {
			t.Errorf("release %+v", rel)
		}
		// Restricted to organization: the release shares nothing yet.
		if l, _ := s.ClientAccess(cmB, "c1"); l != access.NotFound {
			t.Errorf("B before restrict: %v", l)
		}
		if err := s.SetClientRestriction(cmA, "c1", access.ShareByRelease); err != nil {
			t.Fatal(err)
		}
		if l, _ := s.ClientAccess(cmB, "c1"); l != access.Visible {
			t.Errorf("B with release: %v", l)
		}
		// B sees it but may not change its sharing.
		if err := s.SetClientRestriction(cmB, "c1", access.ShareGlobally); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("B restricts: %v", err)
		}
		rs, err := s.ClientReleases(cmB, "c1")
		if err != nil || len(rs) != 1 || !rs[0].HasSignature || rs[0].Organizations[0] != "B" {
			t.Fatalf("releases %+v, %v", rs, err)
		}
		if sig, err := s.ReleaseSignature(cmA, rel.ID); err != nil || string(sig) != string(png) {
			t.Errorf("signature %q, %v", sig, err)
		}
		if _, err := s.RevokeRelease(cmA, rel.ID, " "); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("revoke without reason: %v", err)
		}
		if _, err := s.RevokeRelease(cmA, rel.ID, "client asked"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RevokeRelease(cmA, rel.ID, "again"); hmis.ErrorCode(err) != hmis.EINVALID {
			t.Errorf("second revoke: %v", err)
		}
		if l, _ := s.ClientAccess(cmB, "c1"); l != access.NotFound {
			t.Errorf("B after revoke: %v", l)
		}
		if _, err := s.ClientReleases(cmB, "c1"); hmis.ErrorCode(err) != hmis.ENOTFOUND {
			t.Errorf("B lists after revoke: %v", err)
		}
		rs, _ = s.ClientReleases(cmA, "c1")
		if len(rs) != 1 || rs[0].Status(today) != access.StatusRevoked || rs[0].RevokeReason != "client asked" {
			t.Errorf("after revoke %+v", rs)
		}
		// An MOU: A -> C one way. A release naming it shares with C.
		mou, err := s.AddMOU(ctx, "A to C", []store.MOUGrant{{From: "A", To: "C"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddMOU(cmA, "x", []store.MOUGrant{{From: "A", To: "B"}}); hmis.ErrorCode(err) != hmis.EFORBIDDEN {
			t.Errorf("case manager adds an MOU: %v", err)
		}
		if _, err := s.AddRelease(cmA, store.NewRelease{PersonalID: "c1", MOUs: []string{mou}, Begin: today, End: today, Witness: "W. Itness"}); err != nil {
			t.Fatal(err)
		}
		cmC := hmis.NewContext(t.Context(), hmis.Actor{Username: "c", OrganizationID: "C", Role: hmis.RoleCaseManager, Via: "test"})
		if l, _ := s.ClientAccess(cmC, "c1"); l != access.Visible {
			t.Errorf("C through the MOU: %v", l)
		}
		if ms := found(t, cmC, s, "Ada Byron 1/2/1990"); len(ms) != 1 {
			t.Errorf("C's search through the MOU: %v", ms)
		}
		if l, _ := s.ClientAccess(cmB, "c1"); l != access.NotFound {
			t.Errorf("B through the MOU: %v", l)
		}
		// Every change is audited on the client.
		a, err := s.FindAudit(ctx, store.AuditFilter{Entity: "client", EntityID: "c1"})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range a {
			actions[e.Action]++
		}
		if actions["release.add"] != 2 || actions["release.revoke"] != 1 || actions["client.restrict"] != 1 {
			t.Errorf("audit actions %v", actions)
		}
	})
}
