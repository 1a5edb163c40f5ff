// Package config holds Hearth's configuration: one struct, loaded from
// command-line flags and HEARTH_* variables, validated, and passed
// explicitly. Nothing here is global.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Config is everything a Hearth process needs to know.
type Config struct {
	Addr          string        // listen address (HEARTH_ADDR), default 127.0.0.1:8080
	DataDir       string        // data folder (HEARTH_DATA), default ./hearth-data
	DatabaseURL   string        // PostgreSQL URL (HEARTH_DATABASE_URL); empty means embedded SQLite
	SchemaPrefix  string        // PostgreSQL: each site's schema is SchemaPrefix+slug (default "hearth_"; tests use their own)
	IdleTimeout   time.Duration // sign-out after this long without a request (HEARTH_IDLE_TIMEOUT), default 30m
	SessionMaxAge time.Duration // absolute session lifetime, default 12h
	SecureCookies bool          // always set the Secure cookie flag (HEARTH_SECURE_COOKIES); TLS requests get it anyway
	// MaxUploadBytes is the largest file the web import accepts
	// (HEARTH_MAX_UPLOAD, e.g. "512MiB" or "2GiB"), default 2 GiB.
	MaxUploadBytes int64
	// MaxSessions is how many sessions one user may have at once
	// (HEARTH_MAX_SESSIONS), default 1 (HUD: one workstation at a time);
	// a new sign-in ends the oldest. -1 (HEARTH_MAX_SESSIONS=0) is no limit.
	MaxSessions int
	// SecretKey is the site key as base64 (HEARTH_SECRET_KEY); empty means
	// DataDir/secret.key, created on first use (internal/secret).
	SecretKey string
	// TLSCert and TLSKey are PEM files (HEARTH_TLS_CERT, HEARTH_TLS_KEY;
	// hearth serve --tls-cert/--tls-key): when both are set, hearth serve
	// speaks HTTPS only, every response carries HSTS and cookies are
	// Secure. Both or neither.
	TLSCert string
	TLSKey  string
	Sites   []Site // from DataDir/sites.json, created with the defaults on first use
}

// Site is one database served at its own path: the live site and the
// training site, side by side.
type Site struct {
	Slug     string `json:"slug"`     // URL path segment and database name: /live/...
	Title    string `json:"title"`    // shown in every page header, e.g. "Modesto" or "Modesto Testing"
	Training bool   `json:"training"` // a training site wears a banner on every page
	// Branding on the dashboard, per CoC / lead agency.
	Heading        string `json:"heading"`         // e.g. "The HMIS for the River Valley Continuum of Care"
	AdministeredBy string `json:"administered_by"` // e.g. "Administered by the River Valley Housing Authority"
	CoCCode        string `json:"coc_code"`        // the CoC's HUD code (2.03.1), e.g. "CA-510"
}

// Kind is "training" or "live".
func (s Site) Kind() string {
	if s.Training {
		return "training"
	}
	return "live"
}

// DefaultSites are written to sites.json on first use.
func DefaultSites() []Site {
	branding := func(s Site) Site {
		s.Heading = "The HMIS for the River Valley Continuum of Care"
		s.AdministeredBy = "Administered by the River Valley Housing Authority"
		s.CoCCode = "CA-510"
		return s
	}
	return []Site{
		branding(Site{Slug: "live", Title: "River Valley HMIS"}),
		branding(Site{Slug: "training", Title: "River Valley HMIS Training", Training: true}),
	}
}

// Defaults returns the configuration before flags and variables.
func Defaults() Config {
	return Config{
		Addr:           "127.0.0.1:8080",
		DataDir:        "hearth-data",
		IdleTimeout:    30 * time.Minute,
		SessionMaxAge:  12 * time.Hour,
		MaxUploadBytes: 2 << 30,
		MaxSessions:    1,
	}
}

// FromEnv overlays HEARTH_* variables on c. Flags are applied after this,
// so a flag wins over a variable.
func (c *Config) FromEnv(getenv func(string) string) error {
	if v := getenv("HEARTH_ADDR"); v != "" {
		c.Addr = v
	}
	if v := getenv("HEARTH_DATA"); v != "" {
		c.DataDir = v
	}
	if v := getenv("HEARTH_DATABASE_URL"); v != "" {
		c.DatabaseURL = v
	}
	if v := getenv("HEARTH_IDLE_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("HEARTH_IDLE_TIMEOUT: %q is not a duration like 30m", v)
		}
		c.IdleTimeout = d
	}
	if v := getenv("HEARTH_MAX_UPLOAD"); v != "" {
		n, err := ParseSize(v)
		if err != nil {
			return fmt.Errorf("HEARTH_MAX_UPLOAD: %w", err)
		}
		c.MaxUploadBytes = n
	}
	if v := getenv("HEARTH_MAX_SESSIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("HEARTH_MAX_SESSIONS: %q is not a number of sessions (0: no limit)", v)
		}
		if n == 0 {
			n = -1
		}
		c.MaxSessions = n
	}
	if v := getenv("HEARTH_SECRET_KEY"); v != "" {
		c.SecretKey = v
	}
	if v := getenv("HEARTH_TLS_CERT"); v != "" {
		c.TLSCert = v
	}
	if v := getenv("HEARTH_TLS_KEY"); v != "" {
		c.TLSKey = v
	}
	if v := getenv("HEARTH_SECURE_COOKIES"); v != "" {
		c.SecureCookies = v == "1" || strings.EqualFold(v, "true")
	}
	return nil
}

// sizeUnits are the suffixes ParseSize accepts. All are powers of 1024,
// whatever the spelling: an operator writing "2GB" means the same as "2GiB".
var sizeUnits = []struct {
	suffix string
	n      int64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1 << 10}, {"mb", 1 << 20}, {"gb", 1 << 30}, {"tb", 1 << 40},
	{"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"t", 1 << 40},
	{"b", 1},
}

// ParseSize parses a size in bytes: "1048576", "512MiB", "2GiB", "1.5 GB".
// Units are powers of 1024. The size must be positive.
func ParseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.n
			break
		}
	}
	bad := fmt.Errorf("%q is not a size like 512MiB, 2GiB or a number of bytes", s)
	if mult == 1 {
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil || n <= 0 {
			return 0, bad
		}
		return n, nil
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 || math.IsInf(f, 0) || f*float64(mult) >= math.MaxInt64 {
		return 0, bad
	}
	return int64(f * float64(mult)), nil
}

var slugRE = regexp.MustCompile(`^[a-z][a-z0-9]{0,30}$`)

// Validate checks the configuration.
func (c *Config) Validate() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("address %q is not host:port", c.Addr)
	}
	if c.DataDir == "" {
		return errors.New("no data folder given")
	}
	return ValidateSites(c.Sites)
}

// ValidateSites checks slugs and titles, and that there is exactly one live site.
func ValidateSites(sites []Site) error {
	if len(sites) == 0 {
		return errors.New("sites.json lists no sites")
	}
	seen := map[string]bool{}
	live := 0
	for _, s := range sites {
		if !slugRE.MatchString(s.Slug) {
			return fmt.Errorf("sites.json: slug %q must be lower-case letters and digits, starting with a letter", s.Slug)
		}
		if s.Slug == "static" {
			return errors.New(`sites.json: slug "static" is reserved`)
		}
		if seen[s.Slug] {
			return fmt.Errorf("sites.json: slug %q appears twice", s.Slug)
		}
		seen[s.Slug] = true
		if strings.TrimSpace(s.Title) == "" {
			return fmt.Errorf("sites.json: site %q has no title", s.Slug)
		}
		if !s.Training {
			live++
		}
	}
	if live != 1 {
		return fmt.Errorf("sites.json: exactly one live site is needed, found %d", live)
	}
	return nil
}

// SitesFile is where a data folder keeps its site list.
func (c *Config) SitesFile() string { return filepath.Join(c.DataDir, "sites.json") }

// LoadSites reads DataDir/sites.json, writing the defaults first when it
// does not exist, and validates it.
func (c *Config) LoadSites() error {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("cannot create data folder %s: %w", c.DataDir, pathErr(err))
	}
	b, err := os.ReadFile(c.SitesFile())
	if errors.Is(err, os.ErrNotExist) {
		c.Sites = DefaultSites()
		b, _ = json.MarshalIndent(c.Sites, "", "  ")
		if err := os.WriteFile(c.SitesFile(), append(b, '\n'), 0o600); err != nil {
			return fmt.Errorf("data folder %s is not writable: %w", c.DataDir, pathErr(err))
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", c.SitesFile(), pathErr(err))
	}
	var sites []Site
	if err := json.Unmarshal(b, &sites); err != nil {
		return fmt.Errorf("%s is not valid JSON: %v", c.SitesFile(), err)
	}
	if err := ValidateSites(sites); err != nil {
		return err
	}
	c.Sites = sites
	return nil
}

// TLS reports whether the server is to speak HTTPS.
func (c *Config) TLS() bool { return c.TLSCert != "" && c.TLSKey != "" }

// Site returns the site with the given slug.
func (c *Config) Site(slug string) (Site, bool) {
	for _, s := range c.Sites {
		if s.Slug == slug {
			return s, true
		}
	}
	return Site{}, false
}

func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
