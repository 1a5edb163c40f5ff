package web

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

func TestForcedPasswordChange(t *testing.T) {
	app := newTestApp(t, nil)
	live, _ := app.reg.Get("live")
	hash, _ := auth.HashPassword(testPassword)
	if _, err := live.Store.CreateAccount(storetest.Context(t), hmis.Account{Username: "newcm", OrganizationID: "ORG1",
		Role: hmis.RoleCaseManager, MustChangePassword: true}, hash); err != nil {
		t.Fatal(err)
	}
	b := app.browser(t)
	b.post("/live/login", url.Values{"username": {"newcm"}, "password": {testPassword}})

	// Every page leads to the password page until the password is changed.
	res := b.get("/live/clients/find")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/live/profile/password?next=%2Flive%2Fclients%2Ffind" {
		t.Fatalf("page before the change: %d %q", res.Status, res.Header.Get("Location"))
	}
	res = b.get("/live/profile/password?next=/live/clients/find")
	wantContains(t, "password page", res.Body, "temporary password", `for="current"`, `for="new"`, `for="confirm"`)

	// Mistakes are each named by field; nothing changes.
	res = b.post("/live/profile/password", url.Values{"current": {"wrong"}, "new": {"short"}, "confirm": {"other"}, "next": {"/live/clients/find"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad change: %d", res.Status)
	}
	wantContains(t, "bad change", res.Body, "not your current password", "at least 12 characters", "two new passwords differ")

	const newPassword = "a brand new passphrase"
	res = b.post("/live/profile/password", url.Values{"current": {testPassword}, "new": {newPassword}, "confirm": {newPassword}, "next": {"/live/clients/find"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/live/clients/find" {
		t.Fatalf("change: %d %q\n%s", res.Status, res.Header.Get("Location"), res.Body)
	}
	// This browser stays signed in with a fresh session; the page opens now.
	if res := b.get("/live/clients/find"); res.Status != http.StatusOK {
		t.Fatalf("after the change: %d", res.Status)
	}
	if _, err := auth.SignIn(storetest.Context(t), live.Store, "newcm", newPassword); err != nil {
		t.Fatalf("new password does not sign in: %v", err)
	}
}

func TestDemoAccountNotForced(t *testing.T) {
	app := newTestApp(t, nil)
	live, _ := app.reg.Get("live")
	hash, _ := auth.HashPassword(testPassword)
	if _, err := live.Store.CreateAccount(storetest.Context(t), hmis.Account{Username: "demo", OrganizationID: "ORG1",
		Role: hmis.RoleAdmin, MustChangePassword: true, Demo: true}, hash); err != nil {
		t.Fatal(err)
	}
	b := app.browser(t)
	b.signIn("live", "demo")
	if res := b.get("/live/"); res.Status != http.StatusOK {
		t.Fatalf("demo dashboard: %d", res.Status)
	}
}
