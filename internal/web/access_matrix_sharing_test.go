package web

import (
	"fmt"
	"github.com/hearth-hmis/hearth/internal/config"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestAccessMatrixWeb_Sharing extends the web access matrix
// (TestAccessMatrixWeb's clients: every restriction x release state) to
// the pages of this issue: the Sharing page, changing the restriction and
// revealing the SSN, for a case manager and a read-only user of the
// owning organization (ORG1), the named one (ORGB) and an unnamed one
// (ORGC). A hidden client is the 404 of a client that does not exist on
// each; a visible client's sharing changes only for its owner; the full
// SSN only for a role that may see it.
func TestAccessMatrixWeb_Sharing(t *testing.T) {
	eachDialect(t, func(t *testing.T, edit func(*config.Config)) {
		app := newTestApp(t, edit)
		st := app.reg.All()[0].Store
		clients := buildWebMatrix(t, st)
		ctx := storetest.Context(t)
		ssnOf := map[string]string{}
		for i, c := range clients {
			rec, err := store.FindRecordByID[hmis.Client](ctx, st, c.id)
			if err != nil {
				t.Fatal(err)
			}
			rec.SSN = fmt.Sprintf("2345%05d", 10000+i*37)
			if err := store.UpdateRecord(ctx, st, &rec); err != nil {
				t.Fatal(err)
			}
			ssnOf[c.id] = rec.SSN
		}
		type user struct {
			name, org string
			role      hmis.Role
		}
		var users []user
		for _, org := range []string{"ORG1", "ORGB", "ORGC"} {
			for _, role := range []hmis.Role{hmis.RoleCaseManager, hmis.RoleReadOnly} {
				u := user{"sh-" + strings.ToLower(org) + "-" + strings.ReplaceAll(string(role), "_", ""), org, role}
				createOrgAccount(t, st, u.name, org, role)
				users = append(users, u)
			}
		}
		cases, leaks := 0, 0
		for _, u := range users {
			b := app.browser(t)
			b.signIn("live", u.name)
			missingGet := stripReference(strings.ReplaceAll(b.get("/live/clients/wm99/sharing").Body, "wm99", "ID"))
			missingPost := stripReference(strings.ReplaceAll(b.post("/live/clients/wm99/ssn", url.Values{}).Body, "wm99", "ID"))
			for _, c := range clients {
				if c.served {
					continue // the serving organization is TestAccessMatrixWeb's
				}
				visible, _ := webMatrixExpect(u.org, c)
				ssn := ssnOf[c.id]
				formatted := ssn[:3] + "-" + ssn[3:5] + "-" + ssn[5:]
				shows := func(body string) bool { return strings.Contains(body, ssn) || strings.Contains(body, formatted) }
				check := func(what string, ok bool, format string, args ...any) {
					t.Helper()
					cases++
					if !ok {
						leaks++
						t.Errorf("%s %s as %s (restriction %s, release %s): "+format, append([]any{what, c.id, u.name, c.restr, c.release}, args...)...)
					}
				}

				page := b.get("/live/clients/" + c.id + "/sharing")
				reveal := b.post("/live/clients/"+c.id+"/ssn", url.Values{})
				before, err := st.FindClientByID(ctx, c.id)
				if err != nil {
					t.Fatal(err)
				}
				restrict := b.post("/live/clients/"+c.id+"/sharing", url.Values{"op": {"restrict"}, "restriction": {"global"}})
				after, err := st.FindClientByID(ctx, c.id)
				if err != nil {
					t.Fatal(err)
				}
				changed := after.Restriction != before.Restriction
				if changed { // put it back for the next users
					if err := st.SetClientRestriction(ctx, c.id, c.restr); err != nil {
						t.Fatal(err)
					}
				}
				owner := u.org == "ORG1" && u.role == hmis.RoleCaseManager

				if !visible {
					check("sharing page", page.Status == http.StatusNotFound &&
						stripReference(strings.ReplaceAll(page.Body, c.id, "ID")) == missingGet, "status %d, or a 404 unlike a missing client's", page.Status)
					check("reveal", reveal.Status == http.StatusNotFound && !shows(reveal.Body) &&
						stripReference(strings.ReplaceAll(reveal.Body, c.id, "ID")) == missingPost, "status %d, or a 404 unlike a missing client's", reveal.Status)
					check("restrict", restrict.Status == http.StatusNotFound && !changed, "status %d, changed %v", restrict.Status, changed)
					continue
				}
				check("sharing page", page.Status == http.StatusOK && !shows(page.Body), "status %d", page.Status)
				if u.role == hmis.RoleCaseManager {
					check("reveal", reveal.Status == http.StatusOK && shows(reveal.Body), "status %d", reveal.Status)
				} else {
					check("reveal", reveal.Status == http.StatusForbidden && !shows(reveal.Body), "status %d", reveal.Status)
				}
				if owner {
					check("restrict", restrict.Status == http.StatusSeeOther && (changed || c.restr == "global"), "status %d, changed %v", restrict.Status, changed)
				} else {
					check("restrict", restrict.Status == http.StatusForbidden && !changed, "status %d, changed %v", restrict.Status, changed)
				}
			}
		}
		if leaks > 0 {
			t.Errorf("%d of %d cases wrong", leaks, cases)
		}
		t.Logf("%d access cases (%d users x %d clients: sharing page, SSN reveal, restriction change), %d wrong", cases, len(users), len(clients)/2, leaks)
	})
}
