package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFromEnv(t *testing.T) {
	c := Defaults()
	vars := map[string]string{"HEARTH_ADDR": "0.0.0.0:9000", "HEARTH_DATA": "/d", "HEARTH_DATABASE_URL": "postgres://x", "HEARTH_IDLE_TIMEOUT": "10m", "HEARTH_SECURE_COOKIES": "1"}
	if err := c.FromEnv(func(k string) string { return vars[k] }); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "0.0.0.0:9000" || c.DataDir != "/d" || c.DatabaseURL != "postgres://x" || c.IdleTimeout != 10*time.Minute || !c.SecureCookies {
		t.Errorf("config = %+v", c)
	}
	vars["HEARTH_IDLE_TIMEOUT"] = "soon"
	if err := c.FromEnv(func(k string) string { return vars[k] }); err == nil || !strings.Contains(err.Error(), "HEARTH_IDLE_TIMEOUT") {
		t.Errorf("bad duration: %v", err)
	}
}

func TestValidateSites(t *testing.T) {
	ok := DefaultSites()
	if err := ValidateSites(ok); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tc := range []struct {
		name  string
		sites []Site
		want  string
	}{
		{"none", nil, "no sites"},
		{"bad slug", []Site{{Slug: "Live!", Title: "x"}}, "lower-case"},
		{"reserved", []Site{{Slug: "static", Title: "x"}}, "reserved"},
		{"twice", []Site{{Slug: "live", Title: "a"}, {Slug: "live", Title: "b", Training: true}}, "twice"},
		{"no title", []Site{{Slug: "live"}}, "no title"},
		{"two live", []Site{{Slug: "a", Title: "a"}, {Slug: "b", Title: "b"}}, "exactly one live"},
	} {
		if err := ValidateSites(tc.sites); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestLoadSites(t *testing.T) {
	c := Defaults()
	c.DataDir = filepath.Join(t.TempDir(), "data")
	if err := c.LoadSites(); err != nil {
		t.Fatal(err)
	}
	if len(c.Sites) != 2 || c.Sites[0].Kind() != "live" || c.Sites[1].Kind() != "training" {
		t.Fatalf("sites = %+v", c.Sites)
	}
	fi, err := os.Stat(c.SitesFile())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("sites.json: %v %v", fi, err)
	}
	// Renamed sites are read back.
	os.WriteFile(c.SitesFile(), []byte(`[{"slug":"modesto","title":"Modesto"},{"slug":"modestotest","title":"Modesto Testing","training":true}]`), 0o600)
	if err := c.LoadSites(); err != nil {
		t.Fatal(err)
	}
	if s, ok := c.Site("modestotest"); !ok || s.Title != "Modesto Testing" || !s.Training {
		t.Fatalf("renamed site: %+v %v", s, ok)
	}
	os.WriteFile(c.SitesFile(), []byte(`{`), 0o600)
	if err := c.LoadSites(); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Fatalf("broken sites.json: %v", err)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"1048576": 1 << 20, "512MiB": 512 << 20, "2GiB": 2 << 30, "2GB": 2 << 30, "2 gib": 2 << 30,
		"1.5GiB": 3 << 29, "64KiB": 64 << 10, "10k": 10 << 10, "100B": 100,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "lots", "2XB", "GiB", "1e30GiB", "-2GiB"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q): no error", in)
		}
	}
}

func TestFromEnv_MaxUpload(t *testing.T) {
	c := Defaults()
	if c.MaxUploadBytes != 2<<30 {
		t.Errorf("default MaxUploadBytes = %d, want 2 GiB", c.MaxUploadBytes)
	}
	vars := map[string]string{"HEARTH_MAX_UPLOAD": "512MiB"}
	if err := c.FromEnv(func(k string) string { return vars[k] }); err != nil || c.MaxUploadBytes != 512<<20 {
		t.Errorf("512MiB: %d, %v", c.MaxUploadBytes, err)
	}
	vars["HEARTH_MAX_UPLOAD"] = "big"
	if err := c.FromEnv(func(k string) string { return vars[k] }); err == nil || !strings.Contains(err.Error(), "HEARTH_MAX_UPLOAD") {
		t.Errorf("bad size: %v", err)
	}
}
