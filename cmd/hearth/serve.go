package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/hearth-hmis/hearth/internal/web"
)

// hearth serve [--addr A] [--data DIR] [--demo] [--tls-cert FILE --tls-key FILE]
func runServe(ctx context.Context, e env, args []string) error {
	var c commonFlags
	var addr string
	var demo bool
	var demoClients int
	var tlsCert, tlsKey string
	fs := newFlagSet("serve", "[--addr 127.0.0.1:8080] [--data DIR] [--demo] [--tls-cert FILE --tls-key FILE]")
	c.register(fs, false, false)
	fs.StringVar(&addr, "addr", "", "listen address (default $HEARTH_ADDR or 127.0.0.1:8080)")
	fs.BoolVar(&demo, "demo", false, "fill empty sites with demo data and print a demo sign-in for each site")
	fs.IntVar(&demoClients, "demo-clients", 400, "clients to generate per empty site with --demo")
	fs.StringVar(&tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate (default $HEARTH_TLS_CERT); needs --tls-key")
	fs.StringVar(&tlsKey, "tls-key", "", "the certificate's PEM private key (default $HEARTH_TLS_KEY)")
	rest, err := parse(fs, args, e.stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("serve: unexpected argument %q", rest[0])
	}
	cfg, err := loadConfig(e, c)
	if err != nil {
		return err
	}
	if addr != "" {
		cfg.Addr = addr
		if err := cfg.Validate(); err != nil {
			return usagef("serve: %v", err)
		}
	}
	if tlsCert != "" {
		cfg.TLSCert = tlsCert
	}
	if tlsKey != "" {
		cfg.TLSKey = tlsKey
	}
	if (cfg.TLSCert == "") != (cfg.TLSKey == "") {
		return usagef("serve: TLS needs both a certificate and a key (--tls-cert and --tls-key)")
	}
	// Load the certificate before anything else starts, so a missing or
	// unreadable file is one clear line and exit status 1.
	var tlsConfig *tls.Config
	if cfg.TLS() {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return fmt.Errorf("cannot load TLS certificate %s and key %s: %v", cfg.TLSCert, cfg.TLSKey, tlsLoadErr(err))
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	reg, err := openSitesFor(ctx, cfg)
	if err != nil {
		return err
	}
	defer reg.Close()
	// The handler first: it loads the site key, and a problem with it
	// should stop the start before anything is printed.
	h, err := web.New(cfg, reg, logger)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %v", cfg.Addr, errors.Unwrap(err))
	}
	base := "http://" + ln.Addr().String()
	if tlsConfig != nil {
		base = "https://" + ln.Addr().String()
	}

	if demo {
		creds, err := prepareDemo(ctx, cfg, reg, demoClients, e)
		if err != nil {
			ln.Close()
			return err
		}
		for _, s := range reg.All() {
			cr := creds[s.Slug]
			fmt.Fprintf(e.stdout, "site %s: %s/%s/ user %s password %s\n", s.Slug, base, s.Slug, cr.Username, cr.Password)
		}
	} else {
		for _, s := range reg.All() {
			fmt.Fprintf(e.stdout, "site %s: %s/%s/\n", s.Slug, base, s.Slug)
		}
	}

	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // imports upload large files
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		TLSConfig:         tlsConfig,
	}
	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			// HTTPS only: the certificate is in TLSConfig. Every response
			// then carries HSTS and cookies are Secure (web: r.TLS != nil).
			errc <- srv.ServeTLS(ln, "", "")
			return
		}
		errc <- srv.Serve(ln)
	}()
	logger.Info("serving", "addr", ln.Addr().String(), "sites", len(reg.All()), "tls", tlsConfig != nil)
	bgCtx, stopBackground := context.WithCancel(ctx)
	bgDone := make(chan struct{})
	go func() {
		defer close(bgDone)
		refreshDuplicates(bgCtx, reg, logger, 5*time.Second)
	}()
	defer func() { stopBackground(); <-bgDone }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}

// tlsLoadErr shortens a certificate-loading error to its cause: "no such
// file or directory" rather than the whole path error again.
func tlsLoadErr(err error) error {
	var pe interface{ Unwrap() error }
	for errors.As(err, &pe) {
		inner := pe.Unwrap()
		if inner == nil {
			break
		}
		err = inner
	}
	return err
}
