// Package web serves Hearth's HTML interface: the site chooser, sign-in
// per site, and the ClientTrack-style shell (four tabs, menu groups on the
// left) that every page wears. Pages are rendered on the server from
// embedded html/template sets; htmx is loaded for partial updates but no
// JavaScript is needed to navigate.
//
// The training site wears a banner and a different header colour on every
// page, so that nobody enters a real client into practice data.
package web

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/hearth-hmis/hearth/internal/config"
	"github.com/hearth-hmis/hearth/internal/secret"
	"github.com/hearth-hmis/hearth/internal/sites"
)

// Server holds what every handler needs. Nothing in it changes after New
// but the import jobs running in the background: data is read from the
// site's store on each request, never cached.
type Server struct {
	cfg    config.Config
	reg    *sites.Registry
	log    *slog.Logger
	assets *assets
	pages  map[string]*template.Template
	jobs   *importJobs
	runs   *reportJobs // HUD report runs of this process (reports.go)
	key    *secret.Key // seals secrets at rest (TOTP); from HEARTH_SECRET_KEY or DATA/secret.key
}

// New returns the HTTP handler for every configured site. cfg supplies the
// session timeouts and the Secure-cookie policy; reg the open sites.
func New(cfg config.Config, reg *sites.Registry, logger *slog.Logger) (http.Handler, error) {
	if reg == nil {
		return nil, fmt.Errorf("web: no sites")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = config.Defaults().IdleTimeout
	}
	if cfg.SessionMaxAge <= 0 {
		cfg.SessionMaxAge = config.Defaults().SessionMaxAge
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = config.Defaults().MaxUploadBytes
	}
	a, err := newAssets()
	if err != nil {
		return nil, err
	}
	// The key is read (or created, mode 0600) once, when the sites open
	// (sites.Open), so that a key-file problem stops the start instead of
	// a later sign-in.
	key := reg.Key()
	if key == nil {
		return nil, errors.New("web: the sites were opened without the site key")
	}
	s := &Server{cfg: cfg, reg: reg, log: logger, assets: a, jobs: newImportJobs(logger), key: key, runs: newReportJobs()}
	if s.pages, err = parsePages(s.funcs()); err != nil {
		return nil, err
	}
	return s.routes(), nil
}
