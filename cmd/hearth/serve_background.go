package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/hearth-hmis/hearth/internal/hmis"
	"github.com/hearth-hmis/hearth/internal/sites"
)

// duplicatesEvery is how often hearth serve checks whether clients changed
// since the duplicates review queue was computed.
const duplicatesEvery = 10 * time.Minute

// refreshDuplicates keeps each site's duplicates review queue (issue 4
// item 8) up to date in the background: shortly after start and then
// every duplicatesEvery, a site whose clients changed since its queue
// was computed gets it recomputed (store.RefreshDuplicatePairs, audited
// as the system). It returns when ctx ends.
func refreshDuplicates(ctx context.Context, reg *sites.Registry, logger *slog.Logger, first time.Duration) {
	sys := hmis.NewContext(ctx, hmis.SystemActor("duplicates"))
	t := time.NewTimer(first)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for _, s := range reg.All() {
			stale, err := s.Store.DuplicatePairsStale(sys)
			if err != nil {
				logger.Error("duplicates queue", "site", s.Slug, "err", err)
				continue
			}
			if !stale {
				continue
			}
			start := time.Now()
			n, err := s.Store.RefreshDuplicatePairs(sys)
			if err != nil {
				if ctx.Err() == nil {
					logger.Error("duplicates queue", "site", s.Slug, "err", err)
				}
				continue
			}
			logger.Info("duplicates queue recomputed", "site", s.Slug, "pairs", n, "took", time.Since(start).Round(time.Millisecond))
		}
		t.Reset(duplicatesEvery)
	}
}
