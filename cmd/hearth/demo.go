package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hearth-hmis/hearth/internal/auth"
	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/demo"
	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/sites"
)

// demoCred is a demo sign-in, kept in the data folder (mode 0600) so that
// later starts print the same one.
type demoCred struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

const demoCredFile = "demo-credentials.json"

func openSitesFor(ctx context.Context, cfg config.Config) (*sites.Registry, error) {
	return sites.Open(ctx, cfg, true)
}

// prepareDemo fills every empty site with demo data, makes sure each site
// has a demo administrator, and returns the sign-ins by site slug.
func prepareDemo(ctx context.Context, cfg config.Config, reg *sites.Registry, clients int, e env) (map[string]demoCred, error) {
	path := filepath.Join(cfg.DataDir, demoCredFile)
	creds := map[string]demoCred{}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &creds); err != nil {
			return nil, fmt.Errorf("%s is not valid JSON: %v", path, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	ctx = hmis.NewContext(ctx, hmis.SystemActor("demo"))
	changed := false
	for i, s := range reg.All() {
		counts, err := s.Store.DashboardCounts(ctx)
		if err != nil {
			return nil, fmt.Errorf("site %s: %w", s.Slug, err)
		}
		leadOrg := ""
		if counts.Organizations == 0 {
			fmt.Fprintf(e.stderr, "site %s: generating demo data (%d clients)...\n", s.Slug, clients)
			res, err := demo.Populate(ctx, s.Store, demo.Options{Clients: clients, Seed: int64(42 + i), CoCCode: s.CoCCode})
			if err != nil {
				return nil, fmt.Errorf("site %s: demo data: %w", s.Slug, err)
			}
			leadOrg = res.LeadOrganizationID
		}
		if _, ok := creds[s.Slug]; ok {
			continue
		}
		if _, _, err := s.Store.FindAccountByUsername(ctx, "admin"); err == nil {
			// An admin made outside --demo: its password is not ours to print.
			creds[s.Slug] = demoCred{Username: "admin", Password: "(set outside --demo)"}
			continue
		}
		if leadOrg == "" {
			if leadOrg, err = demo.LeadOrganization(ctx, s.Store); err != nil {
				return nil, fmt.Errorf("site %s: %w", s.Slug, err)
			}
		}
		cr := demoCred{Username: "admin", Password: auth.NewPassword(20)}
		hash, err := auth.HashPassword(cr.Password)
		if err != nil {
			return nil, err
		}
		if _, err := s.Store.CreateAccount(ctx, hmis.Account{Username: cr.Username, Role: hmis.RoleAdmin,
			OrganizationID: leadOrg, FirstName: "Demo", LastName: "Administrator", Demo: true}, hash); err != nil {
			return nil, fmt.Errorf("site %s: demo account: %w", s.Slug, err)
		}
		creds[s.Slug] = cr
		changed = true
	}
	if changed {
		b, _ := json.MarshalIndent(creds, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
			return nil, fmt.Errorf("cannot write %s: %w", path, err)
		}
	}
	if err := os.Chmod(path, 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return creds, nil
}
