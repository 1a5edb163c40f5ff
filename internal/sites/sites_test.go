package sites_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/sites"
	"github.com/hearth-hmis/hearth/internal/store"
	"github.com/hearth-hmis/hearth/internal/store/storetest"
)

// TestOpen_SitesAreSeparate checks that each site has its own database:
// what is written on the training site is not on the live site.
func TestOpen_SitesAreSeparate(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		cfg := config.Defaults()
		cfg.DataDir = t.TempDir()
		cfg.Sites = config.DefaultSites()
		checkSeparate(t, cfg)
	})
	t.Run("postgres", func(t *testing.T) {
		url := os.Getenv(storetest.PostgresEnv)
		if url == "" {
			t.Skipf("PostgreSQL suite skipped: set %s to run it", storetest.PostgresEnv)
		}
		var b [4]byte
		rand.Read(b[:])
		suffix := hex.EncodeToString(b[:])
		cfg := config.Defaults()
		cfg.DataDir = t.TempDir()
		cfg.DatabaseURL = url
		cfg.Sites = []config.Site{{Slug: "live" + suffix, Title: "Live"}, {Slug: "training" + suffix, Title: "Training", Training: true}}
		t.Cleanup(func() {
			for _, s := range cfg.Sites {
				store.DropSchema(context.Background(), url, "hearth_"+s.Slug)
			}
		})
		checkSeparate(t, cfg)
	})
}

func checkSeparate(t *testing.T, cfg config.Config) {
	reg, err := sites.Open(t.Context(), cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	defer reg.Close()
	all := reg.All()
	if len(all) != 2 || all[0].Training || !all[1].Training {
		t.Fatalf("sites not live first: %+v", all)
	}
	ctx := storetest.Context(t)
	storetest.MustOrganization(t, all[1].Store, "Training Agency")
	for i, want := range []int{0, 1} {
		c, err := all[i].Store.DashboardCounts(ctx)
		if err != nil || c.Organizations != want {
			t.Errorf("site %s: %d organizations, %v; want %d", all[i].Slug, c.Organizations, err, want)
		}
	}
	if _, ok := reg.Get(all[0].Slug); !ok {
		t.Error("Get live")
	}
	if _, ok := reg.Get("nope"); ok {
		t.Error("Get unknown site")
	}
}
